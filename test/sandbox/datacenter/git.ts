import { GitDecision } from '../git-access';
import { DcCredential } from './auth';
import { LEVEL, Permissions } from './permissions';
import { DcProjectSeed, DcRepositorySeed } from './seed';

/**
 * Who may fetch from or push to `{url}/scm/{projectKey}/{slug}.git` (the key in any case: clone links use
 * lower case; a personal project is `~user`): the REST API's credential rules (personal tokens as Basic
 * with the owner's user name or as Bearer, project and repository tokens as Bearer only, which git sends
 * with `http.extraHeader`), then read permission to fetch and write permission to push.
 * Public repositories clone anonymously. A credential git could fix (none, or a refused one) gets 401 with
 * `WWW-Authenticate: Basic realm="Atlassian Bitbucket"`, so git asks its credential helper; a valid
 * credential that may not see the repository gets 404, one that may read but not write gets 403.
 */
export interface DcGitTarget {
  projectKey: string;
  slug: string;
  /** After `.git`: `/info/refs`, `/git-upload-pack`, `/git-receive-pack`, ... */
  rest: string;
}

export const DC_GIT_REALM = 'Basic realm="Atlassian Bitbucket"';

/** Parses a path below the context path: `/scm/{key}/{slug}.git[/...]`. */
export function parseDcGitPath(pathname: string): DcGitTarget | undefined {
  const match = /^\/scm\/([^/]+)\/([^/]+?)\.git(\/.*)?$/.exec(pathname);
  if (!match) {
    return undefined;
  }
  try {
    return { projectKey: decodeURIComponent(match[1]), slug: decodeURIComponent(match[2]), rest: match[3] ?? '/' };
  } catch {
    return undefined;
  }
}

const challenge = (message: string): GitDecision => ({ allowed: false, status: 401, message, challenge: true });
const refuse = (status: number, message: string): GitDecision => ({ allowed: false, status, message, challenge: false });

export function decideDcGitAccess(
  credential: DcCredential,
  permissions: Permissions,
  project: DcProjectSeed | undefined,
  repository: DcRepositorySeed | undefined,
  push: boolean,
): GitDecision {
  if (credential.kind === 'invalid') {
    return challenge(
      'Authentication failed. Personal tokens go with your user name or as Bearer; project and repository tokens as Bearer only.',
    );
  }
  const level = project && repository ? permissions.repository(credential, project, repository) : LEVEL.none;
  if (credential.kind === 'anonymous') {
    return level >= LEVEL.view && !push ? { allowed: true } : challenge('Authentication required.');
  }
  if (level < LEVEL.view) {
    return refuse(404, 'Repository not found.');
  }
  if (push && level < LEVEL.write) {
    return refuse(403, 'You are not permitted to push to this repository.');
  }
  return { allowed: true, remoteUser: credential.user?.name ?? credential.token.name };
}
