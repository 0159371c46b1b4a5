/**
 * Clone URLs as Bitbucket gives them in `links.clone`. The https link may carry a user name; it is
 * stripped so that git asks for credentials, which the extension supplies at run time.
 */
import { Repository } from './schemas';

export type CloneProtocol = 'https' | 'ssh';

export function cloneUrl(repository: Repository, protocol: CloneProtocol = 'https'): string | undefined {
  const link = repository.links?.clone?.find((candidate) => candidate.name === protocol);
  if (!link) return undefined;
  return protocol === 'https' ? withoutUserInfo(link.href) : link.href;
}

/** The URL with any `user:password@` removed. */
export function withoutUserInfo(href: string): string {
  const url = new URL(href);
  url.username = '';
  url.password = '';
  return url.toString();
}

/** `host[:port]` of a repository's https clone link, the key git and VS Code use to ask for credentials. */
export function gitAuthority(repository: Repository): string | undefined {
  const href = cloneUrl(repository, 'https');
  return href ? new URL(href).host : undefined;
}
