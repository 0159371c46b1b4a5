/** Checks on what the user types while signing in, as they type. No `vscode` import. */
import { Credential, tokenShape } from '../bitbucket/credentials';
import { t } from '../common/l10n';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const WORKSPACE_PATTERN = /^[a-z0-9][a-z0-9_.-]*$/i;

export function validateEmail(value: string): string | undefined {
  if (!value.trim()) return t('Enter the email address of your Atlassian account.');
  return EMAIL_PATTERN.test(value.trim()) ? undefined : t('That is not an email address. Use your Atlassian account email.');
}

export function validateToken(value: string, expected: Credential['kind']): string | undefined {
  const token = value.trim();
  if (!token) return t('Paste the token; it cannot be empty.');
  if (/\s/.test(token)) return t('A token has no spaces. Paste it again.');
  const shape = tokenShape(token);
  if (expected === 'apiToken' && shape === 'accessToken') {
    return t('This looks like an access token. Go back and choose "Access token".');
  }
  if (expected === 'accessToken' && shape === 'apiToken') {
    return t('This looks like an Atlassian API token. Go back and choose "API token".');
  }
  return undefined;
}

export function validateWorkspace(value: string): string | undefined {
  if (!value.trim()) return t('Enter the workspace slug, the part after bitbucket.org/ in its address.');
  return WORKSPACE_PATTERN.test(value.trim()) ? undefined : t('A workspace slug has only letters, digits, "-", "_" and ".".');
}
