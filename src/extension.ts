/**
 * Entry point: builds the few services, registers them, and returns. Nothing here waits on the network,
 * so activation stays fast; the tree loads when it is first shown.
 */
import * as vscode from 'vscode';
import { initializeAuth } from './auth/initializeAuth';
import { AuthState } from './auth/session';
import { createErrorFunnel } from './commands/errorFunnel';
import { registerCommands } from './commands/registerCommands';
import { initializeGit } from './git/initializeGit';
import { TreeNode } from './tree/nodes';
import { REPOSITORIES_VIEW_ID, RepositoriesTreeProvider } from './tree/repositoriesProvider';
import { TreeCache } from './tree/treeCache';

/** What `activate` returns: for other extensions and for the integration tests. */
export interface BitbucketRepositoriesApi {
  readonly tree: vscode.TreeDataProvider<TreeNode>;
  authState(): AuthState;
  /** Resolves once the stored credential has been read. */
  readonly ready: Promise<void>;
}

export function activate(context: vscode.ExtensionContext): BitbucketRepositoriesApi {
  const started = Date.now();
  const log = vscode.window.createOutputChannel('Bitbucket', { log: true });
  const { store, session, dispose: disposeAuth } = initializeAuth(context, log);
  const cache = new TreeCache(context.globalState);
  const tree = new RepositoriesTreeProvider(session, cache, log);
  const treeView = vscode.window.createTreeView(REPOSITORIES_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const funnel = createErrorFunnel(log, (error) => session.noteError(error));
  const git = initializeGit(context, session, tree, funnel, log);

  context.subscriptions.push(
    log,
    { dispose: disposeAuth },
    tree,
    treeView,
    git,
    registerCommands({ session, store, tree, treeView, cache, log, funnel, clone: git.clone, afterCreate: git.afterCreate }),
  );
  log.info(`Activated in ${Date.now() - started} ms.`);
  return { tree, authState: () => session.state, ready: session.ready };
}

export function deactivate(): void {}
