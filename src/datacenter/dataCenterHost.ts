/**
 * Bitbucket Data Center behind the host interface: the one place its wire types (RestProject, RestRepository,
 * `links.self`, `links.clone`, `browse` children) become the domain types. A container is a project; a user's
 * personal project (`~USER`) is one too. No `vscode` import.
 */
import { BitbucketError, isBitbucketError } from '../bitbucket/errors';
import { t } from '../common/l10n';
import type {
  BitbucketHost,
  ContainerDetails,
  HostedRepository,
  ListOptions,
  NewRepository,
  ProjectInfo,
  RefInfo,
  RepositoryContainer,
  RepositoryPage,
  RepositoryRef,
  SourceEntry,
  SourceEntryKind,
  SourceFile,
  WebLocation,
} from '../host/types';
import { clampDataCenterLimit, CursorPage, DataCenterClient } from './dataCenterClient';
import { DataCenterCredential } from './dataCenterCredential';
import { DcChild, DcProject, DcRepository } from './dataCenterSchemas';
import {
  dataCenterFileLink,
  dataCenterRefFromGitPath,
  dataCenterRefFromRemoteUrl,
  dataCenterWebLocation,
  personalProjectKey,
} from './dataCenterUrls';

/** How git presents a Data Center token: Basic for a personal token with its user name, else a Bearer header. */
export type DataCenterGitAuth = { scheme: 'basic'; username: string; password: string } | { scheme: 'bearer'; token: string };

/** Branches or tags asked for at once: one page, as the interface wants. */
const REFS_LIMIT = 100;

export class DataCenterHost implements BitbucketHost {
  /** The user slug found on the way (for personal tokens signed in before it was kept). */
  private userSlug?: string;

  constructor(
    readonly client: DataCenterClient,
    private readonly credential: DataCenterCredential,
  ) {
    this.userSlug = credential.userSlug;
  }

  /** A project token's project, or a repository token's repository's project. */
  get onlyContainer(): string | undefined {
    const scoped = this.credential.tokenScope === 'project' || this.credential.tokenScope === 'repository';
    return scoped && this.credential.projectKey ? this.credential.projectKey.toUpperCase() : undefined;
  }

  /**
   * Personal tokens work as Basic with the owner's user name; project and repository tokens only as Bearer
   * ("HTTP access tokens": don't use them with a user name), and a personal token whose user name is not
   * known goes as Bearer too.
   */
  gitAuth(): DataCenterGitAuth {
    const { tokenScope, username, token } = this.credential;
    if ((tokenScope === 'personal' || tokenScope === undefined) && username) return { scheme: 'basic', username, password: token };
    return { scheme: 'bearer', token };
  }

  gitCredentials(): { username: string; password: string } {
    const auth = this.gitAuth();
    if (auth.scheme === 'basic') return { username: auth.username, password: auth.password };
    throw new BitbucketError(
      'forbidden',
      t(
        'Bitbucket Data Center takes this token from git only as a Bearer header, not as a user name and password (project and repository tokens refuse Basic, and the user name of this personal token is not known).',
      ),
    );
  }

  refFromGitPath(path: string): RepositoryRef | undefined {
    return dataCenterRefFromGitPath(path, this.client.serverUrl);
  }

  refFromRemoteUrl(url: string): RepositoryRef | undefined {
    return dataCenterRefFromRemoteUrl(url, this.client.serverUrl);
  }

  webLocation(url: string): WebLocation | undefined {
    return dataCenterWebLocation(url, this.client.serverUrl);
  }

  fileWebLink(repository: HostedRepository, commit: string, path: string, lines?: { start: number; end: number }): string | undefined {
    return dataCenterFileLink(repository, commit, path, lines);
  }

