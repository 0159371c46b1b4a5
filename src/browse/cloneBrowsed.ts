/**
 * Clone This Repository, from a repository opened without cloning: clones the branch (or tag) it shows and
 * offers to put the clone where the browsed folder was, with the open editors moved to the clone's copies
 * of the same files. Replacing the first folder restarts the extension host, so what to reopen is kept in
 * global state for a minute and done by the next activation that finds the clone open.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import { Browsed } from './browseFileSystem';
import { PENDING_FOR_MS, PENDING_MOVE_KEY } from './browseState';

/** Editors to move from a browsed root to a clone, by their path in the repository. */
interface PendingMove {
  readonly root: string;
  readonly folder: string;
  readonly paths: readonly string[];
  readonly until: number;
}

export type AfterBrowsedClone = 'replace' | 'newWindow' | 'none';

/** `automated` (the tests only): what to do after the clone, and where to clone, instead of asking. */
export async function cloneBrowsed(
  browsed: Browsed,
  memento: vscode.Memento,
  automated?: { after?: AfterBrowsedClone; parentDirectory?: string },
): Promise<string | undefined> {
  const after = automated?.after;
  const { repository, account, mount, root } = browsed;
  // The ref shown, or the main branch when a commit is: a clone checks out a branch or tag, not a bare commit.
  const branch = mount.ref ?? (await account.host().repository(repository)).mainBranch;
  const folder = await vscode.commands.executeCommand<string | undefined>(Commands.clone, {
    repository,
    accountId: account.id,
    branch,
    afterClone: 'none',
    ...(typeof automated?.parentDirectory === 'string' ? { parentDirectory: automated.parentDirectory } : {}),
  });
  if (!folder) return undefined;
  const folders = vscode.workspace.workspaceFolders ?? [];
  const index = folders.findIndex((candidate) => candidate.uri.toString() === root.toString());
  const name = `${repository.container}/${repository.slug}`;
  const replace = vscode.l10n.t('Replace Browsed Folder');
  const newWindow = vscode.l10n.t('Open in New Window');
  const choice =
    after ??
    (await vscode.window
      .showInformationMessage(clonedMessage(name, branch, folder, index >= 0), ...(index >= 0 ? [replace] : []), newWindow)
      .then((answer) => (answer === replace ? 'replace' : answer === newWindow ? 'newWindow' : 'none')));
  if (choice === 'newWindow') {
    await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(folder), { forceNewWindow: true });
  } else if (choice === 'replace' && index >= 0) {
    const paths = openPathsUnder(root);
    const move: PendingMove = { root: root.toString(), folder, paths, until: Date.now() + PENDING_FOR_MS };
    // The first folder's replacement restarts this extension host: the next activation moves the editors.
    if (index === 0) await memento.update(PENDING_MOVE_KEY, move);
    vscode.workspace.updateWorkspaceFolders(index, 1, { uri: vscode.Uri.file(folder) });
    if (index > 0) await moveEditors(move);
  }
  return folder;
}

/** What the notification after the clone says: with the branch when there is one, and the offer when the browsed folder is open. */
function clonedMessage(name: string, branch: string | undefined, folder: string, offerReplace: boolean): string {
  if (offerReplace) {
    return branch
      ? vscode.l10n.t(
          'Cloned {0} ({1}) into {2}. Put the clone where the browsed folder is? Open editors move to the clone’s files.',
          name,
          branch,
          folder,
        )
      : vscode.l10n.t(
          'Cloned {0} into {1}. Put the clone where the browsed folder is? Open editors move to the clone’s files.',
          name,
          folder,
        );
  }
  return branch ? vscode.l10n.t('Cloned {0} ({1}) into {2}.', name, branch, folder) : vscode.l10n.t('Cloned {0} into {1}.', name, folder);
}

/** At activation: moves the editors of a replaced browsed folder to the clone now open in its place. */
export async function moveEditorsPending(memento: vscode.Memento): Promise<void> {
  const pending = memento.get<PendingMove>(PENDING_MOVE_KEY);
  if (!pending || typeof pending.folder !== 'string' || !Array.isArray(pending.paths)) return;
  if (!(pending.until > Date.now())) {
    await memento.update(PENDING_MOVE_KEY, undefined);
    return;
  }
  const clone = vscode.Uri.file(pending.folder).toString();
  if (!vscode.workspace.workspaceFolders?.some((folder) => folder.uri.toString() === clone)) return; // another window's
  await memento.update(PENDING_MOVE_KEY, undefined);
  await moveEditors(pending);
}

/** The repository paths of the editors open on files under a browsed root, the active one last. */
function openPathsUnder(root: vscode.Uri): string[] {
  const inside = (uri: vscode.Uri) =>
    uri.scheme === root.scheme && uri.authority === root.authority && uri.path.startsWith(`${root.path}/`);
  const active = vscode.window.activeTextEditor?.document.uri;
  const paths = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .flatMap((tab) => (tab.input instanceof vscode.TabInputText && inside(tab.input.uri) ? [tab.input.uri.path] : []));
  const activePath = active && inside(active) ? active.path : undefined;
  const ordered = [...new Set(paths)].sort((a, b) => Number(a === activePath) - Number(b === activePath));
  return ordered.map((uriPath) => uriPath.slice(root.path.length + 1));
}

async function moveEditors(move: PendingMove): Promise<void> {
  for (const relative of move.paths) {
    const parts = relative.split('/').filter((part) => part && part !== '.' && part !== '..');
    if (parts.length === 0) continue;
    const local = vscode.Uri.file(path.join(move.folder, ...parts));
    try {
      await vscode.window.showTextDocument(local, { preview: false, preserveFocus: false });
    } catch {
      // Not in the clone (another branch checked out, or removed since): the browsed editor stays.
      continue;
    }
    const browsed = vscode.Uri.joinPath(vscode.Uri.parse(move.root), ...parts).toString();
    const tabs = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === browsed);
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
  }
}
