/**
 * The editor's side of askpass: a listener that answers git's prompts for one git run. Where /bin/bash
 * exists, git's askpass is a bash script that connects to 127.0.0.1 with bash's own /dev/tcp, so no Node
 * starts; elsewhere it is the Node program on a unix socket in a fresh 0700 folder (a named pipe on
 * Windows). The port or socket and a random nonce go into that git's environment; the secret never does.
 *
 * One line protocol for both programs, which bash can speak without building JSON:
 *   request: the nonce, a newline, git's prompt, a newline;
 *   reply:   `=` and the answer and a newline; `!` and a newline to refuse the prompt; nothing (the
 *            connection closed) for a request without the nonce. The programs tell git's stderr which.
 */
import { randomBytes, timingSafeEqual } from 'crypto';
import * as fs from 'fs/promises';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { isHttpsOrLoopback } from '../common/urls';

/** Answers one git prompt ("Username for '…': ", "Password for '…': "), or undefined to refuse. */
export type PromptAnswerer = (prompt: string) => string | undefined;

export interface AskpassPrograms {
  /** The sh script that runs the Node program (GIT_ASKPASS without bash). */
  readonly script: string;
  /** The bash script that asks over /dev/tcp without starting Node; undefined where /bin/bash is missing. */
  readonly bashScript?: string;
  /** The JavaScript file the scripts run with Node. */
  readonly main: string;
  /** A Node binary; in VS Code, the editor's own executable with ELECTRON_RUN_AS_NODE. */
  readonly node: string;
}

/** The nonce: 24 random bytes in lower-case hex, the whole first line of a request. */
const NONCE_BYTES = 24;
const NONCE_LINE = /^[0-9a-f]*$/;
/** git's prompt names a URL's scheme, user and host; anything longer is not one this run expects. */
const MAX_PROMPT_CHARS = 2048;
/**
 * Both askpass programs send their whole request as soon as they connect, so each connection gets a
 * deadline from its start rather than an idle timeout, which a byte every few seconds would keep alive.
 */
const REQUEST_DEADLINE_MS = 2_000;
/**
 * git asks at most twice per run. A cap keeps anyone else on the machine from piling up connections in
 * the extension host. When it is reached, the oldest connection that has not shown the nonce makes room
 * for the new one, so a stranger who keeps reconnecting cannot shut git out.
 */
const MAX_CONNECTIONS = 32;

export class AskpassSession {
  private constructor(
    private readonly server: net.Server,
    private readonly sockets: Set<net.Socket>,
    private readonly directory: string | undefined,
    readonly env: Readonly<Record<string, string>>,
  ) {}

