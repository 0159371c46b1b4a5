/**
 * The names accounts show by. A person's account shows their name. A token that names no person (a workspace's
 * access token, a Data Center project's or repository's token, a personal token whose user the server did not
 * say) is named in words, and those are made in the current language each time they are shown rather than read
 * from the record sign-in kept: after VS Code's language changes, the accounts read in the new one.
 * `server` is a Data Center server as `serverLabel` gives it. No `vscode` import.
 */
import { t } from '../common/l10n';
import { serverLabel } from '../common/urls';
import type { StoredAccount } from './accountStore';

export function accessTokenLabel(workspace: string): string {
  return t('Access token for {0}', workspace);
}

export function personalTokenLabel(server: string): string {
  return t('HTTP access token ({0})', server);
}

export function projectTokenLabel(projectKey: string, server: string): string {
  return t('Project token for {0} ({1})', projectKey, server);
}

export function repositoryTokenLabel(projectKey: string, slug: string, server: string): string {
  return t('Repository token for {0}/{1} ({2})', projectKey, slug, server);
}

/** The account's name in the current language; for a person's account, the name sign-in kept. */
export function accountLabel({ credential, account }: StoredAccount): string {
  if (credential.kind === 'accessToken') return accessTokenLabel(credential.workspace);
  if (credential.kind !== 'dataCenterToken') return account.label;
  let server: string;
  try {
    server = serverLabel(credential.serverUrl);
  } catch {
    return account.label; // a record not written by sign-in: its own name rather than a failing tree
  }
  const { tokenScope, projectKey, repositorySlug } = credential;
  if (tokenScope === 'project' && projectKey) return projectTokenLabel(projectKey, server);
  if (tokenScope === 'repository' && projectKey && repositorySlug) return repositoryTokenLabel(projectKey, repositorySlug, server);
  if (tokenScope === 'personal' && credential.username === undefined) return personalTokenLabel(server);
  return account.label;
}
