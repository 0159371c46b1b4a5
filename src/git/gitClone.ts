/**
 * Runs `git clone` over HTTPS with credentials supplied at run time through askpass: the URL carries no
 * user info, argv and the repository's config carry no secret, and the user's own credential helpers are
 * switched off for this host so a stale entry cannot get in the way (nor store our token).
 * No `vscode` import.
 */
import { ChildProcess, spawn } from 'child_process';
import { t } from '../common/l10n';
import { isHttpsOrLoopback } from '../common/urls';
import { AskpassPrograms, AskpassSession, answerFor } from './askpassServer';
import { claimTarget } from './cloneTarget';
import { GitError, classify, gitMissing } from './gitErrors';

/** git's phases of a clone, as its progress lines name them ("Receiving objects: 42% …"). */
export type ClonePhase = 'counting' | 'compressing' | 'receiving' | 'resolving' | 'checkout';

export interface CloneProgress {
  /** Which of git's phases the line was about. */
  readonly phase: ClonePhase;
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
  /**
   * A token git must send as `Authorization: Bearer` (Data Center's project and repository tokens, which
   * refuse Basic): handed to this git process alone in its environment (see `bearerEnvironment`); the
   * askpass then answers nothing, and user name and password are ignored.
   */
  readonly bearerToken?: string;
  readonly askpass: AskpassPrograms;
  /** The branch to check out; the remote's default branch when absent. */
  readonly branch?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: CloneProgress) => void;
  /** Base environment; defaults to this process's. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Each phase's share of the overall figure: receiving dominates a clone's time. */
const PHASES: ReadonlyArray<[RegExp, ClonePhase, number, number]> = [
  [/^(?:remote: )?(?:Enumerating|Counting) objects/, 'counting', 0, 5],
  [/^(?:remote: )?Compressing objects/, 'compressing', 5, 10],
  [/^Receiving objects/, 'receiving', 10, 80],
  [/^Resolving deltas/, 'resolving', 80, 95],
  [/^(?:Updating files|Checking out files)/, 'checkout', 95, 100],
];

/** What the progress notification says for a phase (git's own words are English whatever the language). */
export function progressMessage({ phase, percent }: CloneProgress): string {
  switch (phase) {
    case 'counting':
      return t('Counting objects {0}%', percent);
    case 'compressing':
      return t('Compressing objects {0}%', percent);
    case 'receiving':
      return t('Receiving objects {0}%', percent);
    case 'resolving':
      return t('Resolving deltas {0}%', percent);
    case 'checkout':
      return t('Checking out files {0}%', percent);
  }
}

export async function cloneRepository(options: CloneOptions): Promise<void> {
  const url = new URL(options.url);
  if (url.username || url.password) throw new Error(t('Clone URLs must not carry credentials.'));
  if (!isHttpsOrLoopback(url)) {
    throw new GitError(
      'failed',
      t('Refusing to clone {0}: your token goes to git over https only (or plain http to this machine).', `${url.protocol}//${url.host}`),
    );
  }
  const claimed = await claimTarget(options.target);
  let askpass: AskpassSession | undefined;
  try {
    const origin = `${url.protocol}//${url.host}`;
    const bearer = options.bearerToken !== undefined;
    // git gets the URL as parsed here, so its prompts name the host exactly as answerFor expects it.
    if (!bearer) askpass = await AskpassSession.start(options.askpass, answerFor(url.href, options.username, options.password));
    const extraEnv = bearer ? bearerEnvironment(options.env ?? process.env, url, options.bearerToken ?? '') : (askpass?.env ?? {});
    const args = [
      '-c',
      'credential.helper=',
      // The user name is no secret; giving it here saves git one askpass round trip.
      ...(bearer ? [] : ['-c', `credential.username=${options.username}`]),
      // A useHttpPath (the user's, or the one written below) would put the path into git's prompt, which
      // askpass answers only without one. The command line's setting wins over both.
      '-c',
      'credential.useHttpPath=false',
      '-c',
      `credential.${origin}.useHttpPath=false`,
      'clone',
      '--progress',
      // One argument with `=`: a branch name can never be read as another option.
      ...(options.branch ? [`--branch=${options.branch}`] : []),
      // Written into the new repository: later fetches and pushes skip the user's helpers for this host
      // too, so VS Code's askpass (and our credentials provider) answers them; and git names the repository
      // when it asks, so the provider can answer with the account it was cloned with.
      '-c',
      `credential.${origin}.helper=`,
      '-c',
      `credential.${origin}.useHttpPath=true`,
      '--',
      url.href,
      options.target,
    ];
    await runGit(options, args, extraEnv);
  } catch (error) {
    await claimed.release();
    throw error;
  } finally {
    await askpass?.dispose();
  }
}

/**
 * The environment that makes this one git process send `Authorization: Bearer <token>` to the clone's URL and
 * nowhere else, and never ask for a password. The trade-off, against the alternatives git offers:
 * - `-c http.extraHeader=…` on the command line is readable by every local user (`ps`, /proc/<pid>/cmdline);
 * - `git config` would write it into `.git/config`;
 * - the environment (`GIT_CONFIG_COUNT`/`KEY_n`/`VALUE_n`, git 2.31 or later) is readable only by this user and
 *   root (/proc/<pid>/environ), lives as long as the clone, and git passes it to its own helpers only.
 * The key is scoped to the clone URL (`http.<url>.extraHeader`) and redirects are not followed, so no other
 * host is sent the token, whatever the server answers.
 */
export function bearerEnvironment(base: NodeJS.ProcessEnv, url: URL, token: string): Record<string, string> {
  if (!token || /[\r\n]/.test(token)) throw new GitError('failed', t('The token cannot be sent to git: it is empty or spans lines.'));
  const first = Number.parseInt(base.GIT_CONFIG_COUNT ?? '0', 10);
  const start = Number.isInteger(first) && first > 0 ? first : 0;
  const entries: [string, string][] = [
    // eslint-disable-next-line l10n/user-facing-strings -- an HTTP header for git to send: protocol text
    [`http.${url.href}.extraHeader`, `Authorization: Bearer ${token}`],
    ['http.followRedirects', 'false'],
  ];
  const env: Record<string, string> = {
    GIT_CONFIG_COUNT: String(start + entries.length),
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
  };
  entries.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${start + index}`] = key;
    env[`GIT_CONFIG_VALUE_${start + index}`] = value;
  });
  return env;
}

function runGit(options: CloneOptions, args: string[], extraEnv: Readonly<Record<string, string>>): Promise<void> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new GitError('cancelled', t('Clone cancelled.')));
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
      if (cancelled) reject(new GitError('cancelled', t('Clone cancelled.')));
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
    const [, id, from, to] = phase;
    report({
      phase: id,
      percent: value,
      overall: Math.round(from + ((to - from) * value) / 100),
    });
  }
}
