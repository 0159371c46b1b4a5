/** The extension's settings, read in one place. Credentials are never settings. */
import * as vscode from 'vscode';
import { DEFAULT_API_URL, DEFAULT_PAGE_SIZE, clampPageSize } from './bitbucket/defaults';
import type { RepositorySort } from './host/types';
import { InvalidInputError } from './common/invalidInputError';

export interface Settings {
  readonly apiUrl: string;
  readonly pageSize: number;
  readonly sortRepositoriesBy: RepositorySort;
  readonly cloneDirectory: string | undefined;
  readonly requestTimeoutMs: number;
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration('bitbucket');
  const apiUrl = config.get<string>('apiUrl')?.trim() || DEFAULT_API_URL;
  if (!/^https?:\/\/[^/\s]+/i.test(apiUrl) || !URL.canParse(apiUrl)) {
    throw new InvalidInputError(
      vscode.l10n.t('The bitbucket.apiUrl setting is not a web address: "{0}". Set it to {1} or remove it.', apiUrl, DEFAULT_API_URL),
    );
  }
  return {
    apiUrl: apiUrl.replace(/\/+$/, ''),
    pageSize: clampPageSize(config.get<number>('pageSize') ?? DEFAULT_PAGE_SIZE),
    sortRepositoriesBy: config.get<string>('sortRepositoriesBy') === 'name' ? 'name' : 'updated',
    cloneDirectory: config.get<string>('cloneDirectory')?.trim() || undefined,
    requestTimeoutMs: Math.min(300, Math.max(5, config.get<number>('requestTimeoutSeconds') ?? 30)) * 1000,
  };
}

/** Settings that change what the client asks for, so what the tree shows must be reloaded. */
const CLIENT_SETTINGS = ['apiUrl', 'pageSize', 'sortRepositoriesBy', 'requestTimeoutSeconds'];

export function affectsClient(event: vscode.ConfigurationChangeEvent): boolean {
  return CLIENT_SETTINGS.some((name) => event.affectsConfiguration(`bitbucket.${name}`));
}
