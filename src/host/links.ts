/**
 * A repository's links as a host gave them: clone links for git and a web page for the browser.
 * The https clone link may carry a user name; it is stripped so that git asks for credentials, which the
 * extension supplies at run time. A link that is malformed, or that would take a credential over plain
 * http to another machine, is reported as an invalid answer and never used.
 */
import { t } from '../common/l10n';
import { isHttpsOrLoopback } from '../common/urls';
import { InvalidAnswerError } from './errors';
import { HostedRepository } from './types';

export type CloneProtocol = 'https' | 'ssh';

export function cloneUrl(repository: HostedRepository, protocol: CloneProtocol = 'https'): string | undefined {
  const href = repository.cloneLinks?.[protocol];
  if (!href) return undefined;
  if (protocol === 'ssh') {
    // ssh://… or git@host:path; anything else (ext::, a file path, an option) is no ssh link to hand to git.
    if (/^(ssh:\/\/[^\s]+|[\w.-]+@[\w.-]+:[^\s-][^\s]*)$/.test(href)) return href;
    throw new InvalidAnswerError(t('Bitbucket gave a malformed ssh clone link for {0}; it was not used.', repository.fullName), href);
  }
  const url = parseCloneLink(href, repository);
  if (!isHttpsOrLoopback(url)) {
    throw new InvalidAnswerError(
      t(
        "Bitbucket's HTTPS clone link for {0} is not https ({1}//{2}); it was not used, so your token was not sent.",
        repository.fullName,
        url.protocol,
        url.host,
      ),
    );
  }
  return withoutUserInfo(url.toString());
}

/** The URL with any `user:password@` removed. */
export function withoutUserInfo(href: string): string {
  const url = new URL(href);
  url.username = '';
  url.password = '';
  return url.toString();
}

/** `host[:port]` of a repository's https clone link, the key git and VS Code use to ask for credentials. */
export function gitAuthority(repository: HostedRepository): string | undefined {
  const href = cloneUrl(repository, 'https');
  return href ? new URL(href).host : undefined;
}

/**
 * A web page link from the API, fit to open in the browser: https, or http to this machine (the
 * sandbox). Anything else (`file:`, `command:`, another scheme, a malformed link) gives undefined.
 */
export function webLink(href: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href);
    return isHttpsOrLoopback(url) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A path inside a repository as it goes into a web page's URL: each segment percent-encoded, empty segments
 * (a leading, trailing or doubled `/`) dropped, so a name with `#`, `?` or a space stays one segment.
 */
export function encodePath(path: string): string {
  return path
    .split('/')
    .filter((segment) => segment !== '')
    .map(encodeURIComponent)
    .join('/');
}

function parseCloneLink(href: string, repository: HostedRepository): URL {
  try {
    return new URL(href);
  } catch {
    throw new InvalidAnswerError(t('Bitbucket gave a malformed clone link for {0}; it was not used.', repository.fullName), href);
  }
}
