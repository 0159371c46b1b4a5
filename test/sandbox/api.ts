import { Credential, hasScope, missingScope } from './auth';
import {
  ApiRequest,
  ApiState,
  createRepository,
  getRepository,
  getUser,
  getWorkspace,
  Handler,
  listProjects,
  listRepositories,
  listUserWorkspaces,
} from './api-handlers';
import { apiError, ApiError, MESSAGES } from './errors';
import { RollingWindowLimiter } from './rate-limit';
import { Scope, SCOPES } from './seed';
import { getBranch, getSource, getSourceRoot, getTag, listBranches, listTags } from './source';

/**
 * Routing for /2.0 and the checks every endpoint shares, in Bitbucket's order: removed endpoints,
 * credentials, authentication mechanism, access-token workspace, scope, rate limit.
 */
interface Route {
  method: string;
  pattern: RegExp;
  /** Answers 410 Gone (CHANGE-2770) whatever the credentials. */
  gone?: boolean;
  handler?: Handler;
  /** Scope an API token needs. */
  scope?: Scope;
  /** Scope an access token needs, when it differs (null: none, as the spec's `oauth2: []`). */
  accessTokenScope?: Scope | null;
  anonymous?: boolean;
  /** False where "not accessible by this authentication mechanism" (/user, /user/workspaces). */
  accessTokens?: boolean;
  /** Index of the path parameter naming the workspace, checked against an access token's workspace. */
  workspaceParam?: number;
  /** Counts towards the authenticated /2.0/repositories/* hourly limit. */
  repositoriesLimit?: boolean;
}

/** GET endpoints inside a repository: read:repository, anonymous for public repositories, the /repositories limit. */
function repositoryReads(routes: Array<[RegExp, Handler]>): Route[] {
  return routes.map(([pattern, handler]) => ({
    method: 'GET',
    pattern,
    handler,
    scope: SCOPES.readRepository,
    anonymous: true,
    accessTokens: true,
    workspaceParam: 0,
    repositoriesLimit: true,
  }));
}

const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: /^\/user$/, handler: getUser, scope: SCOPES.readUser, accessTokens: false },
  { method: 'GET', pattern: /^\/user\/workspaces$/, handler: listUserWorkspaces, scope: SCOPES.readWorkspace, accessTokens: false },
  { method: 'GET', pattern: /^\/user\/permissions\/workspaces$/, gone: true },
  { method: 'GET', pattern: /^\/workspaces$/, gone: true },
  {
    method: 'GET',
    pattern: /^\/workspaces\/([^/]+)$/,
    handler: getWorkspace,
    scope: SCOPES.readWorkspace,
    accessTokenScope: null,
    anonymous: true,
    accessTokens: true,
    workspaceParam: 0,
  },
  {
    method: 'GET',
    pattern: /^\/workspaces\/([^/]+)\/projects$/,
    handler: listProjects,
    scope: SCOPES.readProject,
    anonymous: true,
    accessTokens: true,
    workspaceParam: 0,
  },
  { method: 'GET', pattern: /^\/repositories$/, gone: true },
  {
    method: 'GET',
    pattern: /^\/repositories\/([^/]+)$/,
    handler: listRepositories,
    scope: SCOPES.readRepository,
    anonymous: true,
    accessTokens: true,
    workspaceParam: 0,
    repositoriesLimit: true,
  },
  {
    method: 'GET',
    pattern: /^\/repositories\/([^/]+)\/([^/]+)$/,
    handler: getRepository,
    scope: SCOPES.readRepository,
    anonymous: true,
    accessTokens: true,
    workspaceParam: 0,
    repositoriesLimit: true,
  },
  ...repositoryReads([
    // /src (the root redirect), /src/{commit}/{path} (the path may be empty and is checked by the handler).
    [/^\/repositories\/([^/]+)\/([^/]+)\/src$/, getSourceRoot],
    [/^\/repositories\/([^/]+)\/([^/]+)\/src\/([^/]+)(?:\/(.*))?$/, getSource],
    [/^\/repositories\/([^/]+)\/([^/]+)\/refs\/branches$/, listBranches],
    [/^\/repositories\/([^/]+)\/([^/]+)\/refs\/branches\/(.+)$/, getBranch],
    [/^\/repositories\/([^/]+)\/([^/]+)\/refs\/tags$/, listTags],
    [/^\/repositories\/([^/]+)\/([^/]+)\/refs\/tags\/(.+)$/, getTag],
  ]),
  {
    method: 'POST',
    pattern: /^\/repositories\/([^/]+)\/([^/]+)$/,
    handler: createRepository,
    scope: SCOPES.adminRepository,
    anonymous: false,
    accessTokens: true,
    workspaceParam: 0,
    repositoriesLimit: true,
  },
];

