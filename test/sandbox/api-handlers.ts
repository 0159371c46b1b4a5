import { IncomingHttpHeaders } from 'http';
import { Credential } from './auth';
import { BareRepositories } from './bare-repos';
import { apiError, MESSAGES } from './errors';
import { GitReader } from './git-read';
import { paginate, parsePageRequest } from './pagination';
import { compileQuery, FieldTypes, FlatRecord, QueryError } from './query';
import { RepositoryStore } from './repository-store';
import {
  LinkBase,
  PROJECT_QUERY_FIELDS,
  projectJson,
  projectQueryRecord,
  REPOSITORY_QUERY_FIELDS,
  repositoryJson,
  repositoryQueryRecord,
  userJson,
  WORKSPACE_ACCESS_QUERY_FIELDS,
  WORKSPACE_ACCESS_SORT_FIELDS,
  workspaceAccessJson,
  workspaceAccessQueryRecord,
  workspaceJson,
} from './representations';
import { membership, ProjectSeed, RepositoryRecord, seedUuid, UserSeed, WorkspaceSeed } from './seed';
import { slugProblem } from './slug';
import { compileSort, SortError } from './sort';

/** The endpoint implementations; api.ts has already checked credentials, scopes and rate limits. */
export interface ApiRequest {
  method: string;
  /** The path after /2.0, without a trailing slash. */
  path: string;
  /** The absolute URL the client asked for, on the sandbox (pagination links derive from it). */
  url: URL;
  query: URLSearchParams;
  /** The request's headers (If-None-Match for raw files). */
  headers: IncomingHttpHeaders;
  credential: Credential;
  readBody(): Promise<string>;
}

export interface ApiResult {
  status: number;
  /** JSON; ignored when `raw` is set. */
  body: unknown;
  /** Extra response headers (Location, Content-Type of raw bytes, ETag, ...). */
  headers?: Record<string, string>;
  /** Bytes sent as they are instead of JSON (raw file contents, an empty redirect body); `fields` does not apply. */
  raw?: Buffer;
}

export interface ApiState {
  store: RepositoryStore;
  base: LinkBase;
  /** The bare repositories (built on first use) and the plumbing that reads them, for `src` and `refs`. */
  git: { repositories: BareRepositories; reader: GitReader };
}

export type Handler = (request: ApiRequest, params: string[], state: ApiState) => ApiResult | Promise<ApiResult>;

const ok = (body: unknown): ApiResult => ({ status: 200, body });

export function requireWorkspace(store: RepositoryStore, id: string): WorkspaceSeed {
  const workspace = store.workspace(id);
  if (!workspace) {
    throw apiError(404, `No workspace with identifier "${id}".`);
  }
  return workspace;
}

/** The API token's owner belongs to the workspace. */
function isMember(credential: Credential, workspace: WorkspaceSeed): boolean {
  return credential.kind === 'api-token' && membership(workspace, credential.token.owner.username) !== undefined;
}

/** Members (and the workspace's own access token) see private content; everyone else only public. */
function seesPrivate(credential: Credential, workspace: WorkspaceSeed): boolean {
  if (credential.kind === 'api-token') {
    return isMember(credential, workspace);
  }
  return credential.kind === 'access-token' && credential.token.workspace === workspace.slug;
}

function projectOf(store: RepositoryStore, workspace: WorkspaceSeed, repository: RepositoryRecord): ProjectSeed {
  return store.project(workspace, repository.projectKey) ?? workspace.projects[0];
}

/** Filters by `q` and orders by `sort` over flat records (`naturalSort` fields in natural order); bad input becomes a 400. */
export function filterAndSort<T>(
  items: T[],
  query: URLSearchParams,
  fields: FieldTypes,
  toRecord: (item: T) => FlatRecord,
  sortFields = fields,
  naturalSort: readonly string[] = [],
): T[] {
  const q = query.get('q')?.trim();
  const sort = query.get('sort')?.trim();
  if (!q && !sort) {
    return items;
  }
  try {
    const records = new Map(items.map((item) => [item, toRecord(item)]));
    let result = items;
    if (q) {
      const matches = compileQuery(q, fields);
      result = result.filter((item) => matches(records.get(item) as FlatRecord));
    }
    if (sort) {
      const compare = compileSort(sort, sortFields, naturalSort);
      result = [...result].sort((a, b) => compare(records.get(a) as FlatRecord, records.get(b) as FlatRecord));
    }
    return result;
  } catch (error) {
    if (error instanceof QueryError || error instanceof SortError) {
      throw apiError(400, error.message, { detail: 'See https://developer.atlassian.com/cloud/bitbucket/rest/intro/#filtering' });
    }
    throw error;
  }
}

