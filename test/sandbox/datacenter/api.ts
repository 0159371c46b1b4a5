import { DcCredential } from './auth';
import { ContentReader, ContentResponse, repositoryPath } from './content';
import { authenticationFailed, dcError, EXCEPTIONS, invalidField, noSuchProject, noSuchRepository, notPermitted } from './errors';
import { page, pageRequest } from './paging';
import { LEVEL, Permissions, PROJECT_FILTERS, REPOSITORY_FILTERS } from './permissions';
import { DcRepositories } from './repositories';
import { projectJson, repositoryJson, Urls, userJson } from './representations';
import { DATACENTER, DcProjectSeed, DcRepositorySeed, USERS } from './seed';
import { DcStore } from './store';

/**
 * The routes under /rest/api/1.0 (and /rest/api/latest): application properties, projects, a project's
 * repositories (list, get, create), the cross-project repository search, users, and the repository-content
 * resources of content.ts. Statuses follow Atlassian's OpenAPI for 9.2: a refused credential or missing
 * permission is 401 (AuthorisationException), something that does not exist is 404, a duplicate name 409.
 */
export interface ApiRequest {
  method: string;
  /** Decoded path segments after the REST root. */
  segments: string[];
  query: URLSearchParams;
  credential: DcCredential;
  urls: Urls;
  readBody(): Promise<string>;
}

export type ApiResponse = ContentResponse;

const REPOSITORY_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]*$/;
const MAX_NAME_LENGTH = 128;
const BRANCH_NAME = /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]+(?<![/.])$/;