  /**
   * Project and repository tokens: their one project. Personal tokens: every project the token sees (all
   * pages), then the user's personal project, which `/projects` leaves out. `administrator` means the token
   * may create repositories there (REPO_CREATE or more), which is what the flag is used for.
   */
  async containers(signal?: AbortSignal): Promise<RepositoryContainer[]> {
    if (this.onlyContainer !== undefined) {
      const project = await this.client.project(this.onlyContainer, signal);
      return [{ slug: project.key, name: project.name, administrator: false }];
    }
    // Data Center names the token's user in `X-AUSERNAME` on every authenticated answer.
    let username: string | undefined;
    const onHeaders = (headers: { get(name: string): string | null }) => (username ??= headers.get('x-ausername') ?? undefined);
    const listed = async () => {
      const projects: DcProject[] = [];
      for await (const page of this.client.projects({ signal, onHeaders })) projects.push(...page.values);
      return projects;
    };
    const [projects, creatable] = await Promise.all([listed(), this.creatableProjects(signal)]);
    const containers = projects.map((project) => ({ slug: project.key, name: project.name, administrator: creatable.has(project.key) }));
    const personal = await this.personalProject(username, signal);
    return personal ? [personal, ...containers] : containers;
  }

  async containerDetails(container: string, signal?: AbortSignal): Promise<ContainerDetails> {
    const project = await this.client.project(container, signal);
    return { name: project.name, webUrl: project.links?.self?.[0]?.href };
  }

  /**
   * A project's repositories by name (Data Center has no other order: `sort` is not honoured). With
   * `nameContains`, names that *start with* the text, any case: Data Center's repository search matches a prefix.
   * `size` is left out: Data Center's counts one page, not all. Clone links come with every repository.
   */
  async repositories(container: string, options: ListOptions = {}): Promise<RepositoryPage> {
    const text = options.nameContains?.trim();
    const limit = clampDataCenterLimit(options.pageSize);
    const answer = text
      ? await this.client.searchRepositoryPage(container, text, limit, options.signal)
      : await this.client.repositoryPage(container, limit, options.signal);
    return toRepositoryPage(answer, text ? container : undefined);
  }

  async nextRepositories(next: string, signal?: AbortSignal): Promise<RepositoryPage> {
    // A search's cursor names its project; servers before 8.0 ignore `projectkey`, so others are dropped here.
    const project = URL.canParse(next) ? (new URL(next).searchParams.get('projectkey') ?? undefined) : undefined;
    return toRepositoryPage(await this.client.repositoryPageAt(next, signal), project);
  }

  /** One repository with its default branch (a request of its own in Data Center). */
  async repository(ref: RepositoryRef, signal?: AbortSignal): Promise<HostedRepository> {
    const [repository, mainBranch] = await Promise.all([
      this.client.repository(ref.container, ref.slug, signal),
      this.client.defaultBranch(ref.container, ref.slug, signal).then(
        (branch) => branch.displayId,
        (error: unknown) => {
          if (isBitbucketError(error, 'notFound')) return undefined; // no default branch configured yet
          throw error;
        },
      ),
    ]);
    return { ...toHostedRepository(repository), mainBranch };
  }

  /**
   * Creates a repository in the project `container`. Data Center derives the slug from the name, so `slug`
   * is not sent; nor is `projectKey` (the container is the project). Field errors are keyed as NewRepository's.
   */
  async createRepository(container: string, _slug: string, input: NewRepository, signal?: AbortSignal): Promise<HostedRepository> {
    try {
      const created = await this.client.createRepository(
        container,
        { name: input.name, public: !input.isPrivate, description: input.description },
        signal,
      );
      return toHostedRepository(created);
    } catch (error) {
      throw createError(error, container, input.name);
    }
  }

  /**
   * Data Center has no projects inside a project: the container is the project, and a repository is created
   * straight into it. So there is nothing to choose from, and nothing is listed.
   */
  // eslint-disable-next-line require-yield
  async *projects(_container: string, _signal?: AbortSignal): AsyncGenerator<readonly ProjectInfo[]> {
    return;
  }

