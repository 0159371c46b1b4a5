import { ProjectSeed, RepositoryRecord, UserSeed, WorkspaceSeed } from './seed';
import { FieldTypes, FlatRecord } from './query';
import { WorkspaceAccess } from './world';

/**
 * JSON documents shaped like Bitbucket's (the spec's repository, workspace, workspace_access, project,
 * user and team definitions), with every link pointing back at the sandbox.
 */
export interface LinkBase {
  /** http://127.0.0.1:PORT, the "website" and git host. */
  url: string;
  /** http://127.0.0.1:PORT/2.0 */
  apiUrl: string;
}

type Json = Record<string, unknown>;

/** Bitbucket's timestamp style: microseconds and an explicit +00:00 offset. */
export function formatTimestamp(epochMillis: number): string {
  return new Date(epochMillis).toISOString().replace('Z', '000+00:00');
}

const link = (href: string): Json => ({ href });
const encodedUuid = (uuid: string): string => encodeURIComponent(uuid);

function avatar(base: LinkBase, kind: string, uuid: string): string {
  return `${base.url}/_avatar/${kind}/${encodedUuid(uuid)}.svg`;
}

/** GET /user: the account the API token belongs to. */
export function userJson(user: UserSeed, base: LinkBase): Json {
  const id = encodedUuid(user.uuid);
  return {
    display_name: user.displayName,
    links: {
      self: link(`${base.apiUrl}/users/${id}`),
      avatar: link(avatar(base, 'user', user.uuid)),
      repositories: link(`${base.apiUrl}/repositories/${id}`),
      snippets: link(`${base.apiUrl}/snippets/${id}`),
      html: link(`${base.url}/${id}/`),
      hooks: link(`${base.apiUrl}/workspaces/${id}/hooks`),
    },
    created_on: formatTimestamp(user.createdOn),
    type: 'user',
    uuid: user.uuid,
    has_2fa_enabled: false,
    username: user.username,
    is_staff: false,
    account_id: user.accountId,
    nickname: user.username,
    account_status: 'active',
    location: null,
  };
}

/** A user embedded in another object (a repository's owner, a commit's author). */
export function embeddedUserJson(user: UserSeed, base: LinkBase): Json {
  const id = encodedUuid(user.uuid);
  return {
    display_name: user.displayName,
    links: {
      self: link(`${base.apiUrl}/users/${id}`),
      avatar: link(avatar(base, 'user', user.uuid)),
      html: link(`${base.url}/${id}/`),
    },
    type: 'user',
    uuid: user.uuid,
    account_id: user.accountId,
    nickname: user.username,
  };
}

/** The embedded owner: the user for a personal workspace, a team otherwise. */
function ownerJson(workspace: WorkspaceSeed, base: LinkBase): Json {
  const user = workspace.owner;
  if (workspace.kind === 'personal' && user) {
    return embeddedUserJson(user, base);
  }
  return {
    display_name: workspace.name,
    links: {
      self: link(`${base.apiUrl}/workspaces/${encodedUuid(workspace.uuid)}`),
      avatar: link(avatar(base, 'workspace', workspace.uuid)),
      html: link(`${base.url}/${encodedUuid(workspace.uuid)}/`),
    },
    type: 'team',
    uuid: workspace.uuid,
    username: workspace.slug,
  };
}

function embeddedWorkspaceJson(workspace: WorkspaceSeed, base: LinkBase): Json {
  return {
    type: 'workspace',
    uuid: workspace.uuid,
    name: workspace.name,
    slug: workspace.slug,
    links: {
      avatar: link(avatar(base, 'workspace', workspace.uuid)),
      html: link(`${base.url}/${workspace.slug}/`),
      self: link(`${base.apiUrl}/workspaces/${workspace.slug}`),
    },
  };
}

function projectLinks(workspace: WorkspaceSeed, project: ProjectSeed, base: LinkBase): Json {
  return {
    html: link(`${base.url}/${workspace.slug}/workspace/projects/${project.key}`),
    avatar: link(avatar(base, 'project', project.uuid)),
  };
}

