/**
 * Reading and writing Bitbucket Data Center's addresses, with no request: web pages
 * (`{server}/projects/{KEY}/repos/{slug}/browse/{path}?at={ref}#{line}`, `{server}/users/{user}/repos/...` for
 * personal projects), clone links (`{server}/scm/{key}/{slug}.git`, `ssh://git@{host}:7999/{key}/{slug}.git`) and
 * file links with lines. Only addresses of this one server count: its origin and context path (and, for ssh,
 * its host name). Project keys are upper case (`~USER` for a personal project), slugs lower case, as Data
 * Center shows them and matches them in any case. No `vscode` import.
 */
import { encodePath, webLink } from '../host/links';
import type { HostedRepository, RepositoryRef, WebLocation } from '../host/types';

/** A project key as Data Center shows it: `PLAT`, or `~USER` for a user's personal project. */
export function projectKey(key: string): string {
  return key.toUpperCase();
}

/** The personal project of a user, by slug: `~SLUG` (a KB documents `~userslug` as the key in URLs). */
export function personalProjectKey(userSlug: string): string {
  return `~${userSlug.toUpperCase()}`;
}

function decoded(segments: readonly string[]): string[] | undefined {
  try {
    return segments.map((part) => decodeURIComponent(part));
  } catch {
    return undefined; // a malformed escape names nothing
  }
}

/** The path below the server's context path, as decoded segments, when `url` is on this server; else undefined. */
function belowServer(url: URL, server: URL): string[] | undefined {
  if (url.origin !== server.origin) return undefined;
  const context = server.pathname.split('/').filter(Boolean);
  const segments = url.pathname.split('/').filter(Boolean);
  if (context.some((part, index) => segments[index] !== part)) return undefined;
  return decoded(segments.slice(context.length));
}

/** `scm/{key}/{slug}.git` (the rest of a clone link's path) as the repository it names. */
function scmRef(segments: readonly string[]): RepositoryRef | undefined {
  if (segments.length !== 3 || segments[0] !== 'scm') return undefined;
  return keyAndSlug(segments[1], segments[2]);
}

function keyAndSlug(key: string, slugWithSuffix: string): RepositoryRef | undefined {
  const slug = slugWithSuffix.replace(/\.git$/i, '');
  if (!key || !slug || ['.', '..'].includes(key) || ['.', '..'].includes(slug)) return undefined;
  return { container: projectKey(key), slug: slug.toLowerCase() };
}

/** A git path on this server (`/{context}/scm/{key}/{slug}.git`, leading slash optional) as the repository it names. */
export function dataCenterRefFromGitPath(path: string, serverUrl: string): RepositoryRef | undefined {
  const server = new URL(serverUrl);
  const context = server.pathname.split('/').filter(Boolean);
  const segments = path.split('/').filter(Boolean);
  if (context.some((part, index) => segments[index] !== part)) return undefined;
  const rest = decoded(segments.slice(context.length));
  return rest && scmRef(rest);
}

/**
 * A git remote on this server: http(s) under the server's address (any user info), `ssh://git@host[:port]/key/slug.git`
 * or `git@host:key/slug.git` on the server's host name (Data Center's ssh port is its own, 7999 by default).
 */
export function dataCenterRefFromRemoteUrl(remote: string, serverUrl: string): RepositoryRef | undefined {
  const server = new URL(serverUrl);
  const text = remote.trim();
  const scp = /^[\w.-]+@([^:/\s]+):([^/\s]+)\/([^/\s]+?)\/?$/.exec(text);
  if (scp) return scp[1].toLowerCase() === server.hostname ? keyAndSlugDecoded(scp[2], scp[3]) : undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol === 'ssh:') {
    if (url.hostname !== server.hostname) return undefined;
    const segments = decoded(url.pathname.split('/').filter(Boolean));
    return segments?.length === 2 ? keyAndSlug(segments[0], segments[1]) : undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const segments = belowServer(url, server);
  return segments && scmRef(segments);
}

function keyAndSlugDecoded(key: string, slug: string): RepositoryRef | undefined {
  const parts = decoded([key, slug]);
  return parts && keyAndSlug(parts[0], parts[1]);
}

/**
 * What a link to this server names: a repository page (`/projects/{KEY}/repos/{slug}/...` or
 * `/users/{user}/repos/{slug}/...`), with `browse/{path}` or `raw/{path}` and `?at=` (a ref such as
 * `refs/heads/main`, or a commit), `commits/{hash}`, lines from `#12`, `#12-15` (the first range of
 * `#12-15,20`), or a clone link.
 */
export function dataCenterWebLocation(link: string, serverUrl: string): WebLocation | undefined {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return undefined;
  }
  const segments = belowServer(url, new URL(serverUrl));
  if (!segments) return undefined;
  const clone = scmRef(segments);
  if (clone) return { repository: clone };
  const [area, owner, repos, slug, view, ...rest] = segments;
  if ((area !== 'projects' && area !== 'users') || repos !== 'repos' || !owner || !slug) return undefined;
  const repository = keyAndSlug(area === 'users' ? `~${owner}` : owner, slug);
  if (!repository) return undefined;
  if (view === 'commits' && rest.length === 1) return { repository, ref: rest[0] };
  if (view !== 'browse' && view !== 'raw') return { repository };
  const at = url.searchParams.get('at') ?? undefined;
  const path = rest.join('/');
  return { repository, ref: at || undefined, path: path || undefined, lines: linesOf(url.hash) };
}

function linesOf(hash: string): { start: number; end: number } | undefined {
  const match = /^#(\d+)(?:-(\d+))?(?:,|$)/.exec(hash);
  if (!match) return undefined;
  const start = Number(match[1]);
  if (start < 1) return undefined;
  return { start, end: Math.max(start, Number(match[2] ?? start)) };
}

/**
 * A file's page at a commit: `{repository web}/browse/{path}?at={commit}` with `#{start}` or `#{start}-{end}`,
 * the fragment Data Center's file view writes when lines are selected (seen in its links and used by several
 * link tools; Atlassian documents no URL scheme). The commit, not a branch, keeps the link true after pushes.
 */
export function dataCenterFileLink(
  repository: HostedRepository,
  commit: string,
  path: string,
  lines?: { start: number; end: number },
): string | undefined {
  const web = webLink(repository.webUrl);
  if (!web || !/^[0-9a-f]{7,40}$/i.test(commit)) return undefined;
  const base = web.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const browse = base.endsWith('/browse') ? base : `${base}/browse`;
  const encoded = encodePath(path);
  const fragment = lines ? (lines.end > lines.start ? `#${lines.start}-${lines.end}` : `#${lines.start}`) : '';
  return `${browse}${encoded ? `/${encoded}` : ''}?at=${encodeURIComponent(commit)}${fragment}`;
}
