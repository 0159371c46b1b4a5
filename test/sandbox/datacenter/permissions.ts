import { DcCredential } from './auth';
import { DcProjectSeed, DcRepositorySeed, DcToken, ProjectPermission, TokenPermission } from './seed';

/**
 * What a credential may do on a project or repository, as one number on Bitbucket's permission ladder.
 *
 * - `VIEW` is the implicit permission: anyone (anonymous too) on a public repository or project, and
 *   PROJECT_VIEW on a project where one can see a repository. The REST docs call it the implicit 'read',
 *   "lower than the REPO_READ permission": enough to read, not enough for `permission=REPO_READ`.
 * - A user's project permission covers its repositories: PROJECT_READ gives REPO_READ, PROJECT_WRITE and
 *   REPO_CREATE give REPO_WRITE, PROJECT_ADMIN gives REPO_ADMIN. A personal project's owner administers it.
 * - A personal token can never do more than its owner, nor more than its own permissions.
 * - A project token acts with its permissions in its project only; a repository token in its repository only
 *   (plus PROJECT_VIEW on that repository's project). Elsewhere they see what anonymous users see.
 */
export const LEVEL = { none: 0, view: 1, read: 2, write: 3, create: 4, admin: 5 } as const;

const PROJECT_LEVELS: Readonly<Record<ProjectPermission, number>> = {
  PROJECT_VIEW: LEVEL.view,
  PROJECT_READ: LEVEL.read,
  PROJECT_WRITE: LEVEL.write,
  REPO_CREATE: LEVEL.create,
  PROJECT_ADMIN: LEVEL.admin,
};

const TOKEN_LEVELS: Readonly<Record<TokenPermission, number>> = {
  PROJECT_READ: LEVEL.read,
  PROJECT_WRITE: LEVEL.write,
  PROJECT_ADMIN: LEVEL.admin,
  REPO_READ: LEVEL.read,
  REPO_WRITE: LEVEL.write,
  REPO_ADMIN: LEVEL.admin,
};

/** Permission names the `permission` filters accept, with the level each needs. */
export const PROJECT_FILTERS: Readonly<Record<string, number>> = { ...PROJECT_LEVELS };
export const REPOSITORY_FILTERS: Readonly<Record<string, number>> = {
  REPO_READ: LEVEL.read,
  REPO_WRITE: LEVEL.write,
  REPO_ADMIN: LEVEL.admin,
};

function tokenLevel(token: DcToken, prefix: 'PROJECT_' | 'REPO_'): number {
  const permission = token.permissions.find((name) => name.startsWith(prefix));
  return permission ? TOKEN_LEVELS[permission] : LEVEL.none;
}

function userProjectLevel(user: string, project: DcProjectSeed): number {
  if (project.type === 'PERSONAL' && project.owner === user) {
    return LEVEL.admin;
  }
  const grant = project.grants[user];
  return grant ? PROJECT_LEVELS[grant] : LEVEL.none;
}

/** The repository level a project level gives: REPO_CREATE writes, PROJECT_VIEW alone reads nothing. */
function repositoryLevelFromProject(level: number): number {
  if (level >= LEVEL.admin) return LEVEL.admin;
  if (level >= LEVEL.write) return LEVEL.write;
  return level >= LEVEL.read ? LEVEL.read : LEVEL.none;
}

export interface PermissionContext {
  /** The project's repositories, to grant PROJECT_VIEW where one of them is visible. */
  repositories(project: DcProjectSeed): readonly DcRepositorySeed[];
}

export class Permissions {
  constructor(private readonly context: PermissionContext) {}

  repository(credential: DcCredential, project: DcProjectSeed, repository: DcRepositorySeed): number {
    const implicit = repository.public || project.public ? LEVEL.view : LEVEL.none;
    if (credential.kind !== 'token') {
      return implicit;
    }
    const { token, user } = credential;
    let granted: number = LEVEL.none;
    if (token.kind === 'personal' && user) {
      granted = Math.min(repositoryLevelFromProject(userProjectLevel(user.name, project)), tokenLevel(token, 'REPO_'));
    } else if (token.kind === 'project' && token.projectKey === project.key) {
      granted = tokenLevel(token, 'REPO_');
    } else if (token.kind === 'repository' && token.projectKey === project.key && token.repositorySlug === repository.slug) {
      granted = tokenLevel(token, 'REPO_');
    }
    return Math.max(granted, implicit);
  }

  project(credential: DcCredential, project: DcProjectSeed): number {
    let granted: number = LEVEL.none;
    if (credential.kind === 'token') {
      const { token, user } = credential;
      if (token.kind === 'personal' && user) {
        granted = Math.min(userProjectLevel(user.name, project), tokenLevel(token, 'PROJECT_'));
      } else if (token.kind === 'project' && token.projectKey === project.key) {
        granted = tokenLevel(token, 'PROJECT_');
      }
    }
    if (granted >= LEVEL.view || project.public) {
      return Math.max(granted, LEVEL.view);
    }
    // PROJECT_VIEW is implied by seeing any of its repositories (public ones, or a repository token's).
    const seesOne = this.context.repositories(project).some((repository) => this.repository(credential, project, repository) >= LEVEL.view);
    return seesOne ? LEVEL.view : LEVEL.none;
  }
}
