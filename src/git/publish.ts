/**
 * Puts a local git repository on Bitbucket: adds a remote whose URL has no credentials, switches the
 * user's credential helpers off for that host in this repository and has git name the repository in its
 * prompts (as clone does), and pushes through VS Code's git, whose askpass asks our credentials provider.
 */
import { t } from '../common/l10n';
import { cloneUrl } from '../host/links';
import { HostedRepository } from '../host/types';
import { GitRepository } from './gitApi';
import { GitError, gitDetail } from './gitErrors';
import { GitHosts } from './gitHosts';

/** True when no remote of the repository points at a Bitbucket host. */
export function hasNoBitbucketRemote(repository: GitRepository, hosts: GitHosts): boolean {
  return repository.state.remotes.every((remote) => {
    const url = remote.pushUrl ?? remote.fetchUrl;
    if (!url) return true;
    try {
      return !hosts.has(new URL(url).host);
    } catch {
      return !/bitbucket\.org[:/]/.test(url); // scp-like ssh remote
    }
  });
}

export async function pushToBitbucket(local: GitRepository, target: HostedRepository): Promise<string> {
  const url = cloneUrl(target, 'https');
  if (!url) throw new Error(t('Bitbucket gave no HTTPS link for {0}.', target.fullName));
  // A second try after a failed push finds the remote it added the first time.
  const existing = local.state.remotes.find((remote) => remote.fetchUrl === url || remote.pushUrl === url);
  const remoteName = existing?.name ?? (local.state.remotes.some((remote) => remote.name === 'origin') ? 'bitbucket' : 'origin');
  const { protocol, host } = new URL(url);
  await local.setConfig(`credential.${protocol}//${host}.helper`, '');
  // git then names the repository when it asks for a credential, so the right account answers.
  await local.setConfig(`credential.${protocol}//${host}.useHttpPath`, 'true');
  if (!existing) await local.addRemote(remoteName, url);
  const branch = local.state.HEAD?.name;
  try {
    await local.push(remoteName, branch, true);
  } catch (error) {
    throw pushError(error, target);
  }
  return remoteName;
}

/** What VS Code's git rejects a push with (its GitError), as far as this reads it. */
interface VsCodeGitFailure {
  readonly gitErrorCode?: string;
  readonly stderr?: string;
  readonly message?: string;
}

/**
 * A failed push, said so that the person knows the repository exists and what to do. git's own words
 * (user info stripped from URLs) go to the log as the detail.
 */
export function pushError(error: unknown, target: HostedRepository): GitError {
  const failure = (error ?? {}) as VsCodeGitFailure;
  const detail = gitDetail(failure.stderr || failure.message || String(error));
  const name = target.fullName;
  switch (failure.gitErrorCode) {
    case 'AuthenticationFailed':
      return new GitError(
        'authentication',
        t(
          '{0} was created on Bitbucket, but the push failed: Bitbucket refused the token. Pushing needs write:repository:bitbucket; sign in with a token that has it.',
          name,
        ),
        detail,
      );
    case 'PermissionDenied':
      return new GitError(
        'forbidden',
        t(
          '{0} was created on Bitbucket, but the push failed: your token may not write to it (403). Pushing needs write:repository:bitbucket.',
          name,
        ),
        detail,
      );
    case 'PushRejected':
      return new GitError(
        'failed',
        t(
          "{0} was created on Bitbucket, but the push failed: git reports it rejected. {1} has git's reason; push again from Source Control once it is resolved.",
          name,
          t('Show Log'),
        ),
        detail,
      );
    case 'RemoteConnectionError':
    case 'CantAccessRemote':
      return new GitError(
        'network',
        t('{0} was created on Bitbucket, but the push failed: Bitbucket could not be reached. Check your connection and push again.', name),
        detail,
      );
  }
  const reason = detail.split('\n').at(-1);
  const message = reason
    ? t('{0} was created on Bitbucket, but the push failed: {1}. Push again from Source Control once it is resolved.', name, reason)
    : t('{0} was created on Bitbucket, but the push failed: git gave no reason. Push again from Source Control once it is resolved.', name);
  return new GitError('failed', message, detail);
}
