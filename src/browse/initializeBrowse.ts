/**
 * Registers what browsing a repository without cloning needs, and loads the rest on first use. The file
 * system, the status bar item and the browse commands live in their own bundle (`./browsing`, dist/browse.js):
 * activation registers the `bitbucket:` scheme and the command ids only, and a window with nothing browsed never
 * reads that bundle.
 */
import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import { ErrorFunnel } from '../common/errorFunnel';
import { Logger } from '../common/logger';
import { BitbucketHost, RepositoryRef } from '../host/types';
import type { BrowseAccount } from './browseFileSystem';
import { BROWSE_SCHEME } from './browseLocation';
import { PENDING_MOVE_KEY, PENDING_REVEAL_KEY } from './browseState';
import type { BrowseCommand, Browsing } from './browsing';
import type { OpenHow } from './openBrowsed';

export interface BrowseDeps {
  readonly memento: vscode.Memento;
  /** The extension's global storage folder; the disk cache lives in a folder of its own inside. */
  readonly storagePath: string;
  readonly accounts: () => readonly BrowseAccount[];
  readonly ready: Promise<void>;
  readonly funnel: ErrorFunnel;
  readonly logger: Logger;
  /** Whether commands take automation's arguments (the extension's test mode only). */
  readonly acceptAutomation: boolean;
}

export interface Browse extends vscode.Disposable {
  /** Drops the memory cache, as a restart would; for the integration tests. */
  forgetMemory(): void;
  /**
   * Forgets every file and listing fetched, in memory and on disk: after a sign-out, no repository content
   * that account could read stays behind (cache keys name accounts only by a hash).
   */
  clearCaches(): Promise<void>;
  /** A browsed file's repository, pinned commit, path in the repository and host. */
  locate(uri: vscode.Uri): Promise<{ repository: RepositoryRef; commit: string; path: string; host: BitbucketHost }>;
  /**
   * Opens a repository's root, at its main branch or where it was left, as `how` says (asked when undefined);
   * returns the root, or undefined when the person chose nothing.
   */
  openRepository(accountId: string, repository: RepositoryRef, how: OpenHow | undefined): Promise<vscode.Uri | undefined>;
}

const BROWSE_COMMANDS: readonly BrowseCommand[] = [
  Commands.switchBranch,
  Commands.refreshBrowsed,
  Commands.goToFile,
  Commands.openUrl,
  Commands.cloneBrowsed,
];

export function initializeBrowse(deps: BrowseDeps): Browse {
  let browsing: Browsing | undefined;
  const changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  const load = (): Browsing => {
    if (!browsing) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { startBrowsing } = require('./browsing') as typeof import('./browsing');
      browsing = startBrowsing(deps);
      browsing.fileSystem.onDidChangeFile((events) => changed.fire(events));
    }
    return browsing;
  };
  const isBrowsed = (uri: vscode.Uri | undefined) => uri?.scheme === BROWSE_SCHEME;
  const anythingBrowsed = () =>
    isBrowsed(vscode.window.activeTextEditor?.document.uri) ||
    (vscode.workspace.workspaceFolders ?? []).some((folder) => isBrowsed(folder.uri));
  /** Nothing to draw until something is browsed; once loaded, browsing keeps its status and context key itself. */
  const update = () => {
    if (browsing || anythingBrowsed()) void load().update();
  };

  // Every call of the file system loads browsing; `watch` has nothing to do (a pinned commit never changes,
  // and moving to another one fires its own events).
  const fileSystem: vscode.FileSystemProvider = {
    onDidChangeFile: changed.event,
    watch: () => new vscode.Disposable(() => undefined),
    stat: (uri) => load().fileSystem.stat(uri),
    readDirectory: (uri) => load().fileSystem.readDirectory(uri),
    readFile: (uri) => load().fileSystem.readFile(uri),
    createDirectory: (uri) => load().fileSystem.createDirectory(uri),
    writeFile: (uri, content, options) => load().fileSystem.writeFile(uri, content, options),
    delete: (uri, options) => load().fileSystem.delete(uri, options),
    rename: (oldUri, newUri, options) => load().fileSystem.rename(oldUri, newUri, options),
  };

  update();
  if (deps.memento.get(PENDING_MOVE_KEY) !== undefined || deps.memento.get(PENDING_REVEAL_KEY) !== undefined) {
    load().resumePending();
  }
  const disposable = vscode.Disposable.from(
    changed,
    { dispose: () => browsing?.dispose() },
    vscode.workspace.registerFileSystemProvider(BROWSE_SCHEME, fileSystem, { isCaseSensitive: true, isReadonly: true }),
    ...BROWSE_COMMANDS.map((id) =>
      vscode.commands.registerCommand(id, (...args: unknown[]) => (load().commands[id] as (...given: unknown[]) => unknown)(...args)),
    ),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      update();
      if (isBrowsed(editor?.document.uri)) load().activeEditorChanged(editor);
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(update),
  );
  return {
    dispose: () => disposable.dispose(),
    forgetMemory: () => browsing?.forgetMemory(),
    clearCaches: () => load().clearCaches(),
    locate: (uri) => load().locate(uri),
    openRepository: (accountId, repository, how) => load().openRepository(accountId, repository, how),
  };
}
