/**
 * A quick pick that searches one workspace on the server as the user types: one request per settled
 * query, the stale request cancelled when the text changes. Used by the filter and by clone.
 */
import * as vscode from 'vscode';
import { BitbucketHost, HostedRepository } from '../host/types';
import { fromNow } from '../tree/relativeTime';
import { SettledSearch } from '../ui/settledSearch';

interface RepositoryItem extends vscode.QuickPickItem {
  readonly repository: HostedRepository;
}

export interface SearchOptions {
  readonly title: string;
  readonly pageSize: number;
}

export function pickRepository(host: BitbucketHost, workspace: string, options: SearchOptions): Promise<HostedRepository | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<RepositoryItem>();
    const hint = `Type to search the repositories of ${workspace} by name`;
    pick.title = options.title;
    pick.placeholder = hint;
    pick.matchOnDescription = true;
    pick.ignoreFocusOut = true;
    let settled = false;
    const search = new SettledSearch(
      async (text, signal) => {
        const page = await host.repositories(workspace, { nameContains: text, pageSize: options.pageSize, signal });
        return page.values;
      },
      (repositories, text) => {
        pick.items = repositories.map(toItem);
        pick.placeholder = repositories.length === 0 && text ? `No repository in ${workspace} matches "${text}"` : hint;
      },
      (error) => {
        pick.items = [];
        pick.placeholder = error instanceof Error ? error.message : String(error);
      },
      (busy) => (pick.busy = busy),
    );
    pick.onDidChangeValue((text) => search.type(text));
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0]?.repository;
      if (!chosen) return;
      settled = true;
      resolve(chosen);
      pick.hide();
    });
    pick.onDidHide(() => {
      search.cancel();
      if (!settled) resolve(undefined);
      pick.dispose();
    });
    pick.show();
    search.now('');
  });
}

function toItem(repository: HostedRepository): RepositoryItem {
  return {
    label: `$(${repository.isPrivate ? 'lock' : 'repo'}) ${repository.name}`,
    description: [repository.project?.name, fromNow(repository.updatedOn)].filter(Boolean).join(' · '),
    detail: repository.description || undefined,
    // The server has matched these already; the list must not filter them out again.
    alwaysShow: true,
    repository,
  };
}
