/**
 * Bitbucket Cloud 2.0 endpoints the extension uses. No `vscode` import: it runs and is tested in plain Node.
 * Every list is trimmed with `fields` to what the UI shows, keeping `next` so paging goes on.
 */
import { t } from '../common/l10n';
import type { NewRepository, RepositorySort } from '../host/types';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MIN_PAGE_SIZE, clampPageSize } from './defaults';
import { BitbucketError } from './errors';
import { BitbucketHttp, ByteProgress, HttpOptions, RawAnswer } from './http';
import { Account, Page, Project, Ref, Repository, SchemaOf, TreeEntry, Workspace, WorkspaceAccess, schemas } from './schemas';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MIN_PAGE_SIZE, clampPageSize };

/**
 * What the tree and its tooltips need of a repository: a few hundred bytes instead of a few KB. Clone links
 * are a quarter of that and only needed for the one repository being cloned, so lists leave them out.
 */
export const REPOSITORY_LIST_FIELDS = [
  'slug',
  'name',
  'full_name',
  'uuid',
  'is_private',
  'description',
  'language',
  'updated_on',
  'project.key',
  'project.name',
  'mainbranch.name',
  'links.html.href',
];

/** One repository in full enough to clone it. */
export const REPOSITORY_FIELDS = [...REPOSITORY_LIST_FIELDS, 'links.clone'];

function repositoryPageFields(withCloneLinks: boolean): string {
  const fields = withCloneLinks ? REPOSITORY_FIELDS : REPOSITORY_LIST_FIELDS;
  return ['next', 'size', ...fields.map((field) => `values.${field}`)].join(',');
}
const workspaceAccessPageFields = 'next,size,values.administrator,values.workspace.slug,values.workspace.uuid';
const projectPageFields = 'next,size,values.key,values.name,values.uuid,values.is_private,values.description,values.created_on';

export interface ListRepositoriesOptions {
  readonly sort?: RepositorySort;
  /** A BBQL filter, e.g. `name ~ "api"`; see `nameContains`. */
  readonly query?: string;
  readonly pageSize?: number;
  /** Adds `links.clone`, for lists whose every entry may be cloned ("Git: Clone"). */
  readonly withCloneLinks?: boolean;
  readonly signal?: AbortSignal;
}

export class BitbucketClient {
  readonly http: BitbucketHttp;

  constructor(options: HttpOptions = {}) {
    this.http = new BitbucketHttp(options);
  }

  getCurrentUser(signal?: AbortSignal): Promise<Account> {
    return this.http.get('user', schemas().account, { signal });
  }

  /** The workspaces the signed-in account belongs to, page by page. API tokens only. */
  listWorkspaces(options: { pageSize?: number; signal?: AbortSignal } = {}): AsyncGenerator<Page<WorkspaceAccess>> {
    return this.pages('user/workspaces', schemas().workspaceAccessPage, {
      query: { pagelen: clampPageSize(options.pageSize ?? MAX_PAGE_SIZE), sort: 'slug', fields: workspaceAccessPageFields },
      signal: options.signal,
    });
  }

  async getWorkspace(workspace: string, signal?: AbortSignal): Promise<Workspace> {
    return this.http.get(`workspaces/${segment(workspace)}`, schemas().workspace, {
      query: { fields: 'slug,name,uuid,is_private,links.html.href' },
      signal,
    });
  }

  /** A workspace's repositories, one request per page, following `next` as given. */
  async *listRepositories(workspace: string, options: ListRepositoriesOptions = {}): AsyncGenerator<Page<Repository>> {
    yield* this.pages(`repositories/${segment(workspace)}`, schemas().repositoryPage, {
      query: {
        pagelen: clampPageSize(options.pageSize ?? DEFAULT_PAGE_SIZE),
        sort: options.sort === 'name' ? 'name' : '-updated_on',
        q: options.query,
        fields: repositoryPageFields(options.withCloneLinks ?? false),
      },
      signal: options.signal,
    });
  }

