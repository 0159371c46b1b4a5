/**
 * Repositories opened without cloning: the file system, and the status bar item that shows (and switches)
 * the branch or tag a browsed repository shows. A branch whose head moves does not change under an open
 * editor: "Refresh" moves to its new head.
 */
import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import { ErrorFunnel } from '../common/errorFunnel';
import { Logger } from '../common/logger';
import { pickRef } from '../features/refPicker';
import { BrowseAccount, BrowseFileSystem, Browsed } from './browseFileSystem';
import { BROWSE_SCHEME } from './browseLocation';

/** Context key: a repository opened without cloning is among the workspace folders. */
export const BROWSING_CONTEXT_KEY = 'bitbucket.browsing';

export interface BrowseDeps {
  readonly memento: vscode.Memento;
  readonly accounts: () => readonly BrowseAccount[];
  readonly ready: Promise<void>;
  readonly funnel: ErrorFunnel;
  readonly logger: Logger;
}

export function initializeBrowse(deps: BrowseDeps): vscode.Disposable {
  const fileSystem = new BrowseFileSystem({ accounts: deps.accounts, ready: deps.ready, memento: deps.memento, logger: deps.logger });
  const status = vscode.window.createStatusBarItem('bitbucket.browsedRef', vscode.StatusBarAlignment.Left, 10);
  status.name = 'Bitbucket: Browsed Branch';
  status.command = Commands.switchBranch;

  /** The browsed repository the person is looking at: the active editor's, else the first browsed folder. */
  const current = (): vscode.Uri | undefined => {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active?.scheme === BROWSE_SCHEME) return active;
    return vscode.workspace.workspaceFolders?.find((folder) => folder.uri.scheme === BROWSE_SCHEME)?.uri;
  };
  let updating = 0;
  const update = async () => {
    const browsing = vscode.workspace.workspaceFolders?.some((folder) => folder.uri.scheme === BROWSE_SCHEME) ?? false;
    void vscode.commands.executeCommand('setContext', BROWSING_CONTEXT_KEY, browsing);
    const uri = current();
    if (!uri) {
      status.hide();
      return;
    }
    const mine = ++updating;
    try {
      const browsed = await fileSystem.browsed(uri);
      if (mine !== updating) return;
      status.text = statusText(browsed);
      status.tooltip = `${browsed.repository.container}/${browsed.repository.slug} on Bitbucket, read-only at ${browsed.mount.commit.slice(0, 12)}. Click to switch branch or tag.`;
      status.accessibilityInformation = {
        label: `Bitbucket ${browsed.mount.ref ?? 'commit'} ${browsed.mount.ref ?? browsed.mount.commit.slice(0, 7)}, switch branch or tag`,
      };
      status.show();
    } catch (error) {
      deps.logger.debug(`No branch to show for ${uri.toString()}: ${(error as Error).message}`);
      status.hide();
    }
  };

  const target = async (uri?: vscode.Uri): Promise<Browsed> => {
    const chosen = uri?.scheme === BROWSE_SCHEME ? uri : current();
    if (!chosen) throw new vscode.CancellationError();
    return fileSystem.browsed(chosen);
  };

  const switchBranch = deps.funnel.wrap(
    Commands.switchBranch,
    async (uri?: vscode.Uri, automated?: { ref: string; kind?: 'branch' | 'tag' }) => {
      const browsed = await target(uri);
      const host = browsed.account.host();
      let chosen: { name: string; kind: 'branch' | 'tag'; commit: string } | undefined;
      if (automated && typeof automated.ref === 'string') {
        const kind = automated.kind ?? 'branch';
        chosen = (await host.refs(browsed.repository, kind, { nameContains: automated.ref })).find((ref) => ref.name === automated.ref);
        if (!chosen) throw new Error(`${browsed.repository.container}/${browsed.repository.slug} has no ${kind} "${automated.ref}".`);
      } else {
        const repository = await host.repository(browsed.repository);
        chosen = await pickRef(host, browsed.repository, {
          title: `Browse ${browsed.repository.container}/${browsed.repository.slug} at…`,
          mainBranch: repository.mainBranch,
          withTags: true,
          current: browsed.mount.ref,
        });
      }
      if (!chosen || !chosen.name) return undefined;
      await fileSystem.moveTo(browsed.root, { commit: chosen.commit, ref: chosen.name, refKind: chosen.kind });
      deps.logger.info(
        `Browsing ${browsed.repository.container}/${browsed.repository.slug} at ${chosen.kind} ${chosen.name} (${chosen.commit.slice(0, 12)}).`,
      );
      return chosen.commit;
    },
  );

  const refresh = deps.funnel.wrap(Commands.refreshBrowsed, async (uri?: vscode.Uri) => {
    const browsed = await target(uri);
    const host = browsed.account.host();
    const { ref, refKind } = browsed.mount;
    const head =
      ref && refKind
        ? (await host.refs(browsed.repository, refKind, { nameContains: ref })).find((candidate) => candidate.name === ref)?.commit
        : await host.mainCommit(browsed.repository);
    if (!head) {
      throw new Error(`${browsed.repository.container}/${browsed.repository.slug} has no ${refKind ?? 'branch'} "${ref}" any more.`);
    }
    if (head === browsed.mount.commit) {
      void vscode.window.showInformationMessage(
        `${browsed.repository.container}/${browsed.repository.slug} is up to date at ${ref ?? 'the main branch'}.`,
      );
      return head;
    }
    await fileSystem.moveTo(browsed.root, { ...browsed.mount, commit: head });
    void vscode.window.showInformationMessage(
      `${browsed.repository.container}/${browsed.repository.slug} moved to ${ref ?? 'the main branch'}'s latest commit, ${head.slice(0, 7)}.`,
    );
    return head;
  });

  void update();
  return vscode.Disposable.from(
    fileSystem,
    status,
    vscode.workspace.registerFileSystemProvider(BROWSE_SCHEME, fileSystem, { isCaseSensitive: true, isReadonly: true }),
    vscode.commands.registerCommand(Commands.switchBranch, switchBranch),
    vscode.commands.registerCommand(Commands.refreshBrowsed, refresh),
    fileSystem.onDidChangeMount(() => void update()),
    vscode.window.onDidChangeActiveTextEditor(() => void update()),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void update()),
  );
}

function statusText(browsed: Browsed): string {
  const { ref, refKind, commit } = browsed.mount;
  if (!ref) return `$(git-commit) ${commit.slice(0, 7)}`;
  return `$(${refKind === 'tag' ? 'tag' : 'git-branch'}) ${ref}`;
}