/** The account an API token stands for; api.ts keeps other credentials off the routes that call this. */
function signedInUser(credential: Credential): UserSeed {
  if (credential.kind !== 'api-token') {
    throw apiError(403, MESSAGES.wrongMechanism);
  }
  return credential.token.owner;
}

export const getUser: Handler = (request, _params, state) => ok(userJson(signedInUser(request.credential), state.base));

/** The token owner's workspaces, with that owner's administrator flag in each. */
export const listUserWorkspaces: Handler = (request, _params, state) => {
  const page = parsePageRequest(request.query);
  let workspaces = state.store.world.workspacesOf(signedInUser(request.credential));
  const administrator = request.query.get('administrator');
  if (administrator !== null) {
    if (administrator !== 'true' && administrator !== 'false') {
      throw apiError(400, 'administrator must be true or false');
    }
    workspaces = workspaces.filter((access) => access.administrator === (administrator === 'true'));
  }
  workspaces = filterAndSort(
    [...workspaces],
    request.query,
    WORKSPACE_ACCESS_QUERY_FIELDS,
    workspaceAccessQueryRecord,
    WORKSPACE_ACCESS_SORT_FIELDS,
  );
  return ok(paginate(workspaces, page, request.url, (access) => workspaceAccessJson(access, state.base)));
};

export const getWorkspace: Handler = (_request, [id], state) => ok(workspaceJson(requireWorkspace(state.store, id), state.base));

export const listProjects: Handler = (request, [id], state) => {
  const workspace = requireWorkspace(state.store, id);
  const page = parsePageRequest(request.query);
  const visible = seesPrivate(request.credential, workspace)
    ? workspace.projects
    : workspace.projects.filter((project) => !project.isPrivate);
  const projects = filterAndSort([...visible], request.query, PROJECT_QUERY_FIELDS, projectQueryRecord);
  const repositories = state.store.list(workspace);
  const hasPublic = (project: ProjectSeed): boolean =>
    repositories.some((repository) => repository.projectKey === project.key && !repository.isPrivate);
  return ok(paginate(projects, page, request.url, (project) => projectJson(workspace, project, hasPublic(project), state.base)));
};

const ROLES = ['member', 'contributor', 'admin', 'owner'];

/** `role` narrows to repositories the caller has explicit access to; anonymous callers have none. */
function filterByRole(
  credential: Credential,
  workspace: WorkspaceSeed,
  role: string,
  repositories: RepositoryRecord[],
): RepositoryRecord[] {
  if (credential.kind === 'access-token') {
    return repositories;
  }
  const member = credential.kind === 'api-token' ? membership(workspace, credential.token.owner.username) : undefined;
  if (credential.kind !== 'api-token' || !member) {
    return [];
  }
  if (role === 'admin') {
    return member.administrator ? repositories : [];
  }
  if (role === 'owner') {
    return workspace.owner?.username === credential.token.owner.username ? repositories : [];
  }
  return repositories;
}

/** The nickname Bitbucket puts in https clone links for the signed-in account. */
function cloneUser(credential: Credential): string | undefined {
  return credential.kind === 'api-token' ? credential.token.owner.username : undefined;
}

export const listRepositories: Handler = (request, [id], state) => {
  const workspace = requireWorkspace(state.store, id);
  const page = parsePageRequest(request.query);
  const role = request.query.get('role');
  if (role !== null && !ROLES.includes(role)) {
    throw apiError(400, `Invalid role "${role}"; use one of ${ROLES.join(', ')}.`);
  }
  let repositories = state.store.list(workspace);
  if (!seesPrivate(request.credential, workspace)) {
    repositories = repositories.filter((repository) => !repository.isPrivate);
  }
  if (role !== null) {
    repositories = filterByRole(request.credential, workspace, role, repositories);
  }
  repositories = filterAndSort(repositories, request.query, REPOSITORY_QUERY_FIELDS, (repository) =>
    repositoryQueryRecord(repository, workspace, projectOf(state.store, workspace, repository)),
  );
  const user = cloneUser(request.credential);
  return ok(
    paginate(repositories, page, request.url, (repository) =>
      repositoryJson(repository, { workspace, project: projectOf(state.store, workspace, repository), cloneUser: user }, state.base),
    ),
  );
};

/**
 * The repository a request names, if the caller may see it: 404 when there is none (or it is private and the
 * caller anonymous), 403 when a signed-in caller may not see it, as the spec documents for repository endpoints.
 */
export function visibleRepository(
  request: ApiRequest,
  state: ApiState,
  workspaceId: string,
  repositoryId: string,
): { workspace: WorkspaceSeed; repository: RepositoryRecord } {
  const workspace = requireWorkspace(state.store, workspaceId);
  const repository = state.store.get(workspace, repositoryId);
  if (!repository) {
    throw apiError(404, `Repository ${workspace.slug}/${repositoryId} not found`);
  }
  if (repository.isPrivate && !seesPrivate(request.credential, workspace)) {
    // The spec documents 403 for a signed-in caller without access; anonymous callers learn nothing.
    throw request.credential.kind === 'anonymous'
      ? apiError(404, `Repository ${workspace.slug}/${repositoryId} not found`)
      : apiError(403, 'You do not have access to this repository.');
  }
  return { workspace, repository };
}