const json = (body: unknown, status = 200): ApiResponse => ({ status, body });
const byName = (a: { name: string }, b: { name: string }): number => {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

export class DcApi {
  private readonly permissions: Permissions;

  constructor(
    private readonly store: DcStore,
    private readonly repositories: DcRepositories,
    private readonly content: ContentReader,
  ) {
    this.permissions = new Permissions(store);
  }

  async handle(request: ApiRequest): Promise<ApiResponse> {
    if (request.credential.kind === 'invalid') {
      throw authenticationFailed();
    }
    const [first, key, second, slug, third, ...rest] = request.segments;
    const get = request.method === 'GET' || request.method === 'HEAD';
    if (first === 'application-properties' && request.segments.length === 1 && get) {
      return json({ ...DATACENTER.version });
    }
    if (first === 'repos' && request.segments.length === 1 && get) {
      return this.searchRepositories(request);
    }
    if (first === 'users' && get && request.segments.length <= 2) {
      return this.users(request, key);
    }
    if (first !== 'projects') {
      throw dcError(404, `No resource at /${request.segments.join('/')}`, null);
    }
    if (key === undefined) {
      if (get) return this.listProjects(request);
    } else if (second === undefined) {
      if (get) return json(projectJson(this.visibleProject(request, key), request.urls));
    } else if (second === 'repos' && slug === undefined) {
      if (get) return this.listRepositories(request, this.visibleProject(request, key));
      if (request.method === 'POST') return this.createRepository(request, key);
    } else if (second === 'repos' && slug !== undefined && get) {
      return this.repositoryResource(request, key, slug, third, rest);
    }
    throw dcError(405, `${request.method} is not supported here`, null);
  }

  private async repositoryResource(
    request: ApiRequest,
    key: string,
    slug: string,
    resource: string | undefined,
    rest: string[],
  ): Promise<ApiResponse> {
    const { project, repository } = this.readableRepository(request, key, slug);
    if (resource === undefined) {
      return json(repositoryJson(project, repository, request.urls));
    }
    if (resource === 'default-branch' && rest.length === 0) {
      const id = `refs/heads/${repository.defaultBranch}`;
      return json({ id, displayId: repository.defaultBranch, type: 'BRANCH' });
    }
    const gitDir = await this.repositories.ensure(repository);
    if (resource === 'branches' && rest.length === 0) {
      return this.content.branches(gitDir, repository, request.query);
    }
    if (resource === 'branches' && rest.length === 1 && rest[0] === 'default') {
      return this.content.defaultBranch(gitDir, repository);
    }
    if (resource === 'tags' && rest.length === 0) {
      return this.content.tags(gitDir, request.query);
    }
    if (resource === 'browse' || resource === 'raw') {
      const path = repositoryPath(rest);
      if (!path || (resource === 'raw' && path.length === 0)) {
        throw dcError(404, `The path "${rest.join('/')}" does not exist`, null);
      }
      return resource === 'browse'
        ? this.content.browse(gitDir, repository, path, request.query)
        : this.content.raw(gitDir, repository, path, request.query);
    }
    throw dcError(404, `No resource at /${request.segments.join('/')}`, null);
  }

  private visibleProject(request: ApiRequest, key: string): DcProjectSeed {
    const project = this.store.project(key);
    if (!project) {
      throw noSuchProject(key);
    }
    if (this.permissions.project(request.credential, project) < LEVEL.view) {
      throw notPermitted();
    }
    return project;
  }

  private readableRepository(request: ApiRequest, key: string, slug: string): { project: DcProjectSeed; repository: DcRepositorySeed } {
    const project = this.store.project(key);
    if (!project) {
      throw noSuchProject(key);
    }
    const repository = this.store.repository(project, slug);
    if (!repository) {
      throw noSuchRepository(project.key, slug);
    }
    if (this.permissions.repository(request.credential, project, repository) < LEVEL.view) {
      throw notPermitted();
    }
    return { project, repository };
  }

  /** Normal projects the caller can see (PROJECT_VIEW); personal projects are not listed here. */
  private listProjects(request: ApiRequest): ApiResponse {
    const permission = request.query.get('permission');
    const needed = permission === null ? LEVEL.view : PROJECT_FILTERS[permission];
    if (needed === undefined) {
      throw invalidField('permission', `The permission level ${permission} is unknown or not related to projects.`);
    }
    const name = (request.query.get('name') ?? '').trim().toLowerCase();
    const projects = this.store
      .projects()
      .filter((project) => project.type === 'NORMAL' && project.name.toLowerCase().includes(name))
      .filter((project) => this.permissions.project(request.credential, project) >= needed)
      .sort(byName);
    return json(page(projects, pageRequest(request.query), (project) => projectJson(project, request.urls)));
  }

  /** The project's repositories the caller can see, by name. */
  private listRepositories(request: ApiRequest, project: DcProjectSeed): ApiResponse {
    const visible = this.store
      .repositories(project)
      .filter((repository) => this.permissions.repository(request.credential, project, repository) >= LEVEL.view);
    const sorted = [...visible].sort(byName);
    return json(page(sorted, pageRequest(request.query), (repository) => repositoryJson(project, repository, request.urls)));
  }

  /** GET /repos: prefix matches on `name` and `projectname`, exact `projectkey`, `visibility`, `permission`, `archived`, `state`. */
  private searchRepositories(request: ApiRequest): ApiResponse {
    const { query, credential } = request;
    const permission = query.get('permission');
    const needed = permission === null ? LEVEL.view : REPOSITORY_FILTERS[permission];
    if (needed === undefined) {
      throw invalidField('permission', `The permission ${permission} is not a repository permission.`);
    }
    const visibility = query.get('visibility')?.toLowerCase();
    if (visibility !== undefined && visibility !== 'public' && visibility !== 'private') {
      throw invalidField('visibility', `Invalid visibility ${query.get('visibility')}; valid values are public and private.`);
    }
    const archived = (query.get('archived') ?? 'ACTIVE').toUpperCase();
    if (!['ACTIVE', 'ARCHIVED', 'ALL'].includes(archived)) {
      throw invalidField('archived', `Invalid archived value ${query.get('archived')}; valid values are ACTIVE, ARCHIVED and ALL.`);
    }
    const state = query.get('state')?.toUpperCase();
    if (state !== undefined && !['AVAILABLE', 'INITIALISING', 'INITIALISATION_FAILED', 'OFFLINE'].includes(state)) {
      throw invalidField('state', `Invalid state ${query.get('state')}.`);
    }
    const name = (query.get('name') ?? '').trim().toLowerCase();
    const projectName = (query.get('projectname') ?? '').trim().toLowerCase();
    const projectKey = (query.get('projectkey') ?? '').trim().toUpperCase();
    const found: Array<{ project: DcProjectSeed; repository: DcRepositorySeed }> = [];
    for (const project of this.store.projects()) {
      if ((projectKey && project.key !== projectKey) || !project.name.toLowerCase().startsWith(projectName)) {
        continue;
      }
      for (const repository of this.store.repositories(project)) {
        const isPublic = repository.public || project.public;
        const matches =
          repository.name.toLowerCase().startsWith(name) &&
          (visibility === undefined || (visibility === 'public') === isPublic) &&
          (archived === 'ALL' || (archived === 'ARCHIVED') === repository.archived) &&
          (state === undefined || state === 'AVAILABLE');
        if (matches && this.permissions.repository(credential, project, repository) >= needed) {
          found.push({ project, repository });
        }
      }
    }
    return json(page(found, pageRequest(query), ({ project, repository }) => repositoryJson(project, repository, request.urls)));
  }

  private async createRepository(request: ApiRequest, key: string): Promise<ApiResponse> {
    const project = this.store.project(key);
    if (!project) {
      throw noSuchProject(key);
    }
    if (this.permissions.project(request.credential, project) < LEVEL.create) {
      throw notPermitted();
    }
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse((await request.readBody()) || '{}');
      body = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      throw dcError(400, 'The request body is not valid JSON.', null);
    }
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (!name) {
      throw invalidField('name', 'A repository name is required.');
    }
    if (name.length > MAX_NAME_LENGTH || !REPOSITORY_NAME.test(name)) {
      throw invalidField(
        'name',
        `Repository names must be at most ${MAX_NAME_LENGTH} characters, start with a letter or number and contain only letters, numbers, spaces, "_", "-" and ".".`,
      );
    }
    if (body.scmId !== undefined && body.scmId !== 'git') {
      throw invalidField('scmId', `The SCM "${String(body.scmId)}" is not supported; use "git".`);
    }
    const defaultBranch = body.defaultBranch;
    if (defaultBranch !== undefined && (typeof defaultBranch !== 'string' || !BRANCH_NAME.test(defaultBranch))) {
      throw invalidField('defaultBranch', `"${String(defaultBranch)}" is not a valid branch name.`);
    }
    const slug = this.store.slugFor(name);
    const taken = this.store.repositories(project).find((other) => other.slug === slug || other.name.toLowerCase() === name.toLowerCase());
    if (taken) {
      throw dcError(409, `This repository URL is already taken by '${taken.name}' in '${project.name}'.`, null, 'name');
    }
    const repository = this.store.create(project, {
      name,
      description: typeof body.description === 'string' ? body.description : undefined,
      forkable: typeof body.forkable === 'boolean' ? body.forkable : undefined,
      public: typeof body.public === 'boolean' ? body.public : undefined,
      defaultBranch,
    });
    return json(repositoryJson(project, repository, request.urls), 201);
  }

  /** GET /users and /users/{slug}: signed-in callers only. */
  private users(request: ApiRequest, slug: string | undefined): ApiResponse {
    if (request.credential.kind !== 'token') {
      throw notPermitted();
    }
    if (slug !== undefined) {
      const user = USERS.find((candidate) => candidate.slug === slug.toLowerCase());
      if (!user) {
        throw dcError(404, `User ${slug} does not exist.`, EXCEPTIONS.noSuchUser);
      }
      return json(userJson(user, request.urls));
    }
    const filter = (request.query.get('filter') ?? '').trim().toLowerCase();
    const users = USERS.filter((user) =>
      [user.name, user.displayName, user.emailAddress].some((text) => text.toLowerCase().includes(filter)),
    );
    return json(page(users, pageRequest(request.query), (user) => userJson(user, request.urls)));
  }
}
