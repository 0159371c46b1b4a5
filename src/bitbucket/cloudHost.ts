/**
 * Bitbucket Cloud behind the host interface: the 2.0 client's calls, and the one place its wire types
 * (`full_name`, `links.clone`, `is_private`, a credential's kind) become the domain types the rest of the
 * extension reads. No `vscode` import.
 */
import type {
  BitbucketHost,
  ContainerDetails,
  GitAuth,
  HostedRepository,
  ListOptions,
  NewRepository,
  ProjectInfo,
  RepositoryContainer,
  RefInfo,
  RepositoryPage,
  RepositoryRef,
  SourceEntry,
  SourceEntryKind,
  SourceFile,
  WebLocation,
} from '../host/types';
import { t } from '../common/l10n';
import { encodePath, webLink } from '../host/links';
import { BitbucketClient, nameContains } from './client';
import { Credential, gitUsername } from './credentials';
import { BitbucketError } from './errors';
import { Page, Repository, TreeEntry } from './schemas';

export class CloudHost implements BitbucketHost {
  constructor(
    private readonly client: BitbucketClient,
    private readonly credential: Credential,
  ) {}

  get onlyContainer(): string | undefined {
    return this.credential.kind === 'accessToken' ? this.credential.workspace : undefined;
  }

  gitCredentials(): { username: string; password: string } {
    return { username: gitUsername(this.credential), password: this.credential.token };
  }

  gitAuth(): GitAuth {
    return { scheme: 'basic', ...this.gitCredentials() };
  }

  refFromGitPath(path: string): RepositoryRef | undefined {
    return cloudRefFromGitPath(path);
  }

  refFromRemoteUrl(url: string): RepositoryRef | undefined {
    return cloudRefFromRemoteUrl(url);
  }

  webLocation(url: string): WebLocation | undefined {
    return cloudWebLocation(url, this.client.http.baseUrl);
  }

  fileWebLink(repository: HostedRepository, commit: string, path: string, lines?: { start: number; end: number }): string | undefined {
    return cloudFileLink(repository, commit, path, lines);
  }

  async containers(signal?: AbortSignal): Promise<RepositoryContainer[]> {
    // An access token belongs to one workspace and cannot list workspaces.
    if (this.onlyContainer !== undefined) return [{ slug: this.onlyContainer, administrator: false }];
    const containers: RepositoryContainer[] = [];
    for await (const page of this.client.listWorkspaces({ signal })) {
      for (const access of page.values) containers.push({ slug: access.workspace.slug, administrator: access.administrator ?? false });
    }
    return containers;
  }

  async containerDetails(container: string, signal?: AbortSignal): Promise<ContainerDetails> {
    const workspace = await this.client.getWorkspace(container, signal);
    return { name: workspace.name, webUrl: workspace.links?.html?.href };
  }

  async repositories(container: string, options: ListOptions = {}): Promise<RepositoryPage> {
    const text = options.nameContains?.trim();
    const pages = this.client.listRepositories(container, {
      sort: options.sort,
      query: text ? nameContains(text) : undefined,
      pageSize: options.pageSize,
      withCloneLinks: options.withCloneLinks,
      signal: options.signal,
    });
    const first = await pages.next();
    return toRepositoryPage(first.done ? { values: [] } : first.value);
  }

  async nextRepositories(next: string, signal?: AbortSignal): Promise<RepositoryPage> {
    return toRepositoryPage(await this.client.nextRepositoryPage(next, signal));
  }

  async repository(ref: RepositoryRef, signal?: AbortSignal): Promise<HostedRepository> {
    return toHostedRepository(await this.client.getRepository(ref.container, ref.slug, signal));
  }

  async createRepository(container: string, slug: string, input: NewRepository, signal?: AbortSignal): Promise<HostedRepository> {
    try {
      return toHostedRepository(await this.client.createRepository(container, slug, input, signal));
    } catch (error) {
      throw withNewRepositoryFields(error);
    }
  }

  mainCommit(ref: RepositoryRef, signal?: AbortSignal): Promise<string> {
    return this.client.mainCommit(ref.container, ref.slug, signal);
  }

  async mainRoot(ref: RepositoryRef, signal?: AbortSignal): Promise<{ commit: string; entries: SourceEntry[] }> {
    const first = await this.client.mainRootPage(ref.container, ref.slug, { signal });
    const commit = first.values.find((entry) => entry.commit?.hash)?.commit?.hash;
    // An empty root names no commit; its meta does.
    if (!commit) return { commit: await this.mainCommit(ref, signal), entries: [] };
    return { commit, entries: await this.allPages(first, '/', signal) };
  }

  async directory(ref: RepositoryRef, commit: string, path: string, signal?: AbortSignal): Promise<SourceEntry[]> {
    const target = { workspace: ref.container, slug: ref.slug, commit, path };
    return this.allPages(await this.client.directoryPage(target, { signal }), path || '/', signal);
  }

