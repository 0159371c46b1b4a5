/**
 * The two kinds of credential Bitbucket Cloud accepts from this extension, and how each is presented
 * to the REST API and to git. Nothing here stores a credential; see src/auth for that.
 */

/** An Atlassian API token: REST uses Basic with the Atlassian account email. */
export interface ApiTokenCredential {
  readonly kind: 'apiToken';
  readonly email: string;
  readonly token: string;
}

/** A repository, project or workspace access token: REST uses Bearer. It belongs to one workspace. */
export interface AccessTokenCredential {
  readonly kind: 'accessToken';
  readonly token: string;
  readonly workspace: string;
}

export type Credential = ApiTokenCredential | AccessTokenCredential;

/** The fixed git user names Bitbucket documents for each kind; git never gets the email. */
export const GIT_USERNAME_FOR_API_TOKEN = 'x-bitbucket-api-token-auth';
export const GIT_USERNAME_FOR_ACCESS_TOKEN = 'x-token-auth';

export function authorizationHeader(credential: Credential): string {
  if (credential.kind === 'accessToken') {
    return `Bearer ${credential.token}`;
  }
  return `Basic ${Buffer.from(`${credential.email}:${credential.token}`, 'utf8').toString('base64')}`;
}

export function gitUsername(credential: Credential): string {
  return credential.kind === 'accessToken' ? GIT_USERNAME_FOR_ACCESS_TOKEN : GIT_USERNAME_FOR_API_TOKEN;
}

/**
 * What a secret's shape suggests it is. Atlassian API tokens start with `ATAT`, Bitbucket access tokens
 * with `ATCT`; app passwords have neither. Atlassian does not document the prefixes, so this is a hint
 * for better messages, never a reason to refuse a credential.
 */
export type TokenShape = 'apiToken' | 'accessToken' | 'appPasswordLike';

export function tokenShape(token: string): TokenShape {
  if (token.startsWith('ATAT')) return 'apiToken';
  if (token.startsWith('ATCT')) return 'accessToken';
  return 'appPasswordLike';
}