  /** The default branch's head: its name from `default-branch`, its commit from the branch list filtered by name. */
  async mainCommit(ref: RepositoryRef, signal?: AbortSignal): Promise<string> {
    const main = await this.client.defaultBranch(ref.container, ref.slug, signal);
    const branches = await this.client.refs(ref.container, ref.slug, 'branches', main.displayId, REFS_LIMIT, signal);
    const head = branches.find((branch) => branch.id === main.id)?.latestCommit;
    if (!head) {
      throw new BitbucketError(
        'notFound',
        t('{0}/{1} has no commits on its default branch {2} yet.', ref.container, ref.slug, main.displayId),
      );
    }
    return head;
  }

  async mainRoot(ref: RepositoryRef, signal?: AbortSignal): Promise<{ commit: string; entries: SourceEntry[] }> {
    const commit = await this.mainCommit(ref, signal);
    return { commit, entries: await this.directory(ref, commit, '', signal) };
  }

  async directory(ref: RepositoryRef, commit: string, path: string, signal?: AbortSignal): Promise<SourceEntry[]> {
    const entries: SourceEntry[] = [];
    const below = path.split('/').filter(Boolean).join('/');
    for await (const children of this.client.directoryPages(ref.container, ref.slug, commit, below, signal)) {
      entries.push(...children.map((child) => toSourceEntry(below, child)));
    }
    return entries;
  }

  /** `files` lists every file below the root, recursively, a thousand paths a page: directories are implied. */
  async *allFiles(ref: RepositoryRef, commit: string, signal?: AbortSignal): AsyncGenerator<SourceEntry[]> {
    for await (const page of this.client.filePages(ref.container, ref.slug, commit, signal)) {
      yield page.values.map((path) => ({ path: path.replace(/^\/+/, ''), kind: 'file' as const }));
    }
  }

  /** What a path is (`type=true`), and a file's size (`size=true`): Data Center says nothing of binary or mode. */
  async entry(ref: RepositoryRef, commit: string, path: string, signal?: AbortSignal): Promise<SourceEntry> {
    const below = path.split('/').filter(Boolean).join('/');
    const kind = toKind(await this.client.pathType(ref.container, ref.slug, commit, below, signal));
    if (kind !== 'file') return { path: below, kind };
    return { path: below, kind, size: await this.client.pathSize(ref.container, ref.slug, commit, below, signal) };
  }

  async file(
    ref: RepositoryRef,
    commit: string,
    path: string,
    signal?: AbortSignal,
    onProgress?: (received: number, total: number | undefined) => void,
  ): Promise<SourceFile> {
    const answer = await this.client.raw(ref.container, ref.slug, commit, path, signal, onProgress);
    return { bytes: answer.bytes, contentType: answer.contentType };
  }

  /** Branches or tags whose name contains the text (`filterText`), most recently changed first (`orderBy=MODIFICATION`). */
  async refs(
    ref: RepositoryRef,
    kind: 'branch' | 'tag',
    options: { nameContains?: string; signal?: AbortSignal } = {},
  ): Promise<RefInfo[]> {
    const values = await this.client.refs(
      ref.container,
      ref.slug,
      kind === 'branch' ? 'branches' : 'tags',
      options.nameContains?.trim(),
      REFS_LIMIT,
      options.signal,
    );
    return values.flatMap((value) => (value.latestCommit ? [{ name: value.displayId, kind, commit: value.latestCommit }] : []));
  }

  /** Keys of the projects the token may create repositories in; PROJECT_ADMIN where a server knows no REPO_CREATE filter. */
  private async creatableProjects(signal?: AbortSignal): Promise<Set<string>> {
    const keys = new Set<string>();
    const collect = async (permission: string) => {
      for await (const page of this.client.projects({ permission, signal })) for (const project of page.values) keys.add(project.key);
    };
    try {
      await collect('REPO_CREATE');
    } catch (error) {
      if (!isBitbucketError(error, 'badRequest')) throw error;
      await collect('PROJECT_ADMIN');
    }
    return keys;
  }

