import { Credential, hasScope } from './auth';
import { membership, RepositoryRecord, SCOPES, WorkspaceSeed } from './seed';

/**
 * Who may fetch from or push to a repository over HTTP, as Bitbucket decides it: public repositories
 * can be cloned anonymously; everything else needs an API token (user `x-bitbucket-api-token-auth`
 * or the owner's Bitbucket username) whose owner belongs to the repository's workspace, or an access
 * token (`x-token-auth`) for that workspace. Pushing needs membership and `write:repository`.
 * Refusals that credentials could fix are 401s with a Basic challenge, so git asks for them.
 */
export interface GitTarget {
  workspace: string;
  slug: string;
  /** The part after `.git`, e.g. `/info/refs` or `/git-upload-pack`. */
  rest: string;
}

export function parseGitPath(pathname: string): GitTarget | undefined {
  const match = /^\/([^/]+)\/([^/]+?)\.git(\/.*)?$/.exec(pathname);
  if (!match) {
    return undefined;
  }
  try {
    return { workspace: decodeURIComponent(match[1]), slug: decodeURIComponent(match[2]), rest: match[3] ?? '/' };
  } catch {
    return undefined;
  }
}

export function isPush(target: GitTarget, query: URLSearchParams): boolean {
  return target.rest === '/git-receive-pack' || query.get('service') === 'git-receive-pack';
}

export type GitDecision = { allowed: true; remoteUser?: string } | { allowed: false; status: number; message: string; challenge: boolean };

export const GIT_REALM = 'Basic realm="Bitbucket"';

const challenge = (message: string): GitDecision => ({ allowed: false, status: 401, message, challenge: true });
const refuse = (status: number, message: string): GitDecision => ({ allowed: false, status, message, challenge: false });

export function decideGitAccess(
  credential: Credential,
  workspace: WorkspaceSeed | undefined,
  repository: RepositoryRecord | undefined,
  push: boolean,
): GitDecision {
  if (credential.kind === 'invalid') {
    return challenge('Invalid credentials. Use an API token with x-bitbucket-api-token-auth or your Bitbucket username.');
  }
  if (credential.kind === 'anonymous') {
    if (!workspace || !repository || repository.isPrivate || push) {
      return challenge('Authentication required.');
    }
    return { allowed: true };
  }
  if (!workspace || !repository) {
    return refuse(404, 'Repository not found.');
  }
  const requiredScope = push ? SCOPES.writeRepository : SCOPES.readRepository;
  if (credential.kind === 'access-token') {
    if (credential.token.workspace !== workspace.slug) {
      return refuse(403, 'This access token is not valid for this workspace.');
    }
  } else if (!membership(workspace, credential.token.owner.username)) {
    if (repository.isPrivate) {
      return refuse(404, 'Repository not found.');
    }
    if (push) {
      return refuse(403, 'You do not have write access to this repository.');
    }
  }
  if (!hasScope(credential, requiredScope)) {
    return refuse(403, `Your credentials lack the ${requiredScope} scope.`);
  }
  return { allowed: true, remoteUser: credential.kind === 'api-token' ? credential.token.owner.username : credential.token.name };
}
