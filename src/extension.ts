/**
 * Entry point: builds the few services, registers them, and returns. Nothing here waits on the network,
 * so activation stays fast; the tree loads when it is first shown.
 */
import * as vscode from 'vscode';
import { initializeAuth } from './auth/initializeAuth';
import { AccountState, AuthState } from './auth/accounts';
import type { AccountSummary } from './host/types';
import { ReportedError, createErrorFunnel } from './common/errorFunnel';
import { registerCommands } from './commands/registerCommands';
import { initializeBrowse } from './browse/initializeBrowse';
import { initializeGit } from './git/initializeGit';
import { getGitApi } from './git/gitIntegration';
import { TreeNode } from './tree/nodes';
import { REPOSITORIES_VIEW_ID, RepositoriesTreeProvider } from './tree/repositoriesProvider';
import { initializeWalkthrough } from './walkthrough/walkthrough';
import { ManifestCommand, useL10nBundle, usePaletteTitles } from './common/l10n';

/** What `activate` returns: for other extensions and for the integration tests. */
export interface BitbucketRepositoriesApi {
  readonly tree: {
    getChildren(node?: TreeNode): Promise<TreeNode[]>;
    getTreeItem(node: TreeNode): vscode.TreeItem;
  };
  /** All accounts together: none, at least one that works, or every one refused. */
  authState(): AuthState;
  /** The first account signed in, without the secret. */
  account(): AccountSummary | undefined;
  /** Every account, in the order they were added, with its state; no secret. */
  accounts(): (AccountSummary & { readonly state: AccountState })[];
  /** Resolves once the stored credential has been read. */
  readonly ready: Promise<void>;
  /** Fires when a command shows an error to the user. */
  readonly onDidReportError: vscode.Event<ReportedError>;
  /**
   * Only in the extension's Test mode: the extension's own SecretStorage, so the integration tests can
   * change the stored record the way another window does, past this window's credential store.
   */
  readonly secretsForTests?: vscode.SecretStorage;
  /** Only in Test mode: what a restart does to repositories opened without cloning (their memory cache goes). */
  readonly browseForTests?: { forgetMemory(): void };
}

export function activate(context: vscode.ExtensionContext): BitbucketRepositoriesApi {
  // First: the modules without `vscode` translate with `t`, which reads the table VS Code loaded for vscode.l10n.t.
  useL10nBundle(vscode.l10n.bundle);
  usePaletteTitles((context.extension.packageJSON as { contributes?: { commands?: ManifestCommand[] } }).contributes?.commands);
  const started = Date.now();
  const log = vscode.window.createOutputChannel('Bitbucket', { log: true });
  const auth = initializeAuth(context, log);
  const { store, accounts } = auth;
  const tree = new RepositoriesTreeProvider(accounts, context.globalState, log);
  const treeView = vscode.window.createTreeView(REPOSITORIES_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const funnel = createErrorFunnel(log);
  // Only people who open the Bitbucket view get the Accounts menu's sign-in entry (and its badge).
  const offerSignIn = () => void accounts.ready.then(() => treeView.visible && auth.offerSignInFromAccountsMenu());
  offerSignIn();
  context.subscriptions.push(treeView.onDidChangeVisibility(offerSignIn));
  const git = initializeGit(context, accounts, tree.models, funnel, log);
  const browse = initializeBrowse({
    accounts: () => accounts.all,
    ready: accounts.ready,
    memento: context.globalState,
    storagePath: context.globalStorageUri.fsPath,
    funnel,
    logger: log,
    acceptAutomation: context.extensionMode === vscode.ExtensionMode.Test,
  });

  context.subscriptions.push(
    log,
    funnel,
    auth,
    tree,
    treeView,
    git,
    browse,
    registerCommands({
      accounts,
      store,
      tree,
      treeView,
      log,
      funnel,
      clone: git.clone,
      afterCreate: git.afterCreate,
      gitAccounts: git.gitAccounts,
      browse,
      fileLinks: {
        hosts: git.hosts,
        git: getGitApi,
        browsed: (uri) => browse.locate(uri),
        refFromRemoteUrl: (url) => accounts.usable[0]?.host().refFromRemoteUrl(url),
        hostFor: async (repository) => ((await tree.models.accountsReaching(repository.container))[0] ?? accounts.usable[0])?.host(),
      },
      acceptAutomation: context.extensionMode === vscode.ExtensionMode.Test,
    }),
  );
  context.subscriptions.push(
    initializeWalkthrough({
      context,
      funnel,
      log,
      hasAccounts: () => accounts.ready.then(() => accounts.all.length > 0),
    }),
  );
  log.info(`Activated in ${Date.now() - started} ms.`);
  return {
    tree,
    authState: () => accounts.state,
    account: () => accounts.all[0]?.summary,
    accounts: () => accounts.all.map((account) => ({ ...account.summary, state: account.state })),
    ready: accounts.ready,
    onDidReportError: funnel.onDidReport,
    secretsForTests: context.extensionMode === vscode.ExtensionMode.Test ? context.secrets : undefined,
    browseForTests: context.extensionMode === vscode.ExtensionMode.Test ? { forgetMemory: () => browse.forgetMemory() } : undefined,
  };
}

export function deactivate(): void {}