  /** The personal project of a personal token's user, when the user (and so its slug) can be found. */
  private async personalProject(username: string | undefined, signal?: AbortSignal): Promise<RepositoryContainer | undefined> {
    if (this.credential.tokenScope !== undefined && this.credential.tokenScope !== 'personal') return undefined;
    const name = this.credential.username ?? username;
    if (!this.userSlug && name) {
      const users = await this.client.users(name, signal);
      this.userSlug = users.find((user) => user.name.toLowerCase() === name.toLowerCase())?.slug;
    }
    if (!this.userSlug) return undefined;
    try {
      const project = await this.client.project(personalProjectKey(this.userSlug), signal);
      return { slug: project.key, name: project.name, administrator: true };
    } catch (error) {
      if (isBitbucketError(error, 'notFound') || isBitbucketError(error, 'forbidden')) return undefined;
      throw error;
    }
  }
}

function toRepositoryPage(answer: CursorPage<DcRepository>, onlyProject: string | undefined): RepositoryPage {
  const values = answer.page.values.filter(
    (repository) => !onlyProject || repository.project.key.toUpperCase() === onlyProject.toUpperCase(),
  );
  return { values: values.map(toHostedRepository), next: answer.next };
}

/**
 * A RestRepository as the extension reads it. Private unless the repository or its project is public (a
 * public project's repositories are readable by all). The web page is `links.self`; the https clone link is
 * the one named `http` (whatever its scheme: `cloneUrl` refuses plain http to another machine).
 */
export function toHostedRepository(repository: DcRepository): HostedRepository {
  const clone = repository.links?.clone;
  const link = (name: string) => clone?.find((candidate) => candidate.name === name)?.href;
  const key = repository.project.key;
  return {
    id: `dc:${repository.id}`,
    container: key,
    slug: repository.slug,
    name: repository.name,
    fullName: `${key}/${repository.slug}`,
    isPrivate: !(repository.public || repository.project.public),
    description: repository.description || undefined,
    project: { key, name: repository.project.name },
    webUrl: repository.links?.self?.[0]?.href,
    cloneLinks: clone ? { https: link('http'), ssh: link('ssh') } : undefined,
  };
}

function toKind(type: string): SourceEntryKind {
  if (type === 'DIRECTORY') return 'directory';
  if (type === 'SUBMODULE') return 'submodule';
  return 'file'; // Data Center reports symbolic links as files
}

function toSourceEntry(directory: string, child: DcChild): SourceEntry {
  const path = [directory, ...child.path.components].filter(Boolean).join('/');
  const kind = toKind(child.type);
  return kind === 'file' ? { path, kind, size: child.size } : { path, kind };
}

/** Data Center's field names of a create, as NewRepository names them. */
const NEW_REPOSITORY_FIELDS: Readonly<Record<string, keyof NewRepository>> = {
  name: 'name',
  slug: 'name',
  public: 'isPrivate',
  // eslint-disable-next-line l10n/user-facing-strings -- a field name of the API mapped to NewRepository's, not text
  description: 'description',
};

/** A refused create in the words of creating: the permission it takes, the name taken, the fields named as NewRepository's. */
function createError(error: unknown, container: string, name: string): unknown {
  if (!(error instanceof BitbucketError)) return error;
  if (error.kind === 'forbidden') {
    return new BitbucketError(
      'forbidden',
      t(
        'You may not create repositories in {0}: it takes the "Create repository" or "Project admin" permission there, for your account and for the token. Ask a project administrator, or pick another project.',
        container,
      ),
      { ...error, cause: error },
    );
  }
  if (!error.fieldErrors) return error;
  const fields: Record<string, string[]> = {};
  for (const [wire, messages] of Object.entries(error.fieldErrors)) {
    const field = NEW_REPOSITORY_FIELDS[wire] ?? wire;
    fields[field] = [...(fields[field] ?? []), ...messages];
  }
  const message =
    error.status === 409 ? t('{0} already has a repository named like "{1}". Choose another name.', container, name) : error.message;
  return new BitbucketError(error.kind, message, { ...error, fieldErrors: fields, cause: error });
}
