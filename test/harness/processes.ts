// Small process helpers: free ports, bounded waits, and stopping a whole process tree.
import { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The preferred port when it is free on `host`, otherwise one the kernel picks. */
export async function freePort(host = '127.0.0.1', preferred = 0): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.unref();
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        const address = server.address() as net.AddressInfo;
        server.close(() => resolve(address.port));
      });
    });
  if (preferred > 0) {
    try {
      return await tryListen(preferred);
    } catch {
      // Taken; fall through to any free port.
    }
  }
  return tryListen(0);
}

/** Resolves when `url` answers 2xx; rejects after `timeoutMs` or as soon as `abort` settles. */
export async function waitForHttp(url: string, timeoutMs: number, abort?: Promise<unknown>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let aborted: unknown;
  let isAborted = false;
  abort?.then(
    (value) => ((isAborted = true), (aborted = value)),
    (error) => ((isAborted = true), (aborted = error)),
  );
  while (Date.now() < deadline) {
    if (isAborted) throw new Error(`gave up waiting for ${url}: ${String(aborted)}`);
    const ok = await new Promise<boolean>((resolve) => {
      const request = http.get(url, { timeout: 2000 }, (response) => {
        response.resume();
        resolve((response.statusCode ?? 500) < 300);
      });
      request.on('timeout', () => request.destroy());
      request.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${Math.round(timeoutMs / 1000)} s`);
}

/** Resolves with the exit code (or signal name) once the child has exited. */
export function exitOf(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Stops a child started with `detached: true` (so it leads its own process group), then every process
 * that still carries `marker` in its environment: code-server starts helpers (pty host, file watcher,
 * terminals) that may outlive it or sit in groups of their own.
 */
export async function stopProcessTree(child: ChildProcess, marker?: string): Promise<void> {
  if (child.pid !== undefined) {
    const exited = exitOf(child);
    signalGroup(child.pid, 'SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    signalGroup(child.pid, 'SIGKILL');
  }
  if (marker) killMarked(marker);
}

/** Live processes whose environment contains the `marker` line (Linux only; none elsewhere). */
export function markedProcesses(marker: string): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      // Zombies have an empty environ and need no killing.
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
      if (environ.split('\0').includes(marker)) found.push(pid);
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return found;
}

/** Direct children of `parent` (Linux only; none elsewhere). */
export function childProcesses(parent: number): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  return entries.map(Number).filter((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
      // "pid (command) state ppid ...": the command may hold spaces and parentheses.
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
    } catch {
      return false;
    }
  });
}

/** SIGKILLs every process carrying `marker`. */
export function killMarked(marker: string): void {
  for (const pid of markedProcesses(marker)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}
