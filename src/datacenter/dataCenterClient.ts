/**
 * The Bitbucket Data Center REST API 1.0 endpoints the extension uses, over the same BitbucketHttp as Cloud
 * (timeouts, retries, rate-limit back-off, size caps, redirect rules) with Data Center's Bearer header and
 * error wording. Pages follow `nextPageStart` as the server gives it and never compute it. No `vscode` import.
 */
import { DEFAULT_PAGE_SIZE } from '../bitbucket/defaults';
import { t } from '../common/l10n';
import { BitbucketError } from '../bitbucket/errors';
import { BitbucketHttp, HttpOptions, RawAnswer, RequestOptions } from '../bitbucket/http';
import type { SchemaOf } from '../bitbucket/schemas';
import { bearerHeader, restRoot } from './dataCenterCredential';
import { dataCenterErrors } from './dataCenterErrors';
import { dataCenterSchemas, DcApplicationProperties, DcPage, DcProject, DcRef, DcRepository, DcUser } from './dataCenterSchemas';

/** The most a page may hold: Data Center caps `limit` there by default (`page.max.*`), whatever is asked. */
export const DC_MAX_LIMIT = 1000;

/** A repository list's page size from the setting (Cloud's 10..100 fits here too), within what the server allows. */
export function clampDataCenterLimit(size: number | undefined): number {
  if (size === undefined || !Number.isFinite(size)) return DEFAULT_PAGE_SIZE;
  return Math.min(DC_MAX_LIMIT, Math.max(1, Math.round(size)));
}

export interface DataCenterClientOptions extends Omit<HttpOptions, 'baseUrl' | 'credential' | 'authorization' | 'errors'> {
  /** `https://host[:port][/context]`, as `normaliseServerUrl` gives it. */
  readonly serverUrl: string;
  /** Sent as Bearer; without one the client is anonymous (the server check reads application properties so). */
  readonly token?: string;
}

/** One page and the opaque cursor of the next: the page's own URL with `start` set to `nextPageStart`. */
export interface CursorPage<T> {
  readonly page: DcPage<T>;
  readonly next?: string;
}

type Query = Readonly<Record<string, string | number | undefined>>;

export class DataCenterClient {
  readonly http: BitbucketHttp;
  readonly serverUrl: string;

  constructor(options: DataCenterClientOptions) {
    const { serverUrl, token, ...rest } = options;
    this.serverUrl = serverUrl.replace(/\/+$/, '');
    this.http = new BitbucketHttp({
      ...rest,
      baseUrl: restRoot(this.serverUrl),
      authorization: token ? bearerHeader({ token }) : undefined,
      errors: dataCenterErrors(Boolean(token)),
    });
  }

  /** Version and name; needs no authentication (the REST reference says so), so it tells a server from anything else. */
  applicationProperties(signal?: AbortSignal): Promise<DcApplicationProperties> {
    return this.http.get('application-properties', dataCenterSchemas().applicationProperties, { signal });
  }

  /** Projects the token sees (PROJECT_VIEW), or those it has `permission` on; personal projects are not among them. */
  projects(options: { permission?: string; limit?: number; signal?: AbortSignal; onHeaders?: RequestOptions['onHeaders'] } = {}) {
    const query = { permission: options.permission, limit: options.limit ?? DC_MAX_LIMIT };
    return this.pages('projects', dataCenterSchemas().projectPage, query, options.signal, options.onHeaders);
  }

  project(key: string, signal?: AbortSignal): Promise<DcProject> {
    return this.http.get(`projects/${segment(key)}`, dataCenterSchemas().project, { signal });
  }

  /** A project's repositories, first page; Data Center orders them by name and has no other order. */
  repositoryPage(key: string, limit: number, signal?: AbortSignal): Promise<CursorPage<DcRepository>> {
    return this.cursorPage(`projects/${segment(key)}/repos`, { limit }, signal);
  }

