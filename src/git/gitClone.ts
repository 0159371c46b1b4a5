/**
 * Runs `git clone` over HTTPS with credentials supplied at run time through askpass: the URL carries no
 * user info, argv and the repository's config carry no secret, and the user's own credential helpers are
 * switched off for this host so a stale entry cannot get in the way (nor store our token).
 * No `vscode` import.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs/promises';
import { AskpassPrograms, AskpassSession, answerFor } from './askpassServer';

export type GitErrorKind =
  | 'gitMissing'
  | 'targetExists'
  | 'authentication'
  | 'forbidden'
  | 'notFound'
  | 'network'
  | 'rateLimited'
  | 'serverError'
  | 'askpass'
  | 'diskFull'
  | 'cancelled'
  | 'failed';

export class GitError extends Error {
  constructor(
    readonly kind: GitErrorKind,
    message: string,
    /** The end of git's own output, for the log; user info is stripped from any URL in it. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

export interface CloneProgress {
  /** git's own phase, e.g. "Receiving objects". */
  readonly phase: string;
  /** git's percentage within that phase. */
  readonly percent: number;
  /** A single 0–100 figure across the phases. */
  readonly overall: number;
}

export interface CloneOptions {
  readonly gitPath: string;
  /** The https clone URL, without user info. */
  readonly url: string;
  readonly target: string;
  readonly username: string;
  readonly password: string;
  readonly askpass: AskpassPrograms;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: CloneProgress) => void;
  /** Base environment; defaults to this process's. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Each phase's share of the overall figure: receiving dominates a clone's time. */
const PHASES: ReadonlyArray<[RegExp, number, number]> = [
  [/^(?:remote: )?(?:Enumerating|Counting) objects/, 0, 5],
  [/^(?:remote: )?Compressing objects/, 5, 10],
  [/^Receiving objects/, 10, 80],
  [/^Resolving deltas/, 80, 95],
  [/^(?:Updating files|Checking out files)/, 95, 100],
];

export async function cloneRepository(options: CloneOptions): Promise<void> {
  const url = new URL(options.url);
  if (url.username || url.password) throw new Error('Clone URLs must not carry credentials.');
  const createdTarget = await prepareTarget(options.target);
  const askpass = await AskpassSession.start(options.askpass, answerFor(url.host, options.username, options.password));
  const origin = `${url.protocol}//${url.host}`;
  const args = [
    '-c', 'credential.helper=',
    // The user name is no secret; giving it here saves git one askpass round trip.
    '-c', `credential.username=${options.username}`,
    'clone', '--progress',
    // Written into the new repository: later fetches and pushes skip the user's helpers for this host
    // too, so VS Code's askpass (and our credentials provider) answers them.
    '-c', `credential.${origin}.helper=`,
    '--', options.url, options.target,
  ];
  try {
    await runGit(options, args, askpass.env);
  } catch (error) {
    await removePartialClone(options.target, createdTarget);
    throw error;
  } finally {
    await askpass.dispose();
  }
}

/** True when the folder does not exist or is empty, the only targets git clones into. */
export async function isFreeTarget(target: string): Promise<boolean> {
  try {
    const stat = await fs.stat(target);
    return stat.isDirectory() && (await fs.readdir(target)).length === 0;
  } catch {
    return true;
  }
}

async function prepareTarget(target: string): Promise<boolean> {
  if (!(await isFreeTarget(target))) {
    throw new GitError('targetExists', `The folder ${target} already exists and is not empty. Choose another name or folder.`);
  }
  try {
    await fs.access(target);
    return false;
  } catch {
    return true;
  }
}

/** Best effort: a file still held open (Windows) must not replace the error that explains the failure. */
async function removePartialClone(target: string, createdTarget: boolean): Promise<void> {
  const remove = (folder: string) => fs.rm(folder, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  if (createdTarget) {
    await remove(target);
    return;
  }
  for (const entry of await fs.readdir(target).catch(() => [] as string[])) await remove(`${target}/${entry}`);
}

function runGit(options: CloneOptions, args: string[], extraEnv: Readonly<Record<string, string>>): Promise<void> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new GitError('cancelled', 'Clone cancelled.'));
      return;
    }
    const env = { ...(options.env ?? process.env), ...extraEnv, LANG: 'C', LC_ALL: 'C' };
    let child: ChildProcess;
    try {
      // Its own process group, so cancelling stops git's helpers (git-remote-http) too.
      child = spawn(options.gitPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'], detached: process.platform !== 'win32' });
    } catch (error) {
      reject(gitMissing(options.gitPath, error));
      return;
    }
    let stderr = '';
    let cancelled = false;
    const onAbort = () => {
      cancelled = true;
      killTree(child);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-16_384);
      if (options.onProgress) reportProgress(chunk, options.onProgress);
    });
    child.on('error', (error) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject((error as NodeJS.ErrnoException).code === 'ENOENT' ? gitMissing(options.gitPath, error) : error);
    });
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (cancelled) reject(new GitError('cancelled', 'Clone cancelled.'));
      else if (code === 0) resolve();
      else reject(classify(stderr));
    });
  });
}

