/**
 * A quick pick that searches one workspace on the server as the user types: one request per settled
 * query (debounced), the stale request cancelled when the text changes. Used by the filter and by clone.
 */
import * as vscode from 'vscode';
import { BitbucketClient, nameContains } from '../bitbucket/client';
import { BitbucketError } from '../bitbucket/errors';
import { Repository } from '../bitbucket/schemas';
import { fromNow } from '../tree/relativeTime';

export const SEARCH_DEBOUNCE_MS = 300;

interface RepositoryItem extends vscode.QuickPickItem {
  readonly repository: Repository;
}

export interface SearchOptions {
  readonly title: string;
  readonly pageSize: number;
  /** Tried once before anything is typed, so the list is not empty at first. */
  readonly initialQuery?: string;
}

export function pickRepository(client: BitbucketClient, workspace: string, options: SearchOptions): Promise<Repository | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<RepositoryItem>();
    pick.title = options.title;
    pick.placeholder = `Type to search the repositories of ${workspace} by name`;
    pick.matchOnDescription = true;
    pick.ignoreFocusOut = true;
    let timer: NodeJS.Timeout | undefined;
    let controller: AbortController | undefined;
    let settled = false;

    const search = (text: string) => {
      controller?.abort();
      const current = new AbortController();
      controller = current;
      pick.busy = true;
      const query = text.trim() ? nameContains(text.trim()) : undefined;
      client
        .listRepositories(workspace, { query, pageSize: options.pageSize, signal: current.signal })
        .next()
        .then((result) => {
          if (current.signal.aborted) return;
          const values = result.value?.values ?? [];
          pick.items = values.map(toItem);
          pick.placeholder = values.length === 0 ? `No repository in ${workspace} matches "${text}"` : pick.placeholder;
        })
        .catch((error: unknown) => {
          if (current.signal.aborted) return;
          const message = error instanceof BitbucketError ? error.message : String(error);
          pick.items = [];
          pick.placeholder = message;
          void vscode.window.showErrorMessage(message);
        })
        .finally(() => {
          if (controller === current) pick.busy = false;
        });
    };

    pick.onDidChangeValue((text) => {
      clearTimeout(timer);
      controller?.abort(); // the answer to an older text must not arrive after a newer one
      timer = setTimeout(() => search(text), SEARCH_DEBOUNCE_MS);
    });
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0]?.repository;
      if (!chosen) return;
      settled = true;
      resolve(chosen);
      pick.hide();
    });
    pick.onDidHide(() => {
      clearTimeout(timer);
      controller?.abort();
      if (!settled) resolve(undefined);
      pick.dispose();
    });
    pick.show();
    search(options.initialQuery ?? '');
  });
}

function toItem(repository: Repository): RepositoryItem {
  return {
    label: `$(${repository.is_private ? 'lock' : 'repo'}) ${repository.name}`,
    description: [repository.project?.name, fromNow(repository.updated_on)].filter(Boolean).join(' · '),
    detail: repository.description || undefined,
    // The server has matched these already; the list must not filter them again by label.
    alwaysShow: true,
    repository,
  };
}