function embeddedProjectJson(workspace: WorkspaceSeed, project: ProjectSeed, base: LinkBase): Json {
  return { type: 'project', key: project.key, uuid: project.uuid, name: project.name, links: projectLinks(workspace, project, base) };
}

export function workspaceJson(workspace: WorkspaceSeed, base: LinkBase): Json {
  const api = `${base.apiUrl}/workspaces/${workspace.slug}`;
  return {
    type: 'workspace',
    uuid: workspace.uuid,
    name: workspace.name,
    slug: workspace.slug,
    is_private: false,
    is_privacy_enforced: false,
    forking_mode: 'allow_forks',
    created_on: formatTimestamp(workspace.createdOn),
    updated_on: formatTimestamp(workspace.createdOn),
    links: {
      avatar: link(avatar(base, 'workspace', workspace.uuid)),
      html: link(`${base.url}/${workspace.slug}/`),
      members: link(`${api}/members`),
      owners: link(`${api}/members?q=permission%3D%22owner%22`),
      projects: link(`${api}/projects`),
      repositories: link(`${base.apiUrl}/repositories/${workspace.slug}`),
      snippets: link(`${base.apiUrl}/snippets/${workspace.slug}`),
      self: link(api),
    },
  };
}

/** One entry of GET /user/workspaces (openapi3 workspace_access; the workspace has no display name). */
export function workspaceAccessJson({ workspace, administrator }: WorkspaceAccess, base: LinkBase): Json {
  return {
    type: 'workspace_access',
    administrator,
    workspace: {
      type: 'workspace_base',
      uuid: workspace.uuid,
      slug: workspace.slug,
      links: {
        avatar: link(avatar(base, 'workspace', workspace.uuid)),
        self: link(`${base.apiUrl}/workspaces/${workspace.slug}`),
      },
    },
  };
}

export function projectJson(workspace: WorkspaceSeed, project: ProjectSeed, hasPublicRepositories: boolean, base: LinkBase): Json {
  return {
    type: 'project',
    owner: ownerJson(workspace, base),
    workspace: embeddedWorkspaceJson(workspace, base),
    key: project.key,
    uuid: project.uuid,
    is_private: project.isPrivate,
    name: project.name,
    description: project.description,
    links: projectLinks(workspace, project, base),
    created_on: formatTimestamp(project.createdOn),
    updated_on: formatTimestamp(project.updatedOn),
    has_publicly_visible_repos: hasPublicRepositories,
  };
}

export interface RepositoryView {
  workspace: WorkspaceSeed;
  project: ProjectSeed;
  /** The account name put in the https clone link (`http://demo-user@host/...`), as Bitbucket does for a signed-in user. */
  cloneUser?: string;
}

export function repositoryJson(repository: RepositoryRecord, view: RepositoryView, base: LinkBase): Json {
  const { workspace, project } = view;
  const fullName = `${workspace.slug}/${repository.slug}`;
  const api = `${base.apiUrl}/repositories/${fullName}`;
  const host = new URL(base.url);
  const userInfo = view.cloneUser ? `${encodeURIComponent(view.cloneUser)}@` : '';
  return {
    type: 'repository',
    full_name: fullName,
    links: {
      self: link(api),
      html: link(`${base.url}/${fullName}`),
      avatar: link(avatar(base, 'repository', repository.uuid)),
      pullrequests: link(`${api}/pullrequests`),
      commits: link(`${api}/commits`),
      forks: link(`${api}/forks`),
      watchers: link(`${api}/watchers`),
      branches: link(`${api}/refs/branches`),
      tags: link(`${api}/refs/tags`),
      downloads: link(`${api}/downloads`),
      source: link(`${api}/src`),
      clone: [
        { name: 'https', href: `${host.protocol}//${userInfo}${host.host}/${fullName}.git` },
        { name: 'ssh', href: `git@${host.hostname}:${fullName}.git` },
      ],
      hooks: link(`${api}/hooks`),
    },
    name: repository.name,
    slug: repository.slug,
    description: repository.description,
    scm: 'git',
    website: repository.website,
    owner: ownerJson(workspace, base),
    workspace: embeddedWorkspaceJson(workspace, base),
    is_private: repository.isPrivate,
    project: embeddedProjectJson(workspace, project, base),
    fork_policy: repository.forkPolicy,
    created_on: formatTimestamp(repository.createdOn),
    updated_on: formatTimestamp(repository.updatedOn),
    size: repository.size,
    language: repository.language,
    uuid: repository.uuid,
    mainbranch: { name: repository.mainBranch, type: 'branch' },
    override_settings: { default_merge_strategy: true, branching_model: true },
    enforced_signed_commits: null,
    has_issues: repository.hasIssues,
    has_wiki: repository.hasWiki,
  };
}