function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    if (process.platform === 'win32') spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' });
    else process.kill(-child.pid, 'SIGTERM');
  } catch {
    child.kill();
  }
}

function reportProgress(chunk: string, report: (progress: CloneProgress) => void): void {
  for (const line of chunk.split(/[\r\n]+/)) {
    const percent = /:\s+(\d{1,3})%/.exec(line);
    if (!percent) continue;
    const phase = PHASES.find(([pattern]) => pattern.test(line));
    if (!phase) continue;
    const value = Number(percent[1]);
    const [, from, to] = phase;
    report({
      phase: line.slice(0, line.indexOf(':')).replace(/^remote: /, ''),
      percent: value,
      overall: Math.round(from + ((to - from) * value) / 100),
    });
  }
}

function gitMissing(gitPath: string, error: unknown): GitError {
  return new GitError(
    'gitMissing',
    `Git was not found (${gitPath}). Install Git, or set "git.path" to where it is, then try again.`,
    (error as Error).message,
  );
}

/** The last lines of git's output that say something (no progress lines), user info stripped from any URL. */
export function gitDetail(output: string): string {
  return output
    .replace(/(https?:\/\/)[^/@\s]+@/g, '$1')
    .split(/[\r\n]+/)
    .filter((line) => line.trim() && !/^(remote: )?(Enumerating|Counting|Compressing|Receiving|Resolving|Writing)/.test(line))
    .slice(-6)
    .join('\n');
}

/** Turns git's complaint into a sentence and a kind; the raw text goes to the log only. */
export function classify(stderr: string): GitError {
  const detail = gitDetail(stderr);
  if (/No space left on device|disk quota exceeded/i.test(stderr)) {
    return new GitError('diskFull', 'The disk is full: the clone was stopped and its partial folder removed. Free some space and try again.', detail);
  }
  // Before the 401 check: when askpass fails, git goes on to say it "could not read Password" too.
  if (/unable to read askpass response|cannot run .*askpass|cannot exec .*askpass/i.test(stderr)) {
    return new GitError(
      'askpass',
      'git asked for a password that the extension could not give it: for a host other than Bitbucket (a redirect, a submodule elsewhere), or its askpass helper could not run. Show Log has git\'s own message.',
      detail,
    );
  }
  if (/returned error: 410/i.test(stderr)) {
    return new GitError('authentication', 'Bitbucket no longer accepts this credential for git (410), as with app passwords since 2026. Sign in with an API token.', detail);
  }
  if (/returned error: 429/i.test(stderr)) {
    return new GitError('rateLimited', 'Bitbucket is limiting how often you may call it (429). Wait a few minutes, then try again.', detail);
  }
  if (/returned error: 5\d\d/i.test(stderr)) {
    return new GitError('serverError', 'Bitbucket had a server error and could not serve the clone. Try again in a moment.', detail);
  }
  if (/Authentication failed|could not read (Username|Password)|returned error: 401|HTTP Basic: Access denied/i.test(stderr)) {
    return new GitError('authentication', 'Bitbucket refused the token for git (401). It may be expired, revoked, or lack read:repository access. Sign in again.', detail);
  }
  if (/returned error: 403|403 Forbidden/i.test(stderr)) {
    return new GitError('forbidden', 'Bitbucket refused access to this repository (403): the token lacks the repository scope or access to it.', detail);
  }
  if (/Could not resolve host|Failed to connect|Connection refused|Connection timed out|Operation timed out|early EOF|RPC failed/i.test(stderr)) {
    return new GitError('network', 'The clone failed on the network: Bitbucket could not be reached or the connection dropped. Check your connection and try again.', detail);
  }
  if (/returned error: 404|repository '[^']*' not found|Repository not found/i.test(stderr)) {
    return new GitError('notFound', 'Bitbucket has no such repository, or your token cannot see it (404).', detail);
  }
  if (/unable to access/i.test(stderr)) {
    return new GitError('network', 'The clone failed on the network: Bitbucket could not be reached or the connection dropped. Check your connection and try again.', detail);
  }
  return new GitError('failed', `git clone failed: ${detail.split('\n').at(-1) || 'no reason given'}`, detail);
}
