import { ChildProcess, spawn, SpawnOptions } from 'child_process';

/** Keeps every git process the sandbox starts, so close() can stop them all. */
export class ChildProcessTracker {
  private readonly children = new Set<ChildProcess>();

  spawn(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
    const child = spawn(command, args, options);
    this.children.add(child);
    child.once('close', () => this.children.delete(child));
    child.once('error', () => this.children.delete(child));
    return child;
  }

  killAll(): void {
    for (const child of this.children) {
      child.kill('SIGKILL');
    }
    this.children.clear();
  }
}

/** The environment for git processes the sandbox runs: no user or system config, no prompts. */
export function gitEnvironment(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    LANG: 'C',
    ...extra,
  };
}

/** Waits for a process to exit; rejects with its stderr when it fails. */
export function completion(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) {
        resolve(stdout);
      } else {
        reject(new Error(`${what} failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`));
      }
    });
  });
}
