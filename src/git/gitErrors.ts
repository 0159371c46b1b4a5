/**
 * What went wrong in a git run, as a kind the UI switches on and a sentence people read: git's stderr is
 * classified here, apart from running git, and the words are chosen once for clone and push alike.
 * No `vscode` import.
 */
import { ExplainedError, Remedy } from '../common/explainedError';
import { t } from '../common/l10n';

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

export class GitError extends ExplainedError {
  constructor(
    readonly kind: GitErrorKind,
    message: string,
    /** The end of git's own output, for the log; user info is stripped from any URL in it. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'GitError';
  }

  get remedy(): Remedy | undefined {
    if (this.kind === 'authentication' || this.kind === 'forbidden') return 'signIn';
    return ['network', 'diskFull', 'rateLimited', 'serverError'].includes(this.kind) ? 'retry' : undefined;
  }
}

export function gitMissing(gitPath: string, error: unknown): GitError {
  return new GitError(
    'gitMissing',
    t('Git was not found ({0}). Install Git, or set "git.path" to where it is, then try again.', gitPath),
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
    return new GitError(
      'diskFull',
      t('The disk is full: the clone was stopped and its partial folder removed. Free some space and try again.'),
      detail,
    );
  }
  // Before the 401 check: when askpass fails, git goes on to say it "could not read Password" too. The
  // askpass programs write which failure it was (askpass-bash.sh, askpassMain.ts).
  if (/bitbucket askpass: no answer from the editor/.test(stderr)) {
    return new GitError(
      'askpass',
      t('git could not get your token from VS Code: the extension did not answer in time. Try again.'),
      detail,
    );
  }
  if (/bitbucket askpass: refused/.test(stderr)) {
    return new GitError(
      'askpass',
      t(
        "git asked for a password for an address other than this Bitbucket repository (a redirect, a submodule or git-lfs elsewhere); the extension gave it none. {0} has git's own message.",
        t('Show Log'),
      ),
      detail,
    );
  }
  if (/unable to read askpass response|cannot run .*askpass|cannot exec .*askpass/i.test(stderr)) {
    return new GitError(
      'askpass',
      t("git could not run the extension's password helper, so it got no token. {0} has git's own message.", t('Show Log')),
      detail,
    );
  }
  if (/returned error: 410/i.test(stderr)) {
    return new GitError(
      'authentication',
      t('Bitbucket no longer accepts this credential for git (410), as with app passwords since 2026. Sign in with an API token.'),
      detail,
    );
  }
  if (/returned error: 429/i.test(stderr)) {
    return new GitError(
      'rateLimited',
      t('Bitbucket is limiting how often you may call it (429). Wait a few minutes, then try again.'),
      detail,
    );
  }
  if (/returned error: 5\d\d/i.test(stderr)) {
    return new GitError('serverError', t('Bitbucket had a server error and could not serve the clone. Try again in a moment.'), detail);
  }
  if (/Authentication failed|could not read (Username|Password)|returned error: 401|HTTP Basic: Access denied/i.test(stderr)) {
    return new GitError(
      'authentication',
      t('Bitbucket refused the token for git (401). It may be expired, revoked, or lack read:repository access. Sign in again.'),
      detail,
    );
  }
  if (/returned error: 403|403 Forbidden/i.test(stderr)) {
    return new GitError(
      'forbidden',
      t('Bitbucket refused access to this repository (403): the token lacks the repository scope or access to it.'),
      detail,
    );
  }
  if (
    /Could not resolve host|Failed to connect|Connection refused|Connection timed out|Operation timed out|early EOF|RPC failed/i.test(
      stderr,
    )
  ) {
    return new GitError(
      'network',
      t('The clone failed on the network: Bitbucket could not be reached or the connection dropped. Check your connection and try again.'),
      detail,
    );
  }
  const branch = /Remote branch (.+?) not found in upstream/.exec(stderr);
  if (branch) {
    return new GitError(
      'notFound',
      t('The repository has no branch "{0}" (it may have been deleted or renamed). Clone again and choose another branch.', branch[1]),
      detail,
    );
  }
  if (/returned error: 404|repository '[^']*' not found|Repository not found/i.test(stderr)) {
    return new GitError('notFound', t('Bitbucket has no such repository, or your token cannot see it (404).'), detail);
  }
  if (/unable to access/i.test(stderr)) {
    return new GitError(
      'network',
      t('The clone failed on the network: Bitbucket could not be reached or the connection dropped. Check your connection and try again.'),
      detail,
    );
  }
  const reason = detail.split('\n').at(-1);
  return new GitError('failed', reason ? t('git clone failed: {0}', reason) : t('git clone failed: no reason given'), detail);
}