  /** The entries of a listing's first page and every page after it. */
  private async allPages(first: Page<TreeEntry>, path: string, signal?: AbortSignal): Promise<SourceEntry[]> {
    let page = first;
    const entries: SourceEntry[] = [];
    entries.push(...page.values.map(toSourceEntry));
    const seen = new Set<string>();
    while (page.next) {
      if (seen.has(page.next)) throw new BitbucketError('invalidResponse', t('Bitbucket repeated a page link while listing {0}.', path));
      seen.add(page.next);
      page = await this.client.nextDirectoryPage(page.next, signal);
      entries.push(...page.values.map(toSourceEntry));
    }
    return entries;
  }

  async *allFiles(ref: RepositoryRef, commit: string, signal?: AbortSignal): AsyncGenerator<SourceEntry[]> {
    // One listing of the whole tree as deep as it goes, paged; a deeper tree than this is listed again
    // from each directory at the limit.
    const pending = [''];
    const seen = new Set<string>();
    for (let path = pending.shift(); path !== undefined; path = pending.shift()) {
      const target = { workspace: ref.container, slug: ref.slug, commit, path };
      let page = await this.client.directoryPage(target, { maxDepth: ALL_FILES_DEPTH, signal });
      for (;;) {
        const entries = page.values.map(toSourceEntry);
        for (const entry of entries) {
          const depth = entry.path.split('/').length - (path ? path.split('/').length : 0);
          if (entry.kind === 'directory' && depth === ALL_FILES_DEPTH) pending.push(entry.path);
        }
        yield entries.filter((entry) => entry.kind !== 'directory');
        if (!page.next) break;
        if (seen.has(page.next)) throw new BitbucketError('invalidResponse', t('Bitbucket repeated a page link while listing the files.'));
        seen.add(page.next);
        page = await this.client.nextDirectoryPage(page.next, signal);
      }
    }
  }

  async entry(ref: RepositoryRef, commit: string, path: string, signal?: AbortSignal): Promise<SourceEntry> {
    return toSourceEntry(await this.client.entryAt({ workspace: ref.container, slug: ref.slug, commit, path }, signal));
  }

  async file(
    ref: RepositoryRef,
    commit: string,
    path: string,
    signal?: AbortSignal,
    onProgress?: (received: number, total: number | undefined) => void,
  ): Promise<SourceFile> {
    const answer = await this.client.fileBytes({ workspace: ref.container, slug: ref.slug, commit, path }, signal, onProgress);
    return { bytes: answer.bytes, contentType: answer.contentType };
  }

  async refs(
    ref: RepositoryRef,
    kind: 'branch' | 'tag',
    options: { nameContains?: string; signal?: AbortSignal } = {},
  ): Promise<RefInfo[]> {
    const page = await this.client.refsPage(ref.container, ref.slug, kind === 'branch' ? 'branches' : 'tags', options);
    return page.values.flatMap((value) =>
      value.target?.hash ? [{ name: value.name, kind, commit: value.target.hash, date: value.target.date }] : [],
    );
  }

  async *projects(container: string, signal?: AbortSignal): AsyncGenerator<readonly ProjectInfo[]> {
    for await (const page of this.client.listProjects(container, { signal })) {
      yield page.values.map((project) => ({ key: project.key, name: project.name, description: project.description }));
    }
  }
}

/** How many levels one listing of "all files" asks for. */
const ALL_FILES_DEPTH = 8;

/** A 2.0 tree entry as the browse file system reads it; paths lose any leading slash. */
export function toSourceEntry(entry: TreeEntry): SourceEntry {
  const attributes = typeof entry.attributes === 'string' ? [entry.attributes] : (entry.attributes ?? []);
  const kind: SourceEntryKind =
    entry.type === 'commit_directory'
      ? 'directory'
      : attributes.includes('subrepository')
        ? 'submodule'
        : attributes.includes('link')
          ? 'symlink'
          : 'file';
  return {
    path: entry.path.replace(/^\/+/, '').replace(/\/+$/, ''),
    kind,
    size: entry.size,
    binary: attributes.includes('binary') || undefined,
    executable: attributes.includes('executable') || undefined,
    lfs: attributes.includes('lfs') || undefined,
  };
}

/**
 * Bitbucket Cloud's file view, pinned to a commit: `{web}/src/{commit}/{path}#lines-{start}` or
 * `#lines-{start}:{end}`. The fragment is what today's file view writes when lines are selected (the
 * older `#{file}-{line}` of the hyperlinking page selects one line only); the commit, not a branch, keeps
 * the link true after the branch moves (and branch names with `/` are not supported there).
 */
export function cloudFileLink(
  repository: HostedRepository,
  commit: string,
  path: string,
  lines?: { start: number; end: number },
): string | undefined {
  const web = webLink(repository.webUrl);
  if (!web || !/^[0-9a-f]{7,40}$/i.test(commit)) return undefined;
  const encoded = encodePath(path);
  const fragment = lines ? (lines.end > lines.start ? `#lines-${lines.start}:${lines.end}` : `#lines-${lines.start}`) : '';
  return `${web.replace(/\/+$/, '')}/src/${commit}/${encoded}${fragment}`;
}

