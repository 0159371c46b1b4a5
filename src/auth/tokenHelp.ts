/** Where tokens are made and which scopes the extension needs: shown in the sign-in flow and the welcome view. */

export const API_TOKEN_PAGE = 'https://id.atlassian.com/manage-profile/security/api-tokens';
export const ACCESS_TOKEN_HELP_PAGE = 'https://support.atlassian.com/bitbucket-cloud/docs/access-tokens/';

/** Scopes for every feature: browse, create, clone and push. */
export const REQUIRED_SCOPES = [
  'read:user:bitbucket',
  'read:workspace:bitbucket',
  'read:repository:bitbucket',
  'read:project:bitbucket',
  'write:repository:bitbucket',
  'admin:repository:bitbucket',
] as const;
