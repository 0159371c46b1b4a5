/**
 * Where a browsed file is: `bitbucket://{account key}/{workspace}/{slug}/{path}`. The authority names the
 * account by a short key (never the token, nor an id with characters a URI authority cannot hold); the
 * commit is not in the URI but in the mount of `{workspace}/{slug}`, so that switching branches keeps the
 * editors' paths. No `vscode` import.
 */
import { RepositoryRef } from '../host/types';

export const BROWSE_SCHEME = 'bitbucket';

export interface BrowseLocation {
  /** The account's key, as in the URI's authority. */
  readonly accountKey: string;
  readonly repository: RepositoryRef;
  /** Below the repository root, without leading or trailing slash; '' is the root. */
  readonly path: string;
}

/** A short, stable, URI-safe key for an account id (FNV-1a, 64 bits as two 32-bit halves, hex). */
export function accountKey(accountId: string): string {
  let low = 0x811c9dc5;
  let high = 0x01000193 ^ 0x5bd1e995;
  for (let index = 0; index < accountId.length; index++) {
    const code = accountId.charCodeAt(index);
    low = Math.imul(low ^ code, 0x01000193) >>> 0;
    high = Math.imul(high ^ code ^ (low >>> 7), 0x01000193) >>> 0;
  }
  return `a${high.toString(16).padStart(8, '0')}${low.toString(16).padStart(8, '0')}`;
}

/** The location a URI's authority and path name, or undefined when they name no repository. */
export function parseBrowsePath(authority: string, path: string): BrowseLocation | undefined {
  const [container, slug, ...rest] = path.split('/').filter((part) => part !== '');
  if (!authority || !container || !slug) return undefined;
  if (rest.some((part) => part === '.' || part === '..')) return undefined;
  return { accountKey: authority, repository: { container, slug }, path: rest.join('/') };
}

/** The URI path of a location: `/{workspace}/{slug}/{path}`. */
export function browsePath(location: Omit<BrowseLocation, 'accountKey'>): string {
  const root = `/${location.repository.container}/${location.repository.slug}`;
  return location.path ? `${root}/${location.path}` : root;
}

/** The key of a mount: one account's view of one repository. */
export function mountKey(accountKeyValue: string, repository: RepositoryRef): string {
  return `${accountKeyValue}/${repository.container}/${repository.slug}`;
}
