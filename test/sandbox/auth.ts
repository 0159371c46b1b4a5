import { apiError, ApiError, MESSAGES } from './errors';
import { ACCESS_TOKENS, AccessTokenSeed, API_TOKENS, ApiTokenSeed, DEMO, Scope, SCOPES } from './seed';

/**
 * Who a request is, as Bitbucket Cloud decides it:
 * - REST: HTTP Basic with the Atlassian account email and an API token; Bearer with an access token.
 * - git: Basic with `x-bitbucket-api-token-auth` or the Bitbucket username plus an API token
 *   (never the email), or `x-token-auth` plus an access token.
 * App passwords, expired tokens and anything unknown are refused.
 */
export type Credential =
  | { kind: 'anonymous' }
  | { kind: 'invalid'; scheme: 'basic' | 'bearer' | 'none' }
  | { kind: 'api-token'; scheme: 'basic'; token: ApiTokenSeed }
  | { kind: 'access-token'; scheme: 'basic' | 'bearer'; token: AccessTokenSeed };

export const GIT_API_TOKEN_USER = 'x-bitbucket-api-token-auth';
export const GIT_ACCESS_TOKEN_USER = 'x-token-auth';

type Authorization = { scheme: 'basic'; user: string; password: string } | { scheme: 'bearer'; token: string } | { scheme: 'other' };

function parseAuthorization(header: string | undefined): Authorization | undefined {
  if (!header) {
    return undefined;
  }
  const match = /^(\S+)\s+(.*)$/.exec(header.trim());
  if (!match) {
    return { scheme: 'other' };
  }
  const [, scheme, value] = match;
  if (scheme.toLowerCase() === 'bearer') {
    return { scheme: 'bearer', token: value.trim() };
  }
  if (scheme.toLowerCase() !== 'basic') {
    return { scheme: 'other' };
  }
  const decoded = Buffer.from(value.trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    return { scheme: 'basic', user: decoded, password: '' };
  }
  return { scheme: 'basic', user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Tokens revoked by a test since the last reset: refused by the API and by git, like a revoked token. */
const revoked = new Set<string>();

export function revokeToken(secret: string): void {
  revoked.add(secret);
}

export function restoreRevokedTokens(): void {
  revoked.clear();
}

function liveApiToken(secret: string): ApiTokenSeed | undefined {
  return API_TOKENS.find((token) => token.secret === secret && !token.expired && !revoked.has(secret));
}

function accessToken(secret: string): AccessTokenSeed | undefined {
  return ACCESS_TOKENS.find((token) => token.secret === secret && !revoked.has(secret));
}

function invalid(authorization: Authorization): Credential {
  return { kind: 'invalid', scheme: authorization.scheme === 'other' ? 'none' : authorization.scheme };
}

export function authenticateApi(header: string | undefined): Credential {
  const authorization = parseAuthorization(header);
  if (!authorization) {
    return { kind: 'anonymous' };
  }
  if (authorization.scheme === 'basic') {
    const token = liveApiToken(authorization.password);
    return token && authorization.user.toLowerCase() === DEMO.email
      ? { kind: 'api-token', scheme: 'basic', token }
      : invalid(authorization);
  }
  if (authorization.scheme === 'bearer') {
    const token = accessToken(authorization.token);
    return token ? { kind: 'access-token', scheme: 'bearer', token } : invalid(authorization);
  }
  return invalid(authorization);
}

export function authenticateGit(header: string | undefined): Credential {
  const authorization = parseAuthorization(header);
  if (!authorization) {
    return { kind: 'anonymous' };
  }
  if (authorization.scheme !== 'basic') {
    return invalid(authorization);
  }
  if (authorization.user === GIT_API_TOKEN_USER || authorization.user === DEMO.username) {
    const token = liveApiToken(authorization.password);
    return token ? { kind: 'api-token', scheme: 'basic', token } : invalid(authorization);
  }
  if (authorization.user === GIT_ACCESS_TOKEN_USER) {
    const token = accessToken(authorization.password);
    return token ? { kind: 'access-token', scheme: 'basic', token } : invalid(authorization);
  }
  return invalid(authorization);
}

/** The older scope names access tokens carry, and the new scopes each one grants. */
const LEGACY_GRANTS: Readonly<Record<string, readonly Scope[]>> = {
  account: [SCOPES.readUser, SCOPES.readWorkspace],
  project: [SCOPES.readProject, SCOPES.readRepository],
  repository: [SCOPES.readRepository],
  'repository:write': [SCOPES.readRepository, SCOPES.writeRepository],
  'repository:admin': [SCOPES.adminRepository],
  'repository:delete': [SCOPES.deleteRepository],
};

const LEGACY_NAMES: Readonly<Record<Scope, string>> = {
  [SCOPES.readUser]: 'account',
  [SCOPES.readWorkspace]: 'account',
  [SCOPES.readProject]: 'project',
  [SCOPES.readRepository]: 'repository',
  [SCOPES.writeRepository]: 'repository:write',
  [SCOPES.adminRepository]: 'repository:admin',
  [SCOPES.deleteRepository]: 'repository:delete',
};

/** For API tokens, `write:repository` does not imply `read:repository` (BITBUCKET.md). */
export function hasScope(credential: Credential, scope: Scope): boolean {
  if (credential.kind === 'api-token') {
    return credential.token.scopes.includes(scope);
  }
  if (credential.kind === 'access-token') {
    return credential.token.scopes.some((name) => LEGACY_GRANTS[name]?.includes(scope));
  }
  return false;
}

export function missingScope(credential: Credential, scope: Scope): ApiError {
  const legacy = credential.kind === 'access-token';
  const granted = credential.kind === 'api-token' || credential.kind === 'access-token' ? [...credential.token.scopes] : [];
  return apiError(403, MESSAGES.missingScope, { detail: { granted, required: [legacy ? LEGACY_NAMES[scope] : scope] } });
}

/** How the request log names a credential: the account nickname or the token's name, never a secret. */
export function logIdentity(credential: Credential): { auth: 'basic' | 'bearer' | 'none'; user?: string } {
  switch (credential.kind) {
    case 'api-token':
      return { auth: 'basic', user: DEMO.username };
    case 'access-token':
      return { auth: credential.scheme, user: credential.token.name };
    case 'invalid':
      return { auth: credential.scheme };
    case 'anonymous':
      return { auth: 'none' };
  }
}