  /** One page from a `next` link kept by the caller, e.g. for a tree's "Load more". */
  nextRepositoryPage(next: string, signal?: AbortSignal): Promise<Page<Repository>> {
    return this.http.get(next, schemas().repositoryPage, { signal });
  }

  async getRepository(workspace: string, slug: string, signal?: AbortSignal): Promise<Repository> {
    return this.http.get(`repositories/${segment(workspace)}/${segment(slug)}`, schemas().repository, {
      query: { fields: REPOSITORY_FIELDS.join(',') },
      signal,
    });
  }

  async createRepository(workspace: string, slug: string, input: NewRepository, signal?: AbortSignal): Promise<Repository> {
    const body = {
      scm: 'git',
      name: input.name,
      is_private: input.isPrivate,
      description: input.description ?? '',
      ...(input.projectKey ? { project: { key: input.projectKey } } : {}),
    };
    return this.http.post(`repositories/${segment(workspace)}/${segment(slug)}`, body, schemas().repository, {
      query: { fields: REPOSITORY_FIELDS.join(',') },
      signal,
    });
  }

  async *listProjects(workspace: string, options: { pageSize?: number; signal?: AbortSignal } = {}): AsyncGenerator<Page<Project>> {
    yield* this.pages(`workspaces/${segment(workspace)}/projects`, schemas().projectPage, {
      query: { pagelen: clampPageSize(options.pageSize ?? MAX_PAGE_SIZE), fields: projectPageFields },
      signal: options.signal,
    });
  }

  /**
   * One page of a directory at a commit (a hash, branch or tag). `maxDepth` lists that many levels down at
   * once. The path's segments are encoded one by one; `..` and empty segments are refused.
   */
  directoryPage(
    target: SourceTarget,
    options: { pageSize?: number; maxDepth?: number; signal?: AbortSignal } = {},
  ): Promise<Page<TreeEntry>> {
    return this.http.get(sourcePath(target, true), schemas().treeEntryPage, {
      query: {
        pagelen: clampPageSize(options.pageSize ?? MAX_PAGE_SIZE),
        max_depth: options.maxDepth,
        fields: TREE_ENTRY_PAGE_FIELDS,
      },
      signal: options.signal,
    });
  }

  /**
   * The root directory at the main branch's head, first page: the `src` root redirects to that commit,
   * and each entry names it. One request more than a listing (the redirect), none for the commit.
   */
  mainRootPage(workspace: string, slug: string, options: { pageSize?: number; signal?: AbortSignal } = {}): Promise<Page<TreeEntry>> {
    return this.http.get(`repositories/${segment(workspace)}/${segment(slug)}/src`, schemas().treeEntryPage, {
      query: { pagelen: clampPageSize(options.pageSize ?? MAX_PAGE_SIZE), fields: TREE_ENTRY_PAGE_FIELDS },
      signal: options.signal,
    });
  }

  /** The next page of a directory, from the `next` link of the previous one. */
  nextDirectoryPage(next: string, signal?: AbortSignal): Promise<Page<TreeEntry>> {
    return this.http.get(next, schemas().treeEntryPage, { signal });
  }

  /** What one path is at a commit (file or directory, size, attributes), without its content. */
  entryAt(target: SourceTarget, signal?: AbortSignal): Promise<TreeEntry> {
    return this.http.get(sourcePath(target, false), schemas().treeEntry, {
      query: { format: 'meta', fields: TREE_ENTRY_FIELDS },
      signal,
    });
  }

  /** A file's bytes at a commit, and the content type Bitbucket gives it. */
  fileBytes(target: SourceTarget, signal?: AbortSignal, onProgress?: ByteProgress): Promise<RawAnswer> {
    return this.http.getBytes(sourcePath(target, false), { signal, onProgress });
  }

  /**
   * The commit the repository's main branch points at now: the `src` root redirects there, and its meta
   * names it.
   */
  async mainCommit(workspace: string, slug: string, signal?: AbortSignal): Promise<string> {
    const root = await this.http.get(`repositories/${segment(workspace)}/${segment(slug)}/src`, schemas().treeEntry, {
      query: { format: 'meta', fields: TREE_ENTRY_FIELDS },
      signal,
    });
    const hash = root.commit?.hash;
    if (!hash) {
      throw new BitbucketError('invalidResponse', t("Bitbucket did not say which commit {0}/{1}'s main branch is at.", workspace, slug));
    }
    return hash;
  }

