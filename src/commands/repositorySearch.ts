/**
 * A quick pick that searches one workspace on the server as the user types: one request per settled
 * query, the stale request cancelled when the text changes. Used by the filter and by clone.
 */
import * as vscode from 'vscode';
import { BitbucketHost, HostedRepository } from '../host/types';
import { fromNow } from '../tree/relativeTime';
import { searchQuickPick } from '../ui/searchQuickPick';

interface RepositoryItem extends vscode.QuickPickItem {
  readonly repository: HostedRepository;
}

export interface SearchOptions {
  readonly title: string;
  readonly pageSize: number;
}

export function pickRepository(host: BitbucketHost, workspace: string, options: SearchOptions): Promise<HostedRepository | undefined> {
  return searchQuickPick<readonly HostedRepository[], RepositoryItem, HostedRepository>({
    title: options.title,
    hint: vscode.l10n.t('Type to search the repositories of {0} by name', workspace),
    matchOnDescription: true,
    search: async (text, signal) => (await host.repositories(workspace, { nameContains: text, pageSize: options.pageSize, signal })).values,
    show: (pick, repositories, text) => {
      pick.items = repositories.map(toItem);
      return repositories.length === 0 && text ? vscode.l10n.t('No repository in {0} matches "{1}"', workspace, text) : undefined;
    },
    valueOf: (item) => item.repository,
  });
}

function toItem(repository: HostedRepository): RepositoryItem {
  return {
    iconPath: new vscode.ThemeIcon(repository.isPrivate ? 'lock' : 'repo'),
    label: repository.name,
    description: [repository.project?.name, fromNow(repository.updatedOn)].filter(Boolean).join(' · '),
    detail: repository.description || undefined,
    // The server has matched these already; the list must not filter them out again.
    alwaysShow: true,
    repository,
  };
}
