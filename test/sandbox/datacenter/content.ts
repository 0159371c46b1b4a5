import { GitRef, GitReader, TreeEntry } from '../git-read';
import { dcError, DcError, EXCEPTIONS } from './errors';
import { page, pageRequest } from './paging';
import { branchJson, pathJson, tagJson } from './representations';
import { DcRepositorySeed } from './seed';

/**
 * The repository-content resources, read from the real bare repository with the Cloud sandbox's GitReader:
 * `branches` (filterText, orderBy), `branches/default` (deprecated) and `default-branch`, `tags`,
 * `browse[/{path}]?at=` (a directory's children or a file's lines, both paged; `type=true`, `size=true`)
 * and `raw/{path}?at=`. `at` is a branch or tag name, `refs/heads/…`, `refs/tags/…` or a commit hash
 * (4 to 40 hex digits); absent, the default branch. Nothing a client typed reaches git but a validated
 * hash or a validated path after a full hash.
 */
export interface ContentResponse {
  status: number;
  body?: unknown;
  raw?: Buffer;
  headers?: Record<string, string>;
}

/** Browse pages: the children of a directory and the lines of a file (Bitbucket's page.max.* settings). */
export const BROWSE_DEFAULT_LIMIT = 500;
export const BROWSE_MAX_LIMIT = 1000;
export const LINES_MAX_LIMIT = 5000;

const TEXT_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  json: 'application/json',
  pdf: 'application/pdf',
  zip: 'application/zip',
};
const TEXT_EXTENSIONS = new Set([
  'md',
  'txt',
  'ts',
  'js',
  'py',
  'java',
  'go',
  'kt',
  'sh',
  'yml',
  'yaml',
  'xml',
  'gitignore',
  'html',
  'css',
]);

export function contentType(name: string): string {
  const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  return (
    TEXT_TYPES[extension] ??
    (TEXT_EXTENSIONS.has(extension) || !name.includes('.') ? 'text/plain;charset=UTF-8' : 'application/octet-stream')
  );
}

const noSuchPath = (path: string, at: string): DcError =>
  dcError(404, `The path "${path}" does not exist at revision "${at}"`, EXCEPTIONS.noSuchPath);

/** Checks a repository path's decoded segments: no empty, `.` or `..` segment, none with `/`, `\\` or NUL (a trailing slash is dropped). */
export function repositoryPath(segments: readonly string[]): string[] | undefined {
  const parts = segments.filter((segment, index) => !(segment === '' && index === segments.length - 1));
  return parts.every((part) => part !== '' && part !== '.' && part !== '..' && !/[/\\\0]/.test(part)) ? parts : undefined;
}

export class ContentReader {
  constructor(private readonly reader: GitReader) {}

  /** The commit `at` names in this repository; a 404 when it names nothing. */
  async resolve(gitDir: string, repository: DcRepositorySeed, at: string | null): Promise<string> {
    const refs = await this.reader.refs(gitDir);
    const find = (kind: GitRef['kind'], name: string): GitRef | undefined => refs.find((ref) => ref.kind === kind && ref.name === name);
    let ref: GitRef | undefined;
    if (at === null || at === '') {
      ref = find('branch', repository.defaultBranch);
    } else if (at.startsWith('refs/heads/')) {
      ref = find('branch', at.slice('refs/heads/'.length));
    } else if (at.startsWith('refs/tags/')) {
      ref = find('tag', at.slice('refs/tags/'.length));
    } else {
      ref = find('branch', at) ?? find('tag', at);
    }
    if (ref) {
      return ref.commit;
    }
    const hash = at && /^[0-9a-fA-F]{4,40}$/.test(at) ? await this.reader.resolveHash(gitDir, at.toLowerCase()) : undefined;
    if (!hash) {
      const revision = at || `refs/heads/${repository.defaultBranch}`;
      throw dcError(404, `Commit '${revision}' does not exist in repository '${repository.slug}'.`, EXCEPTIONS.noSuchCommit);
    }
    return hash;
  }

  async branches(gitDir: string, repository: DcRepositorySeed, query: URLSearchParams): Promise<ContentResponse> {
    const refs = await this.refs(gitDir, 'branch', query);
    const values = refs.map((ref) => branchJson(ref.name, ref.commit, ref.name === repository.defaultBranch));
    return { status: 200, body: page(values, pageRequest(query)) };
  }

  async tags(gitDir: string, query: URLSearchParams): Promise<ContentResponse> {
    const refs = await this.refs(gitDir, 'tag', query);
    const values = refs.map((ref) => tagJson(ref.name, ref.commit, ref.annotated ? ref.oid : undefined));
    return { status: 200, body: page(values, pageRequest(query)) };
  }

  /** `branches/default`: the default branch as a RestBranch; 204 for an empty repository, 404 if not created yet. */
  async defaultBranch(gitDir: string, repository: DcRepositorySeed): Promise<ContentResponse> {
    const refs = await this.reader.refs(gitDir);
    if (!refs.some((ref) => ref.kind === 'branch')) {
      return { status: 204 };
    }
    const ref = refs.find((candidate) => candidate.kind === 'branch' && candidate.name === repository.defaultBranch);
    if (!ref) {
      throw dcError(404, `The default branch 'refs/heads/${repository.defaultBranch}' does not exist.`, EXCEPTIONS.noSuchBranch);
    }
    return { status: 200, body: branchJson(ref.name, ref.commit, true) };
  }

