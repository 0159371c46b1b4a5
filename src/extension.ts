/**
 * Entry point: builds the few services, registers them, and returns. Nothing here waits on the network,
 * so activation stays fast; the tree loads when it is first shown.
 */
import * as vscode from 'vscode';
import { initializeAuth } from './auth/initializeAuth';
import { AuthState } from './auth/session';
import { AccountSummary } from './auth/verifyCredential';
import { ReportedError, createErrorFunnel } from './common/errorFunnel';
import { registerCommands } from './commands/registerCommands';
import { initializeGit } from './git/initializeGit';
import { TreeNode } from './tree/nodes';
import { REPOSITORIES_VIEW_ID, RepositoriesTreeProvider } from './tree/repositoriesProvider';
import { TreeCache } from './tree/treeCache';

/** What `activate` returns: for other extensions and for the integration tests. */
export interface BitbucketRepositoriesApi {
  readonly tree: {
    getChildren(node?: TreeNode): Promise<TreeNode[]>;
    getTreeItem(node: TreeNode): vscode.TreeItem;
  };
  authState(): AuthState;
  /** Who is signed in, without the secret. */
  account(): AccountSummary | undefined;
  /** Resolves once the stored credential has been read. */
  readonly ready: Promise<void>;
  /** Fires when a command shows an error to the user. */
  readonly onDidReportError: vscode.Event<ReportedError>;
  /**
   * Only in the extension's Test mode: the extension's own SecretStorage, so the integration tests can
   * change the stored record the way another window does, past this window's credential store.
   */
  readonly secretsForTests?: vscode.SecretStorage;
}

export function activate(context: vscode.ExtensionContext): BitbucketRepositoriesApi {
  const started = Date.now();
  const log = vscode.window.createOutputChannel('Bitbucket', { log: true });
  const auth = initializeAuth(context, log);
  const { store, session } = auth;
  const cache = new TreeCache(context.globalState);
  const tree = new RepositoriesTreeProvider(session, cache, log);
  const treeView = vscode.window.createTreeView(REPOSITORIES_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const funnel = createErrorFunnel(log);
  // Only people who open the Bitbucket view get the Accounts menu's sign-in entry (and its badge).
  const offerSignIn = () => void session.ready.then(() => treeView.visible && auth.offerSignInFromAccountsMenu());
  offerSignIn();
  context.subscriptions.push(treeView.onDidChangeVisibility(offerSignIn));
  const git = initializeGit(context, session, tree.model, funnel, log);

  context.subscriptions.push(
    log,
    funnel,
    auth,
    tree,
    treeView,
    git,
    registerCommands({
      session,
      store,
      tree,
      treeView,
      cache,
      log,
      funnel,
      clone: git.clone,
      afterCreate: git.afterCreate,
      acceptAutomation: context.extensionMode === vscode.ExtensionMode.Test,
    }),
  );
  log.info(`Activated in ${Date.now() - started} ms.`);
  return {
    tree,
    authState: () => session.state,
    account: () => session.stored?.account,
    ready: session.ready,
    onDidReportError: funnel.onDidReport,
    secretsForTests: context.extensionMode === vscode.ExtensionMode.Test ? context.secrets : undefined,
  };
}

export function deactivate(): void {}
