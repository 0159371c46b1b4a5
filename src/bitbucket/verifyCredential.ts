/**
 * Checks a Bitbucket Cloud credential against the API before it is kept, and says exactly what is wrong
 * when it fails.
 * No `vscode` import: the sign-in flow calls it, and plain Node tests run it against the sandbox.
 */
import { accessTokenLabel } from '../auth/accountLabels';
import { t } from '../common/l10n';
import type { AccountSummary } from '../host/types';
import { BitbucketClient } from './client';
import { Credential } from './credentials';
import { BitbucketError, isBitbucketError } from './errors';
import { HttpOptions } from './http';

export async function verifyCredential(
  credential: Credential,
  options: Omit<HttpOptions, 'credential'>,
  signal?: AbortSignal,
): Promise<AccountSummary> {
  const client = new BitbucketClient({ ...options, credential });
  if (credential.kind === 'apiToken') {
    const user = await client.getCurrentUser(signal);
    // Listing workspaces needs read:workspace:bitbucket; a token without it would sign in and show nothing.
    await client.listWorkspaces({ pageSize: 10, signal }).next();
    return {
      id: user.uuid ?? user.account_id ?? credential.email,
      label: `${user.display_name} (${credential.email})`,
      kind: 'apiToken',
    };
  }
  try {
    await client.listRepositories(credential.workspace, { pageSize: 10, signal }).next();
  } catch (error) {
    if (isBitbucketError(error, 'notFound')) {
      throw new BitbucketError(
        'notFound',
        t(
          'Bitbucket has no workspace "{0}" that this token can see. Check the workspace slug (the part after bitbucket.org/ in its address).',
          credential.workspace,
        ),
        { status: 404, endpoint: error.endpoint },
      );
    }
    throw error;
  }
  return {
    id: `workspace:${credential.workspace}`,
    label: accessTokenLabel(credential.workspace),
    kind: 'accessToken',
    workspace: credential.workspace,
  };
}
