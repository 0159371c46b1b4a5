/**
 * Opening a browsed repository as a workspace folder, and showing a file or folder in it once it is open.
 * Opening a folder in this window restarts the extension host, so what to show afterwards is kept in
 * global state for a minute and shown by the next activation that finds its folder open.
 */
import * as vscode from 'vscode';
import { RepositoryRef } from '../host/types';
import { PENDING_FOR_MS, PENDING_REVEAL_KEY } from './browseState';

export type OpenHow = 'window' | 'newWindow' | 'add' | 'file' | 'none';

/** Something to show once its repository's folder is open. */
interface PendingReveal {
  readonly uri: string;
  readonly kind: 'file' | 'directory';
  readonly lines?: { readonly start: number; readonly end: number };
  readonly until: number;
}

/** Where to open it; `file` is offered when a link names a file, for a look without a folder. */
export async function askHowToOpen(options: { title: string; placeHolder: string; offerFile?: boolean }): Promise<OpenHow | undefined> {
  const hasFolders = (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
  const choices: (vscode.QuickPickItem & { how: OpenHow })[] = [
    ...(options.offerFile
      ? [
          {
            iconPath: new vscode.ThemeIcon('file'),
            label: vscode.l10n.t('Open Only the File'),
            detail: vscode.l10n.t('In an editor, without a folder'),
            how: 'file' as const,
          },
        ]
      : []),
    { iconPath: new vscode.ThemeIcon('window'), label: vscode.l10n.t('Open in This Window'), how: 'window' },
    { iconPath: new vscode.ThemeIcon('empty-window'), label: vscode.l10n.t('Open in New Window'), how: 'newWindow' },
    ...(hasFolders
      ? [
          {
            iconPath: new vscode.ThemeIcon('root-folder'),
            label: vscode.l10n.t('Add to Workspace'),
            detail: vscode.l10n.t('Beside the folders open now'),
            how: 'add' as const,
          },
        ]
      : []),
  ];
  const chosen = await vscode.window.showQuickPick(choices, { title: options.title, placeHolder: options.placeHolder });
  return chosen?.how;
}

/** Opens a browsed repository's root as a folder, as chosen. */
export async function openBrowsedFolder(root: vscode.Uri, repository: RepositoryRef, how: OpenHow): Promise<void> {
  // The name the Explorer shows: whose repository, and that it is on Bitbucket.
  const name = `${repository.container}/${repository.slug} (Bitbucket)`;
  if (how === 'add') vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri: root, name });
  else if (how === 'window') await vscode.commands.executeCommand('vscode.openFolder', root, { forceReuseWindow: true });
  else if (how === 'newWindow') await vscode.commands.executeCommand('vscode.openFolder', root, { forceNewWindow: true });
}

/** Shows a browsed file (with its lines selected) or folder, now or, when its folder is opening, once it is open. */
export async function reveal(
  memento: vscode.Memento,
  target: { uri: vscode.Uri; kind: 'file' | 'directory'; lines?: { start: number; end: number } },
  how: OpenHow,
): Promise<void> {
  if (how === 'window' || how === 'newWindow') {
    const pending: PendingReveal = {
      uri: target.uri.toString(),
      kind: target.kind,
      lines: target.lines,
      until: Date.now() + PENDING_FOR_MS,
    };
    await memento.update(PENDING_REVEAL_KEY, pending);
    return;
  }
  await show(target);
}

/** At activation: shows what a link asked for, if its folder is open in this window. */
export async function revealPending(memento: vscode.Memento): Promise<void> {
  const pending = memento.get<PendingReveal>(PENDING_REVEAL_KEY);
  if (!pending || typeof pending.uri !== 'string') return;
  if (!(pending.until > Date.now())) {
    await memento.update(PENDING_REVEAL_KEY, undefined);
    return;
  }
  const uri = vscode.Uri.parse(pending.uri);
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder || folder.uri.scheme !== uri.scheme) return; // another window's, or not open yet
  await memento.update(PENDING_REVEAL_KEY, undefined);
  await show({ uri, kind: pending.kind === 'directory' ? 'directory' : 'file', lines: pending.lines });
}

async function show(target: { uri: vscode.Uri; kind: 'file' | 'directory'; lines?: { start: number; end: number } }): Promise<void> {
  if (target.kind === 'directory') {
    await vscode.commands.executeCommand('revealInExplorer', target.uri);
    return;
  }
  const lines = target.lines;
  const selection = lines ? new vscode.Range(lines.start - 1, 0, lines.end - 1, Number.MAX_SAFE_INTEGER) : undefined;
  await vscode.window.showTextDocument(target.uri, { selection, preview: false });
}