/** What `?q=` and `?sort=` can use on repositories, and how to read it from a record. */
export const REPOSITORY_QUERY_FIELDS: FieldTypes = {
  name: 'string',
  slug: 'string',
  full_name: 'string',
  description: 'string',
  language: 'string',
  scm: 'string',
  website: 'string',
  uuid: 'string',
  fork_policy: 'string',
  is_private: 'boolean',
  has_issues: 'boolean',
  has_wiki: 'boolean',
  size: 'number',
  created_on: 'datetime',
  updated_on: 'datetime',
  'project.key': 'string',
  'project.name': 'string',
  'project.uuid': 'string',
  'owner.uuid': 'string',
  'owner.username': 'string',
  'owner.display_name': 'string',
  'workspace.slug': 'string',
  'workspace.uuid': 'string',
  'mainbranch.name': 'string',
};

export function repositoryQueryRecord(repository: RepositoryRecord, workspace: WorkspaceSeed, project: ProjectSeed): FlatRecord {
  return {
    name: repository.name,
    slug: repository.slug,
    full_name: `${workspace.slug}/${repository.slug}`,
    description: repository.description,
    language: repository.language,
    scm: 'git',
    website: repository.website,
    uuid: repository.uuid,
    fork_policy: repository.forkPolicy,
    is_private: repository.isPrivate,
    has_issues: repository.hasIssues,
    has_wiki: repository.hasWiki,
    size: repository.size,
    created_on: repository.createdOn,
    updated_on: repository.updatedOn,
    'project.key': project.key,
    'project.name': project.name,
    'project.uuid': project.uuid,
    'owner.uuid': workspace.kind === 'personal' ? (workspace.owner?.uuid ?? workspace.uuid) : workspace.uuid,
    'owner.username': workspace.kind === 'personal' ? null : workspace.slug,
    'owner.display_name': workspace.name,
    'workspace.slug': workspace.slug,
    'workspace.uuid': workspace.uuid,
    'mainbranch.name': repository.mainBranch,
  };
}

export const PROJECT_QUERY_FIELDS: FieldTypes = {
  key: 'string',
  name: 'string',
  uuid: 'string',
  description: 'string',
  is_private: 'boolean',
  created_on: 'datetime',
  updated_on: 'datetime',
};

export function projectQueryRecord(project: ProjectSeed): FlatRecord {
  return {
    key: project.key,
    name: project.name,
    uuid: project.uuid,
    description: project.description,
    is_private: project.isPrivate,
    created_on: project.createdOn,
    updated_on: project.updatedOn,
  };
}

export const WORKSPACE_ACCESS_QUERY_FIELDS: FieldTypes = {
  slug: 'string',
  administrator: 'boolean',
  'workspace.slug': 'string',
  'workspace.uuid': 'string',
};

/** GET /user/workspaces sorts by slug only. */
export const WORKSPACE_ACCESS_SORT_FIELDS: FieldTypes = { slug: 'string' };

export function workspaceAccessQueryRecord({ workspace, administrator }: WorkspaceAccess): FlatRecord {
  return {
    slug: workspace.slug,
    administrator,
    'workspace.slug': workspace.slug,
    'workspace.uuid': workspace.uuid,
  };
}