  async browse(gitDir: string, repository: DcRepositorySeed, path: string[], query: URLSearchParams): Promise<ContentResponse> {
    const at = query.get('at');
    const commit = await this.resolve(gitDir, repository, at);
    const revision = at || `refs/heads/${repository.defaultBranch}`;
    const entry = await this.entry(gitDir, commit, path, revision);
    const type = entry === 'root' || entry.type === 'tree' ? 'DIRECTORY' : entry.type === 'commit' ? 'SUBMODULE' : 'FILE';
    if (query.get('size') === 'true') {
      return { status: 200, body: { size: entry !== 'root' && entry.type === 'blob' ? (entry.size ?? 0) : 0 } };
    }
    if (query.get('type') === 'true') {
      return { status: 200, body: { type } };
    }
    if (type === 'SUBMODULE') {
      throw noSuchPath(path.join('/'), revision);
    }
    if (type === 'DIRECTORY') {
      const entries = (await this.reader.listTree(gitDir, path.length === 0 ? `${commit}^{tree}` : `${commit}:${path.join('/')}`)) ?? [];
      const children = page(entries, pageRequest(query, BROWSE_DEFAULT_LIMIT, BROWSE_MAX_LIMIT), childJson);
      return { status: 200, body: { path: pathJson(path), revision, children } };
    }
    const text = (await this.reader.readBlob(gitDir, (entry as TreeEntry).oid)).toString('utf8');
    const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
    const lineRequest = pageRequest(query, BROWSE_DEFAULT_LIMIT, LINES_MAX_LIMIT);
    const { values, start, size, isLastPage, limit, nextPageStart } = page(lines, lineRequest, (line) => ({ text: line }));
    // The lines page names its array `lines`; field order as captured from real servers.
    return {
      status: 200,
      body: { lines: values, start, size, isLastPage, limit, ...(nextPageStart === undefined ? {} : { nextPageStart }) },
    };
  }

  async raw(gitDir: string, repository: DcRepositorySeed, path: string[], query: URLSearchParams): Promise<ContentResponse> {
    const at = query.get('at');
    const commit = await this.resolve(gitDir, repository, at);
    const revision = at || `refs/heads/${repository.defaultBranch}`;
    const entry = await this.entry(gitDir, commit, path, revision);
    if (entry === 'root' || entry.type !== 'blob') {
      throw noSuchPath(path.join('/'), revision);
    }
    const bytes = await this.reader.readBlob(gitDir, entry.oid);
    const name = path[path.length - 1];
    return { status: 200, raw: bytes, headers: { 'content-type': contentType(name), 'content-length': String(bytes.length) } };
  }

  /** The tree entry a path names at a commit (`'root'` for the empty path); a 404 when there is none. */
  private async entry(gitDir: string, commit: string, path: string[], revision: string): Promise<TreeEntry | 'root'> {
    if (path.length === 0) {
      return 'root';
    }
    const parent = path.length === 1 ? `${commit}^{tree}` : `${commit}:${path.slice(0, -1).join('/')}`;
    const entries = await this.reader.listTree(gitDir, parent);
    const entry = entries?.find((candidate) => candidate.name === path[path.length - 1]);
    if (!entry) {
      throw noSuchPath(path.join('/'), revision);
    }
    return entry;
  }

  /** Branches or tags matching `filterText` (case-insensitive substring), in `orderBy` order (ALPHABETICAL by default). */
  private async refs(gitDir: string, kind: GitRef['kind'], query: URLSearchParams): Promise<GitRef[]> {
    const filter = (query.get('filterText') ?? '').trim().toLowerCase();
    const refs = (await this.reader.refs(gitDir)).filter((ref) => ref.kind === kind && ref.name.toLowerCase().includes(filter));
    const orderBy = (query.get('orderBy') ?? 'ALPHABETICAL').toUpperCase();
    if (orderBy === 'MODIFICATION') {
      const commits = await this.reader.commits(
        gitDir,
        refs.map((ref) => ref.commit),
      );
      const time = (ref: GitRef): number => commits.get(ref.commit)?.committer.time ?? 0;
      return refs.sort((a, b) => time(b) - time(a) || a.name.localeCompare(b.name));
    }
    return refs.sort((a, b) => a.name.localeCompare(b.name));
  }
}

/** One child of a directory page: its path relative to the directory, `contentId` (the object id), type and size. */
function childJson(entry: TreeEntry): Record<string, unknown> {
  const type = entry.type === 'tree' ? 'DIRECTORY' : entry.type === 'commit' ? 'SUBMODULE' : 'FILE';
  return { path: pathJson([entry.name]), contentId: entry.oid, type, ...(entry.size === undefined ? {} : { size: entry.size }) };
}
