/**
 * A Bitbucket Data Center credential (an HTTP access token on one server) and the server's address as the
 * extension keeps it. Nothing here stores a credential; see src/auth for that. No `vscode` import.
 */
import { t } from '../common/l10n';
import { isHttpsOrLoopback } from '../common/urls';
import { BitbucketError } from '../bitbucket/errors';

/** Which kind of HTTP access token: a user's own, or one made for a project or a repository. */
export type DataCenterTokenScope = 'personal' | 'project' | 'repository';

/**
 * An HTTP access token on one Data Center server. The REST API always gets `Authorization: Bearer <token>`,
 * which Atlassian documents for every kind of HTTP access token (Basic only for personal ones).
 */
export interface DataCenterCredential {
  readonly kind: 'dataCenterToken';
  /** `https://host[:port][/context]`, as `normaliseServerUrl` gives it: no trailing slash. */
  readonly serverUrl: string;
  readonly token: string;
  /** The user name a personal token belongs to (the `X-AUSERNAME` Data Center sends): git's Basic user. */
  readonly username?: string;
  readonly tokenScope?: DataCenterTokenScope;
  /** The user's slug, which names the personal project (`~SLUG`); it can differ from the user name. */
  readonly userSlug?: string;
  /** For project and repository tokens: the one project they work in. */
  readonly projectKey?: string;
  /** For repository tokens: the one repository they work in. */
  readonly repositorySlug?: string;
}

/** The REST API 1.0 root of a server, with the trailing slash relative paths resolve against. */
export function restRoot(serverUrl: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/rest/api/1.0/`;
}

export function bearerHeader(credential: Pick<DataCenterCredential, 'token'>): string {
  return `Bearer ${credential.token}`;
}

/**
 * Where a pasted page's address stops naming the server: the REST root, a project or user page, a clone link,
 * a plugin page. A context path is whatever comes before; one named like these is not plausible.
 */
function isApplicationPath(segments: readonly string[], index: number): boolean {
  const [segment, next, third] = segments.slice(index);
  switch (segment) {
    case 'rest':
      return next !== undefined;
    case 'projects':
    case 'users':
      return next !== undefined;
    case 'scm':
      return third !== undefined;
    case 'plugins':
      return next === 'servlet';
    case 'dashboard':
    case 'login':
    case 'profile':
      return next === undefined;
    default:
      return false;
  }
}

/**
 * The server's base address from what a person typed or pasted: `https://` added when no scheme is given,
 * https required (plain http only to this machine), user info, query and fragment dropped, no trailing slash,
 * and a pasted page (`/projects/KEY/repos/x/browse`, `/rest/api/1.0/...`, a clone link) cut back to the base,
 * keeping a context path such as `/bitbucket`. Throws a BitbucketError that says what to enter.
 */
export function normaliseServerUrl(input: string): string {
  const typed = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? typed : `https://${typed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw notAnAddress(typed);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) throw notAnAddress(typed);
  if (!isHttpsOrLoopback(url)) {
    throw new BitbucketError(
      'insecureUrl',
      t(
        "Refusing to send a token over plain http to {0}. Use the server's https:// address (plain http only works for this computer).",
        url.host,
      ),
    );
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const cut = segments.findIndex((_, index) => isApplicationPath(segments, index));
  const base = cut < 0 ? segments : segments.slice(0, cut);
  return `${url.origin}${base.map((segment) => `/${segment}`).join('')}`;
}

function notAnAddress(typed: string): BitbucketError {
  return new BitbucketError(
    'badRequest',
    t(
      '{0} is not a web address. Enter the address you open Bitbucket Data Center at in the browser, such as https://bitbucket.example.com.',
      JSON.stringify(typed),
    ),
  );
}