/**
 * What a link to Bitbucket Cloud's web pages names: `{web}/{workspace}/{slug}`, `…/src/{ref}/{path}` (with
 * `#lines-{a}` or `#lines-{a}:{b}`), `…/branch/{name}` and a clone link (`https://user@host/ws/slug.git`).
 * The web's origin is bitbucket.org for the public API, else the API's own origin (a proxy, the sandbox).
 */
export function cloudWebLocation(url: string, apiUrl: URL): WebLocation | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  const webHost = apiUrl.hostname === 'api.bitbucket.org' ? 'bitbucket.org' : apiUrl.host;
  const host = parsed.host.replace(/^www\./, '');
  if (host !== webHost || (parsed.protocol !== 'https:' && parsed.protocol !== apiUrl.protocol)) return undefined;
  let segments: string[];
  try {
    segments = parsed.pathname
      .split('/')
      .filter(Boolean)
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
  const [container, slug, kind, ...rest] = segments;
  if (!container || !slug) return undefined;
  const repository = { container: container.toLowerCase(), slug: slug.replace(/\.git$/, '').toLowerCase() };
  const lines = /^#lines-(\d+)(?::(\d+))?$/.exec(parsed.hash);
  const start = lines ? Number(lines[1]) : undefined;
  const range = start && start > 0 ? { start, end: Math.max(start, Number(lines?.[2] ?? start)) } : undefined;
  if (kind === 'src' && rest.length > 0) return { repository, refAndPath: rest.join('/'), lines: range };
  if (kind === 'branch' && rest.length > 0) return { repository, ref: rest.join('/') };
  return { repository };
}

/** A git remote of a Cloud repository: `https://[user@]host/ws/slug[.git]`, `ssh://git@host/ws/slug.git` or `git@host:ws/slug.git`. */
export function cloudRefFromRemoteUrl(url: string): RepositoryRef | undefined {
  const scp = /^[\w.-]+@[^:/\s]+:([^/\s]+\/[^/\s]+?)(?:\.git)?\/?$/.exec(url.trim());
  if (scp) return cloudRefFromGitPath(scp[1]);
  try {
    return cloudRefFromGitPath(new URL(url.trim()).pathname);
  } catch {
    return undefined;
  }
}

/** `/workspace/slug.git` (the form of Cloud's clone links) as the repository it names. */
export function cloudRefFromGitPath(path: string): RepositoryRef | undefined {
  const segments = path.split('/').filter(Boolean);
  if (segments.length !== 2) return undefined;
  try {
    const [container, slug] = segments.map((segment) => decodeURIComponent(segment).toLowerCase());
    const name = slug.replace(/\.git$/, '');
    return container && name ? { container, slug: name } : undefined;
  } catch {
    return undefined; // a malformed escape names nothing
  }
}

/** The 2.0 names of a create's fields, as NewRepository names them; a slug's error is the name's. */
const NEW_REPOSITORY_FIELDS: Readonly<Record<string, keyof NewRepository | 'project'>> = {
  name: 'name',
  slug: 'name',
  is_private: 'isPrivate',
  // eslint-disable-next-line l10n/user-facing-strings -- a field name of the API mapped to NewRepository's, not text
  description: 'description',
  project: 'project',
};

/** A refused create whose field errors name NewRepository's fields rather than the wire's. */
function withNewRepositoryFields(error: unknown): unknown {
  if (!(error instanceof BitbucketError) || !error.fieldErrors) return error;
  const fields: Record<string, string[]> = {};
  for (const [wire, messages] of Object.entries(error.fieldErrors)) {
    const field = NEW_REPOSITORY_FIELDS[wire] ?? wire;
    fields[field] = [...(fields[field] ?? []), ...messages];
  }
  return new BitbucketError(error.kind, error.message, { ...error, fieldErrors: fields, cause: error });
}

export function toRepositoryPage(page: Page<Repository>): RepositoryPage {
  return { values: page.values.map(toHostedRepository), next: page.next, size: page.size };
}

export function toHostedRepository(repository: Repository): HostedRepository {
  const [container = ''] = repository.full_name.split('/');
  const clone = repository.links?.clone;
  const link = (name: string) => clone?.find((candidate) => candidate.name === name)?.href;
  return {
    id: repository.uuid ?? repository.full_name,
    container,
    slug: repository.slug,
    name: repository.name,
    fullName: repository.full_name,
    isPrivate: repository.is_private,
    description: repository.description,
    language: repository.language,
    updatedOn: repository.updated_on,
    project: repository.project ? { key: repository.project.key, name: repository.project.name } : undefined,
    mainBranch: repository.mainbranch?.name,
    webUrl: repository.links?.html?.href,
    cloneLinks: clone ? { https: link('https'), ssh: link('ssh') } : undefined,
  };
}
