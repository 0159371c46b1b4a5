/**
 * Puts a local git repository on Bitbucket: adds a remote whose URL has no credentials, switches the
 * user's credential helpers off for that host in this repository (as clone does), and pushes through VS
 * Code's git, whose askpass asks our credentials provider.
 */
import { cloneUrl } from '../bitbucket/cloneLinks';
import { Repository } from '../bitbucket/schemas';
import { GitRepository } from './gitApi';
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

export async function pushToBitbucket(local: GitRepository, target: Repository): Promise<string> {
  const url = cloneUrl(target, 'https');
  if (!url) throw new Error(`Bitbucket gave no HTTPS link for ${target.full_name}.`);
  const remoteName = local.state.remotes.some((remote) => remote.name === 'origin') ? 'bitbucket' : 'origin';
  const { protocol, host } = new URL(url);
  await local.setConfig(`credential.${protocol}//${host}.helper`, '');
  await local.addRemote(remoteName, url);
  const branch = local.state.HEAD?.name;
  await local.push(remoteName, branch, true);
  return remoteName;
}