  /**
   * Repositories of one project whose name *starts with* `name` (any case): `/repos` matches a prefix, as
   * Atlassian's RepositorySearchRequest documents; Data Center has no "contains" search for repositories.
   */
  searchRepositoryPage(key: string, name: string, limit: number, signal?: AbortSignal): Promise<CursorPage<DcRepository>> {
    return this.cursorPage('repos', { projectkey: key, name, limit }, signal);
  }

  /** Repositories the token has `permission` on (REPO_READ, REPO_WRITE, REPO_ADMIN), anywhere. */
  permittedRepositories(permission: string, limit: number, signal?: AbortSignal): Promise<CursorPage<DcRepository>> {
    return this.cursorPage('repos', { permission, limit }, signal);
  }

  /** The page a cursor from `repositoryPage` or `searchRepositoryPage` names. */
  async repositoryPageAt(cursor: string, signal?: AbortSignal): Promise<CursorPage<DcRepository>> {
    const page = await this.http.get(cursor, dataCenterSchemas().repositoryPage, { signal });
    return { page, next: nextCursor(cursor, page) };
  }

  repository(key: string, slug: string, signal?: AbortSignal): Promise<DcRepository> {
    return this.http.get(repositoryPath(key, slug), dataCenterSchemas().repository, { signal });
  }

  /**
   * Creates a repository. The reference says only `name` and `scmId` are read; servers also read `public` and
   * `description` (the answer shows what was made). The slug is derived from the name by the server.
   */
  createRepository(
    key: string,
    input: { name: string; public: boolean; description?: string },
    signal?: AbortSignal,
  ): Promise<DcRepository> {
    const body = { name: input.name, scmId: 'git', public: input.public, ...(input.description ? { description: input.description } : {}) };
    return this.http.post(`projects/${segment(key)}/repos`, body, dataCenterSchemas().repository, { signal });
  }

  /** The configured default branch, which may not exist yet (an empty repository). */
  defaultBranch(key: string, slug: string, signal?: AbortSignal) {
    return this.http.get(`${repositoryPath(key, slug)}/default-branch`, dataCenterSchemas().minimalRef, { signal });
  }

  /** One page of branches or tags whose name contains `filterText`, most recently changed first. */
  async refs(
    key: string,
    slug: string,
    kind: 'branches' | 'tags',
    filterText: string | undefined,
    limit: number,
    signal?: AbortSignal,
  ): Promise<DcRef[]> {
    const query = { filterText: filterText || undefined, orderBy: 'MODIFICATION', limit };
    const page = await this.http.get(`${repositoryPath(key, slug)}/${kind}`, dataCenterSchemas().refPage, { query, signal });
    return [...page.values];
  }

  /** A directory's pages at a commit; a file's `browse` answer has no children and is refused. */
  async *directoryPages(key: string, slug: string, commit: string, path: string, signal?: AbortSignal) {
    const at = `${repositoryPath(key, slug)}/browse${filePath(path)}`;
    let start: number | undefined;
    for (;;) {
      const answer = await this.http.get(at, dataCenterSchemas().directory, { query: { at: commit, start, limit: DC_MAX_LIMIT }, signal });
      if (!answer.children) {
        throw new BitbucketError(
          'badRequest',
          t('{0} is a file at {1} in {2}/{3}, not a folder.', path || '/', commit.slice(0, 12), key, slug),
        );
      }
      yield answer.children.values;
      start = followingStart(answer.children, start, at);
      if (start === undefined) return;
    }
  }

  /** Every file path below the repository root at a commit, page by page (`files` lists recursively). */
  filePages(key: string, slug: string, commit: string, signal?: AbortSignal) {
    return this.pages(`${repositoryPath(key, slug)}/files`, dataCenterSchemas().filePage, { at: commit, limit: DC_MAX_LIMIT }, signal);
  }

  /** `DIRECTORY`, `FILE` or `SUBMODULE` (`browse` with `type=true`). */
  async pathType(key: string, slug: string, commit: string, path: string, signal?: AbortSignal): Promise<string> {
    const query = { at: commit, type: 'true' };
    return (await this.http.get(`${repositoryPath(key, slug)}/browse${filePath(path)}`, dataCenterSchemas().pathType, { query, signal }))
      .type;
  }

