import { apiError, ApiError, MESSAGES } from './errors';
import { AccessTokenSeed, ApiTokenSeed, Scope, SCOPES } from './seed';

/**
 * Who a request is, as Bitbucket Cloud decides it:
 * - REST: HTTP Basic with the Atlassian account email and an API token; Bearer with an access token.
 *   The email must be that of the token's owner.
 * - git: Basic with `x-bitbucket-api-token-auth` or the token owner's Bitbucket username plus an API
 *   token (never the email), or `x-token-auth` plus an access token.
 * App passwords, expired tokens and anything unknown are refused. An API token stands for its owner
 * (`token.owner`): whose /user, whose workspaces, whose permissions.
 */
export type Credential =
  | { kind: 'anonymous' }
  /** `tokenName`: a seeded token the request carried but may not use here (expired, revoked, wrong email or user, wrong scheme). */
  | { kind: 'invalid'; scheme: 'basic' | 'bearer' | 'none'; tokenName?: string }
  | { kind: 'api-token'; scheme: 'basic'; token: ApiTokenSeed }
  | { kind: 'access-token'; scheme: 'basic' | 'bearer'; token: AccessTokenSeed };

/** Where authentication looks tokens up: the sandbox's world (the fixed seed plus any bench users). */
export interface TokenDirectory {
  /** Any API token with this secret, expired ones included. */
  apiToken(secret: string): ApiTokenSeed | undefined;
  accessToken(secret: string): AccessTokenSeed | undefined;
}

export const GIT_API_TOKEN_USER = 'x-bitbucket-api-token-auth';
export const GIT_ACCESS_TOKEN_USER = 'x-token-auth';

/** An `Authorization` header read as Basic (user and password), Bearer (a token) or any other scheme. */
export type Authorization = { scheme: 'basic'; user: string; password: string } | { scheme: 'bearer'; token: string } | { scheme: 'other' };

export function parseAuthorization(header: string | undefined): Authorization | undefined {
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

function liveApiToken(tokens: TokenDirectory, secret: string): ApiTokenSeed | undefined {
  const token = tokens.apiToken(secret);
  return token && !token.expired && !revoked.has(secret) ? token : undefined;
}

function liveAccessToken(tokens: TokenDirectory, secret: string): AccessTokenSeed | undefined {
  return revoked.has(secret) ? undefined : tokens.accessToken(secret);
}

/** Refused, naming the seeded token the request carried if it carried one (never its secret). */
function invalid(tokens: TokenDirectory, authorization: Authorization): Credential {
  const secret = authorization.scheme === 'basic' ? authorization.password : authorization.scheme === 'bearer' ? authorization.token : '';
  const tokenName = secret ? (tokens.apiToken(secret) ?? tokens.accessToken(secret))?.name : undefined;
  const scheme = authorization.scheme === 'other' ? 'none' : authorization.scheme;
  return tokenName ? { kind: 'invalid', scheme, tokenName } : { kind: 'invalid', scheme };
}

/** REST: the email must be the token owner's (case-insensitive), never the username. */
export function authenticateApi(header: string | undefined, tokens: TokenDirectory): Credential {
  const authorization = parseAuthorization(header);
  if (!authorization) {
    return { kind: 'anonymous' };
  }
  if (authorization.scheme === 'basic') {
    const token = liveApiToken(tokens, authorization.password);
    return token && authorization.user.toLowerCase() === token.owner.email
      ? { kind: 'api-token', scheme: 'basic', token }
      : invalid(tokens, authorization);
  }
  if (authorization.scheme === 'bearer') {
    const token = liveAccessToken(tokens, authorization.token);
    return token ? { kind: 'access-token', scheme: 'bearer', token } : invalid(tokens, authorization);
  }
  return invalid(tokens, authorization);
}

/** git: an API token goes with `x-bitbucket-api-token-auth` or its owner's username (another account's name is refused). */
export function authenticateGit(header: string | undefined, tokens: TokenDirectory): Credential {
  const authorization = parseAuthorization(header);
  if (!authorization) {
    return { kind: 'anonymous' };
  }
  if (authorization.scheme !== 'basic') {
    return invalid(tokens, authorization);
  }
  if (authorization.user === GIT_ACCESS_TOKEN_USER) {
    const token = liveAccessToken(tokens, authorization.password);
    return token ? { kind: 'access-token', scheme: 'basic', token } : invalid(tokens, authorization);
  }
  const token = liveApiToken(tokens, authorization.password);
  if (token && (authorization.user === GIT_API_TOKEN_USER || authorization.user === token.owner.username)) {
    return { kind: 'api-token', scheme: 'basic', token };
  }
  return invalid(tokens, authorization);
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

/**
 * How the request log names a credential, never by its secret: `user` is the account nickname (API
 * tokens) or the token's name (access tokens), set only when the credential was accepted; `credential`
 * is the seeded token's name (`demo-full-access`, `second-full-access`, `acme-ci`, ...), also when it was refused.
 */
export function logIdentity(credential: Credential): { auth: 'basic' | 'bearer' | 'none'; user?: string; credential?: string } {
  switch (credential.kind) {
    case 'api-token':
      return { auth: 'basic', user: credential.token.owner.username, credential: credential.token.name };
    case 'access-token':
      return { auth: credential.scheme, user: credential.token.name, credential: credential.token.name };
    case 'invalid':
      return credential.tokenName ? { auth: credential.scheme, credential: credential.tokenName } : { auth: credential.scheme };
    case 'anonymous':
      return { auth: 'none' };
  }
}
