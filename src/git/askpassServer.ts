/**
 * The editor's side of askpass: a socket only this user can reach, answering git's prompts for one git
 * run. The socket path and a random nonce go into that git's environment; the secret never does.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs/promises';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** Answers one git prompt ("Username for '…': ", "Password for '…': "), or undefined to refuse. */
export type PromptAnswerer = (prompt: string) => string | undefined;

export interface AskpassPrograms {
  /** The shell script git runs (GIT_ASKPASS). */
  readonly script: string;
  /** The JavaScript file the script runs with Node. */
  readonly main: string;
  /** A Node binary; in VS Code, the editor's own executable with ELECTRON_RUN_AS_NODE. */
  readonly node: string;
}

export class AskpassSession {
  private constructor(
    private readonly server: net.Server,
    private readonly sockets: Set<net.Socket>,
    private readonly directory: string | undefined,
    readonly env: Readonly<Record<string, string>>,
  ) {}

  static async start(programs: AskpassPrograms, answer: PromptAnswerer): Promise<AskpassSession> {
    const nonce = randomBytes(24).toString('hex');
    let directory: string | undefined;
    let socketPath: string;
    if (process.platform === 'win32') {
      socketPath = `\\\\.\\pipe\\bitbucket-askpass-${randomBytes(12).toString('hex')}`;
    } else {
      // A fresh 0700 directory keeps other users away from the socket.
      directory = await fs.mkdtemp(path.join(os.tmpdir(), 'bitbucket-askpass-'));
      await fs.chmod(directory, 0o700);
      socketPath = path.join(directory, 'socket');
    }
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      serve(socket, nonce, answer);
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(socketPath, () => resolve());
      });
    } catch (error) {
      if (directory) await fs.rm(directory, { recursive: true, force: true });
      throw error;
    }
    return new AskpassSession(server, sockets, directory, {
      GIT_ASKPASS: programs.script,
      BITBUCKET_ASKPASS_NODE: programs.node,
      BITBUCKET_ASKPASS_MAIN: programs.main,
      BITBUCKET_ASKPASS_SOCKET: socketPath,
      BITBUCKET_ASKPASS_NONCE: nonce,
      // Never fall back to a terminal prompt that nobody can see.
      GIT_TERMINAL_PROMPT: '0',
    });
  }

  async dispose(): Promise<void> {
    // close() waits for open connections; a stray one must not keep a finished clone spinning.
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.directory) await fs.rm(this.directory, { recursive: true, force: true });
  }
}

function serve(socket: net.Socket, nonce: string, answer: PromptAnswerer): void {
  let request = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    request += chunk;
    const newline = request.indexOf('\n');
    if (newline < 0) return;
    let reply: { answer?: string } = {};
    try {
      const message = JSON.parse(request.slice(0, newline)) as { nonce?: string; prompt?: string };
      if (message.nonce === nonce && typeof message.prompt === 'string') {
        const value = answer(message.prompt);
        if (value !== undefined) reply = { answer: value };
      }
    } catch {
      // A malformed request gets no answer.
    }
    socket.end(JSON.stringify(reply));
  });
  socket.on('error', () => socket.destroy());
}

/**
 * Answers git's prompts with one credential, for one host only: a prompt for any other host (a submodule
 * elsewhere, a redirect) gets nothing.
 */
export function answerFor(authority: string, username: string, password: string): PromptAnswerer {
  return (prompt) => {
    const target = /^(Username|Password) for '([^']+)'/.exec(prompt);
    if (!target) return undefined;
    let url: URL;
    try {
      url = new URL(target[2]);
    } catch {
      return undefined;
    }
    if (url.host !== authority) return undefined;
    if (target[1] === 'Username') return username;
    return !url.username || decodeURIComponent(url.username) === username ? password : undefined;
  };
}