export interface RateLimits {
  /** Per API token, per rolling hour, on /2.0/repositories/*. */
  perCredential: number;
  /** Per access token, per rolling hour, on /2.0/repositories/*. */
  perAccessToken: number;
  /** Per IP address, per rolling hour, for unauthenticated requests. */
  anonymousPerIp: number;
}

export interface ApiCall extends ApiRequest {
  remoteAddress: string;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** Bytes to send as they are (with `headers` saying what they are) instead of `body` as JSON. */
  raw?: Buffer;
}

export class Api {
  constructor(
    private readonly state: ApiState,
    private readonly limiter: RollingWindowLimiter,
    private readonly limits: RateLimits,
  ) {}

  async handle(call: ApiCall): Promise<ApiResponse> {
    const headers: Record<string, string> = {};
    try {
      const { route, params } = this.route(call.method, call.path);
      if (route.gone) {
        throw apiError(410, MESSAGES.gone, { detail: 'Use GET /2.0/user/workspaces and GET /2.0/repositories/{workspace} instead.' });
      }
      this.gate(call, route, params, headers);
      const result = await (route.handler as Handler)(call, params, this.state);
      return { status: result.status, body: result.body, headers: { ...headers, ...result.headers }, raw: result.raw };
    } catch (error) {
      if (error instanceof ApiError) {
        return { status: error.status, body: error.body, headers: { ...headers, ...error.headers } };
      }
      throw error;
    }
  }

  private route(method: string, path: string): { route: Route; params: string[] } {
    let pathMatched = false;
    for (const route of ROUTES) {
      const match = route.pattern.exec(path);
      if (!match) {
        continue;
      }
      pathMatched = true;
      if (route.method === method || route.gone) {
        const params = match.slice(1).map((segment: string | undefined) => {
          if (segment === undefined) {
            return '';
          }
          try {
            return decodeURIComponent(segment);
          } catch {
            throw apiError(404, 'Resource not found');
          }
        });
        return { route, params };
      }
    }
    throw pathMatched ? apiError(405, `Method ${method} is not allowed here.`) : apiError(404, 'Resource not found');
  }

  private gate(call: ApiCall, route: Route, params: string[], headers: Record<string, string>): void {
    const credential: Credential = call.credential;
    if (credential.kind === 'invalid') {
      throw apiError(401, MESSAGES.invalidCredentials);
    }
    if (credential.kind === 'anonymous') {
      if (!route.anonymous) {
        throw apiError(401, MESSAGES.authenticationRequired);
      }
      if (!this.limiter.take(`ip:${call.remoteAddress}`, this.limits.anonymousPerIp).allowed) {
        throw apiError(429, MESSAGES.rateLimited);
      }
      return;
    }
    if (credential.kind === 'access-token') {
      if (!route.accessTokens) {
        throw apiError(403, MESSAGES.wrongMechanism);
      }
      const workspace = route.workspaceParam === undefined ? undefined : this.state.store.workspace(params[route.workspaceParam]);
      if (workspace && workspace.slug !== credential.token.workspace) {
        throw apiError(403, MESSAGES.tokenWorkspace);
      }
    }
    const scope = credential.kind === 'access-token' && route.accessTokenScope !== undefined ? route.accessTokenScope : route.scope;
    if (scope && !hasScope(credential, scope)) {
      throw missingScope(credential, scope);
    }
    if (route.repositoriesLimit) {
      const isAccessToken = credential.kind === 'access-token';
      const limit = isAccessToken ? this.limits.perAccessToken : this.limits.perCredential;
      const decision = this.limiter.take(`${credential.kind}:${credential.token.name}`, limit);
      if (isAccessToken) {
        headers['X-RateLimit-Limit'] = String(decision.limit);
        headers['X-RateLimit-Resource'] = 'api/repositories';
        headers['X-RateLimit-NearLimit'] = String(decision.remaining < decision.limit * 0.2);
      }
      if (!decision.allowed) {
        throw apiError(429, MESSAGES.rateLimited);
      }
    }
  }
}