export const getRepository: Handler = (request, [workspaceId, repositoryId], state) => {
  const { workspace, repository } = visibleRepository(request, state, workspaceId, repositoryId);
  const view = { workspace, project: projectOf(state.store, workspace, repository), cloneUser: cloneUser(request.credential) };
  return ok(repositoryJson(repository, view, state.base));
};

const FORK_POLICIES = ['allow_forks', 'no_public_forks', 'no_forks'] as const;

function invalidField(field: string, message: string): never {
  throw apiError(400, message, { fields: { [field]: [message] } });
}

function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value !== undefined && typeof value !== 'boolean') {
    invalidField(field, `${field} must be true or false.`);
  }
  return value as boolean | undefined;
}

function optionalString(body: Record<string, unknown>, field: string, maxLength: number): string | undefined {
  const value = body[field];
  if (value !== undefined && (typeof value !== 'string' || value.length > maxLength)) {
    invalidField(field, `${field} must be text of at most ${maxLength} characters.`);
  }
  return value as string | undefined;
}

async function readRepositoryBody(request: ApiRequest): Promise<Record<string, unknown>> {
  const text = (await request.readBody()).trim();
  if (text === '') {
    return {};
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw apiError(400, 'Bad request', { detail: 'The request body is not valid JSON.' });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw apiError(400, 'Bad request', { detail: 'The request body must be a repository object.' });
  }
  return body as Record<string, unknown>;
}

/** POST /repositories/{workspace}/{slug}: the URL names the slug; the body is a partial repository. */
export const createRepository: Handler = async (request, [workspaceId, slug], state) => {
  const workspace = requireWorkspace(state.store, workspaceId);
  const problem = slugProblem(slug);
  if (problem) {
    throw apiError(400, problem, { fields: { slug: [problem] } });
  }
  if (request.credential.kind === 'api-token' && !isMember(request.credential, workspace)) {
    // The spec answers 400 when the caller may not create repositories under the account.
    throw apiError(400, 'You do not have permission to create repositories in this workspace.');
  }
  const body = await readRepositoryBody(request);
  if (state.store.get(workspace, slug)) {
    throw apiError(400, MESSAGES.duplicateSlug, { fields: { name: [MESSAGES.duplicateSlug] } });
  }
  if (body.scm !== undefined && body.scm !== 'git') {
    invalidField('scm', 'Only git repositories can be created.');
  }
  let project = workspace.projects[0];
  if (body.project !== undefined) {
    const reference = body.project as { key?: unknown; uuid?: unknown } | null;
    const key = typeof reference?.key === 'string' ? reference.key : typeof reference?.uuid === 'string' ? reference.uuid : undefined;
    const found = key === undefined ? undefined : state.store.project(workspace, key);
    if (!found) {
      invalidField('project', `No project with key "${String(key ?? '')}" exists in workspace ${workspace.slug}.`);
    }
    project = found;
  }
  const isPrivate = optionalBoolean(body, 'is_private') ?? false;
  if (!isPrivate && project.isPrivate) {
    invalidField('is_private', 'A private project cannot contain public repositories.');
  }
  const forkPolicy = body.fork_policy ?? (isPrivate ? 'no_public_forks' : 'allow_forks');
  if (!FORK_POLICIES.includes(forkPolicy as (typeof FORK_POLICIES)[number])) {
    invalidField('fork_policy', `fork_policy must be one of ${FORK_POLICIES.join(', ')}.`);
  }
  const now = Date.now();
  const repository: RepositoryRecord = {
    workspace: workspace.slug,
    slug,
    name: optionalString(body, 'name', 255) || slug,
    uuid: seedUuid(`created:${workspace.slug}/${slug}#${state.store.nextSerial()}`),
    description: optionalString(body, 'description', 4000) ?? '',
    isPrivate,
    projectKey: project.key,
    language: (optionalString(body, 'language', 64) ?? '').toLowerCase(),
    createdOn: now,
    updatedOn: now,
    size: 0,
    hasIssues: optionalBoolean(body, 'has_issues') ?? false,
    hasWiki: optionalBoolean(body, 'has_wiki') ?? false,
    forkPolicy: forkPolicy as RepositoryRecord['forkPolicy'],
    mainBranch: 'main',
    website: optionalString(body, 'website', 255) ?? '',
    content: 'empty',
  };
  state.store.add(repository);
  return ok(repositoryJson(repository, { workspace, project, cloneUser: cloneUser(request.credential) }, state.base));
};
