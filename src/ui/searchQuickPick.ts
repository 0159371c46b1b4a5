/**
 * A quick pick that searches on the server as the person types (one request per settled text, the stale
 * one cancelled), shows why when a search fails, and resolves with what the accepted item stands for.
 * The repository search and the branch picker are both this.
 */
import * as vscode from 'vscode';
import { SettledSearch } from './settledSearch';

export interface SearchQuickPickOptions<R, I extends vscode.QuickPickItem, V> {
  readonly title: string;
  /** The placeholder while nothing is wrong. */
  readonly hint: string;
  readonly matchOnDescription?: boolean;
  /** One search for the text typed ('' when the pick opens). */
  readonly search: (text: string, signal: AbortSignal) => Promise<R>;
  /** Shows a result in the pick; returns the placeholder to show instead of the hint (e.g. "nothing matches"), if any. */
  readonly show: (pick: vscode.QuickPick<I>, result: R, text: string) => string | undefined;
  /** What an accepted item stands for; undefined keeps the pick open. */
  readonly valueOf: (item: I) => V | undefined;
}

/** Resolves with the chosen value, or undefined when the person backs out. */
export function searchQuickPick<R, I extends vscode.QuickPickItem, V>(options: SearchQuickPickOptions<R, I, V>): Promise<V | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<I>();
    pick.title = options.title;
    pick.placeholder = options.hint;
    pick.matchOnDescription = options.matchOnDescription ?? false;
    pick.ignoreFocusOut = true;
    let settled = false;
    const search = new SettledSearch(
      options.search,
      (result, text) => {
        pick.placeholder = options.show(pick, result, text) ?? options.hint;
      },
      (error) => {
        pick.items = [];
        pick.placeholder = error instanceof Error ? error.message : String(error);
      },
      (busy) => (pick.busy = busy),
    );
    pick.onDidChangeValue((text) => search.type(text));
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0];
      const chosen = item && options.valueOf(item);
      if (chosen === undefined) return;
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
