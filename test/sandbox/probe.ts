import { spawn } from 'child_process';
import { promises as fs } from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';

/**
 * Test-side helpers for exercising the sandbox over real sockets and with real git processes.
 * Not used by the sandbox itself.
 */
export interface ProbeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Raw body bytes. */
  body: Buffer;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json<T = any>(): T;
}

export interface ProbeOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Basic credentials. */
  basic?: { user: string; password: string };
  bearer?: string;
}

export function probe(url: string, options: ProbeOptions = {}): Promise<ProbeResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.basic) {
    headers.authorization = `Basic ${Buffer.from(`${options.basic.user}:${options.basic.password}`).toString('base64')}`;
  }
  if (options.bearer) {
    headers.authorization = `Bearer ${options.bearer}`;
  }
  if (options.body !== undefined) {
    headers['content-length'] = String(Buffer.byteLength(options.body));
  }
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? 'GET', headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body, text, json: () => JSON.parse(text) });
      });
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GitProbe {
  /** A scratch directory for clones; removed by dispose(). */
  readonly dir: string;
  /** Runs git with credentials supplied only through an askpass program, as an editor would. */
  run(args: string[], options?: { cwd?: string; user?: string; password?: string }): Promise<GitResult>;
  dispose(): Promise<void>;
}

const ASKPASS = `#!/bin/sh
case "$1" in
  Username*) printf '%s\\n' "$SANDBOX_GIT_USER" ;;
  *) printf '%s\\n' "$SANDBOX_GIT_PASSWORD" ;;
esac
`;

export async function createGitProbe(): Promise<GitProbe> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sandbox-git-probe-'));
  const askpass = path.join(dir, 'askpass.sh');
  await fs.writeFile(askpass, ASKPASS, { mode: 0o755 });
  const home = path.join(dir, 'home');
  await fs.mkdir(home);
  return {
    dir,
    run(args, options = {}) {
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: home,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_TERMINAL_PROMPT: '0',
        GIT_AUTHOR_NAME: 'Probe',
        GIT_AUTHOR_EMAIL: 'probe@example.com',
        GIT_COMMITTER_NAME: 'Probe',
        GIT_COMMITTER_EMAIL: 'probe@example.com',
        LANG: 'C',
      };
      if (options.user !== undefined) {
        env.GIT_ASKPASS = askpass;
        env.SANDBOX_GIT_USER = options.user;
        env.SANDBOX_GIT_PASSWORD = options.password ?? '';
      }
      return new Promise((resolve, reject) => {
        const child = spawn('git', ['-c', 'credential.helper=', ...args], { cwd: options.cwd ?? dir, env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      });
    },
    dispose: () => fs.rm(dir, { recursive: true, force: true }),
  };
}