  static async start(programs: AskpassPrograms, answer: PromptAnswerer): Promise<AskpassSession> {
    const nonce = randomBytes(NONCE_BYTES).toString('hex');
    // Loopback TCP is open to every local user, so there the 192-bit nonce is the whole guard; it lives
    // only in git's environment, which other users cannot read.
    const bashScript = process.platform === 'win32' ? undefined : programs.bashScript;
    let directory: string | undefined;
    let socketPath = '';
    if (process.platform === 'win32') {
      socketPath = `\\\\.\\pipe\\bitbucket-askpass-${randomBytes(12).toString('hex')}`;
    } else if (!bashScript) {
      // A fresh 0700 directory keeps other users away from the socket.
      directory = await fs.mkdtemp(path.join(os.tmpdir(), 'bitbucket-askpass-'));
      await fs.chmod(directory, 0o700);
      socketPath = path.join(directory, 'socket');
    }
    // Oldest first (a Set keeps insertion order); `proven` holds those that sent the right nonce.
    const sockets = new Set<net.Socket>();
    const proven = new WeakSet<net.Socket>();
    const server = net.createServer((socket) => {
      if (sockets.size >= MAX_CONNECTIONS) {
        const stranger = [...sockets].find((open) => !proven.has(open));
        if (!stranger) return void socket.destroy();
        stranger.destroy();
        sockets.delete(stranger);
      }
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      serve(socket, nonce, answer, () => proven.add(socket));
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(bashScript ? { host: '127.0.0.1', port: 0 } : socketPath, () => resolve());
      });
    } catch (error) {
      if (directory) await fs.rm(directory, { recursive: true, force: true });
      throw error;
    }
    const endpoint: Record<string, string> = bashScript
      ? { GIT_ASKPASS: bashScript, BITBUCKET_ASKPASS_PORT: String((server.address() as net.AddressInfo).port) }
      : { GIT_ASKPASS: programs.script, BITBUCKET_ASKPASS_SOCKET: socketPath };
    return new AskpassSession(server, sockets, directory, {
      ...endpoint,
      // The Node program: the sh script runs it, and the bash script falls back to it without /dev/tcp.
      BITBUCKET_ASKPASS_NODE: programs.node,
      BITBUCKET_ASKPASS_MAIN: programs.main,
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

function serve(socket: net.Socket, nonce: string, answer: PromptAnswerer, onProven: () => void): void {
  let request = '';
  // Fired after a busy spell of the extension host, the timer may come before data that had arrived in
  // time: the drop waits one turn of the event loop, so that data is read first.
  let settled = false;
  const deadline = setTimeout(() => setImmediate(() => settled || socket.destroy()), REQUEST_DEADLINE_MS);
  socket.on('close', () => clearTimeout(deadline));
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    request += chunk;
    const lines = request.split('\n');
    // Anything but the nonce's own characters, or more of them, is not our askpass: drop it at once.
    if (lines[0].length > nonce.length || !NONCE_LINE.test(lines[0])) return finish(() => socket.destroy());
    if (lines.length === 1) return;
    // A wrong nonce is refused as soon as its line is in, without waiting for a prompt, and learns nothing.
    if (!sameNonce(lines[0], nonce)) return finish(() => socket.end());
    onProven();
    if (lines.length === 2) {
      if (lines[1].length > MAX_PROMPT_CHARS) finish(() => socket.destroy());
      return;
    }
    let value: string | undefined;
    try {
      value = answer(lines[1]);
    } catch {
      value = undefined; // a prompt the answerer cannot read gets no answer
    }
    // git reads one line: an answer that holds a line break is refused rather than cut.
    finish(() => socket.end(value === undefined || /[\r\n]/.test(value) ? '!\n' : `=${value}\n`));
  });
  socket.on('error', () => socket.destroy());

  function finish(reply: () => void): void {
    settled = true;
    clearTimeout(deadline);
    socket.removeAllListeners('data');
    reply();
  }
}

/** Compares in constant time, so the reply's timing says nothing about how much of a guess was right. */
function sameNonce(candidate: string, nonce: string): boolean {
  const given = Buffer.from(candidate, 'utf8');
  const expected = Buffer.from(nonce, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Answers exactly the prompts git prints for one remote and user, and nothing else: "Username for
 * '<scheme>://<host>': " and "Password for '<scheme>://<user>@<host>': ", user and host raw (git before
 * the CVE-2024-50349 fix) or percent-encoded as git encodes them since. Matching whole prompts rather than
 * parsing them is what keeps a URL such as `https://bitbucket.org'@evil.example/` (from a submodule or
 * git-lfs) from being taken for ours. Only https, or http to this machine, is ever answered.
 */
export function answerFor(remote: string, username: string, password: string): PromptAnswerer {
  const url = new URL(remote);
  if (!isHttpsOrLoopback(url)) return () => undefined;
  const hosts = new Set([url.host, percentEncode(url.host, HOST_KEPT)]);
  const users = new Set([username, percentEncode(username, USER_KEPT)]);
  const answers = new Map<string, string>();
  /* eslint-disable l10n/user-facing-strings -- git's own prompts, matched exactly as git prints them: protocol text, not ours to translate */
  for (const host of hosts) {
    answers.set(`Username for '${url.protocol}//${host}': `, username);
    for (const user of users) answers.set(`Password for '${url.protocol}//${user}@${host}': `, password);
  }
  /* eslint-enable l10n/user-facing-strings */
  return (prompt) => answers.get(prompt);
}

/** What git leaves as it is in a prompt's user name (RFC 3986's unreserved characters) and host. */
const USER_KEPT = /[A-Za-z0-9\-._~]/;
const HOST_KEPT = /[A-Za-z0-9\-.:[\]]/;

/** Every UTF-8 byte of `text` outside `kept` as %XX, the way git writes a prompt's user and host. */
function percentEncode(text: string, kept: RegExp): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += byte < 0x80 && kept.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}