  /** A file's size in bytes (`browse` with `size=true`). */
  async pathSize(key: string, slug: string, commit: string, path: string, signal?: AbortSignal): Promise<number> {
    const query = { at: commit, size: 'true' };
    return (await this.http.get(`${repositoryPath(key, slug)}/browse${filePath(path)}`, dataCenterSchemas().pathSize, { query, signal }))
      .size;
  }

  /** A file's bytes at a commit, with the content type the server gives. */
  raw(
    key: string,
    slug: string,
    commit: string,
    path: string,
    signal?: AbortSignal,
    onProgress?: (received: number, total: number | undefined) => void,
  ): Promise<RawAnswer> {
    return this.http.getBytes(`${repositoryPath(key, slug)}/raw${filePath(path)}`, { query: { at: commit }, signal, onProgress });
  }

  /** Users whose user name, display name or email contains `filter` (signed-in callers only). */
  async users(filter: string, signal?: AbortSignal): Promise<DcUser[]> {
    const page = await this.http.get('users', dataCenterSchemas().userPage, { query: { filter, limit: 100 }, signal });
    return [...page.values];
  }

  private async cursorPage(path: string, query: Query, signal?: AbortSignal): Promise<CursorPage<DcRepository>> {
    const cursor = this.link(path, query);
    return this.repositoryPageAt(cursor, signal);
  }

  private link(path: string, query: Query): string {
    const url = new URL(path, this.http.baseUrl);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
    return url.toString();
  }

  /** Every page of a paged resource, each asked for with `start` = the previous page's `nextPageStart`. */
  private async *pages<T>(
    path: string,
    schema: SchemaOf<DcPage<T>>,
    query: Query,
    signal?: AbortSignal,
    onHeaders?: RequestOptions['onHeaders'],
  ): AsyncGenerator<DcPage<T>> {
    let start: number | undefined;
    for (;;) {
      const page = await this.http.get(path, schema, { query: { ...query, start }, signal, onHeaders });
      yield page;
      start = followingStart(page, start, path);
      if (start === undefined) return;
    }
  }
}

/** Where the page after this one starts, or undefined after the last; a server that does not move on is refused. */
function followingStart(
  page: Pick<DcPage<unknown>, 'isLastPage' | 'nextPageStart'>,
  asked: number | undefined,
  path: string,
): number | undefined {
  if (page.isLastPage) return undefined;
  const next = page.nextPageStart;
  if (next === undefined || next === null || next <= (asked ?? 0)) {
    throw new BitbucketError(
      'invalidResponse',
      t('Bitbucket Data Center did not say where the next page of {0} starts; stopped there.', path),
    );
  }
  return next;
}

/** The cursor of the page after `page`: the same URL with `start` set to the `nextPageStart` it gave. */
function nextCursor(cursor: string, page: DcPage<unknown>): string | undefined {
  const url = new URL(cursor);
  const start = followingStart(page, Number(url.searchParams.get('start') ?? 0), url.pathname);
  if (start === undefined) return undefined;
  url.searchParams.set('start', String(start));
  return url.toString();
}

/**
 * A project key or repository slug as one encoded path segment. `.`, `..` and empty names would walk the
 * API's path, so they are refused; `~USER` (a personal project) stays as it is.
 */
export function segment(name: string): string {
  if (name === '' || name === '.' || name === '..') {
    throw new BitbucketError(
      'invalidName',
      t('{0} is not a Bitbucket Data Center project key or repository slug; nothing was requested.', JSON.stringify(name)),
    );
  }
  return encodeURIComponent(name);
}

function repositoryPath(key: string, slug: string): string {
  return `projects/${segment(key)}/repos/${segment(slug)}`;
}

/** `/a/b%20c` for `a/b c` ('' for the root), each segment encoded and checked. */
function filePath(path: string): string {
  const segments = path.split('/').filter((part) => part !== '');
  return segments.map((part) => `/${segment(part)}`).join('');
}