  /** Branches or tags, one page, filtered on the server by name when `nameContains` is given. */
  refsPage(
    workspace: string,
    slug: string,
    kind: 'branches' | 'tags',
    options: { nameContains?: string; pageSize?: number; signal?: AbortSignal } = {},
  ): Promise<Page<Ref>> {
    const text = options.nameContains?.trim();
    return this.http.get(`repositories/${segment(workspace)}/${segment(slug)}/refs/${kind}`, schemas().refPage, {
      query: {
        pagelen: clampPageSize(options.pageSize ?? DEFAULT_PAGE_SIZE),
        q: text ? nameContains(text) : undefined,
        sort: '-target.date',
        fields: REF_PAGE_FIELDS,
      },
      signal: options.signal,
    });
  }

  /** One branch, by name: where it points now. */
  branch(workspace: string, slug: string, name: string, signal?: AbortSignal): Promise<Ref> {
    return this.http.get(`repositories/${segment(workspace)}/${segment(slug)}/refs/branches/${encodeURIComponent(name)}`, schemas().ref, {
      query: { fields: 'name,target.hash,target.date' },
      signal,
    });
  }

  private async *pages<T>(
    path: string,
    schema: SchemaOf<Page<T>>,
    options: { query: Record<string, string | number | undefined>; signal?: AbortSignal },
  ): AsyncGenerator<Page<T>> {
    let page = await this.http.get(path, schema, options);
    yield page;
    const seen = new Set<string>();
    while (page.next) {
      // A server that hands back a link it gave before would otherwise be paged forever.
      if (seen.has(page.next)) {
        throw new BitbucketError('invalidResponse', t('Bitbucket repeated a page link while listing {0}; stopped there.', path));
      }
      seen.add(page.next);
      page = await this.http.get(page.next, schema, { signal: options.signal });
      yield page;
    }
  }
}

/** A path at a commit of a repository: what the `src` endpoints take. */
export interface SourceTarget {
  readonly workspace: string;
  readonly slug: string;
  /** A commit hash (or a branch or tag name, which the API resolves). */
  readonly commit: string;
  /** Below the repository root, without a leading slash; '' is the root. */
  readonly path: string;
}

const TREE_ENTRY_FIELDS = 'type,path,size,mimetype,attributes,commit.hash';
const TREE_ENTRY_PAGE_FIELDS = `next,${TREE_ENTRY_FIELDS.split(',')
  .map((field) => `values.${field}`)
  .join(',')}`;
const REF_PAGE_FIELDS = 'next,values.name,values.target.hash,values.target.date';

/** `repositories/{ws}/{slug}/src/{commit}/{path}`, each segment encoded; a directory's ends in `/`. */
function sourcePath(target: SourceTarget, directory: boolean): string {
  const segments = target.path.split('/').filter((part) => part !== '');
  const path = segments.map(segment).join('/');
  const tail = directory && path ? `${path}/` : path;
  return `repositories/${segment(target.workspace)}/${segment(target.slug)}/src/${encodeURIComponent(target.commit)}/${tail}`;
}

/**
 * A workspace or repository name as one encoded path segment. `encodeURIComponent` leaves `.` and `..`
 * as they are, and URLs resolve those, so such a name (from an argument or an answer) would walk up the
 * API's path: it is refused instead.
 */
export function segment(name: string): string {
  if (name === '' || name === '.' || name === '..') {
    throw new BitbucketError(
      'invalidName',
      t('{0} is not a Bitbucket workspace or repository name; nothing was requested.', JSON.stringify(name)),
    );
  }
  return encodeURIComponent(name);
}

/** A BBQL filter on the repository name, with the quotes and backslashes in `text` escaped. */
export function nameContains(text: string): string {
  return `name ~ "${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
