/** The extension's settings, read in one place. Credentials are never settings. */
import * as vscode from 'vscode';
import { DEFAULT_PAGE_SIZE, RepositorySort, clampPageSize } from './bitbucket/client';
import { DEFAULT_API_URL } from './bitbucket/http';

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
  return {
    apiUrl: apiUrl.replace(/\/+$/, ''),
    pageSize: clampPageSize(config.get<number>('pageSize') ?? DEFAULT_PAGE_SIZE),
    sortRepositoriesBy: config.get<string>('sortRepositoriesBy') === 'name' ? 'name' : 'updated',
    cloneDirectory: config.get<string>('cloneDirectory')?.trim() || undefined,
    requestTimeoutMs: Math.min(300, Math.max(5, config.get<number>('requestTimeoutSeconds') ?? 30)) * 1000,
  };
}

export function affectsSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration('bitbucket');
}
