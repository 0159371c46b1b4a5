/**
 * Entry point: builds the few services, registers them, and returns. Nothing here waits on the network,
 * so activation stays fast; the tree loads when it is first shown.
 */
import * as vscode from 'vscode';
import { BitbucketAuthenticationProvider, AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL } from './auth/authenticationProvider';
import { CredentialStore } from './auth/credentialStore';
import { AuthState, Session } from './auth/session';
import { signInInteractively } from './auth/signIn';
import { Commands } from './commands/commandIds';
import { createErrorFunnel } from './commands/errorFunnel';
import { registerCommands } from './commands/registerCommands';
import { REPOSITORIES_VIEW_ID, RepositoriesTreeProvider } from './tree/repositoriesProvider';
import { TreeNode } from './tree/nodes';
import { TreeCache } from './tree/treeCache';
import { askpassPrograms } from './git/askpassPrograms';
import { GitHosts } from './git/gitHosts';
import { registerWithGit } from './git/gitIntegration';

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
  const version = (context.extension.packageJSON as { version?: string }).version ?? 'dev';
  const store = new CredentialStore(context.secrets);
  const session = new Session(store, log, `bitbucket-repositories-vscode/${version}`);
  const cache = new TreeCache(context.globalState);
  const tree = new RepositoriesTreeProvider(session, cache, log);
  const treeView = vscode.window.createTreeView(REPOSITORIES_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const funnel = createErrorFunnel(log, (error) => session.noteError(error));
  const hosts = new GitHosts(() => session.settings.apiUrl);
  const clone = {
    session,
    hosts,
    logger: log,
    askpass: () => askpassPrograms(context.extensionPath, context.globalStorageUri.fsPath),
  };
  const authProvider = new BitbucketAuthenticationProvider(
    store,
    () => signInInteractively(store, log),
    async () => {
      await vscode.commands.executeCommand(Commands.signOut);
    },
  );

  context.subscriptions.push(
    log,
    store,
    session,
    tree,
    treeView,
    authProvider,
    vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, authProvider),
    registerCommands({ session, store, tree, treeView, cache, log, funnel, clone }),
  );
  // The git extension may activate after us; waiting for it must not hold up activation.
  void registerWithGit(session, tree, hosts, log).then(
    (registration) => context.subscriptions.push(registration),
    (error: unknown) => log.warn(`Could not register with the built-in git extension: ${(error as Error).message}`),
  );

  const ready = session.ready.then(() => {
    log.info(`Activated in ${Date.now() - started} ms; ${session.state === 'signedOut' ? 'signed out' : `signed in as ${session.stored?.account.label}`}.`);
    if (session.state === 'signedOut') {
      // Puts "Sign in with Bitbucket" into the Accounts menu without prompting.
      void vscode.authentication.getSession(AUTH_PROVIDER_ID, [], { createIfNone: false }).then(undefined, () => undefined);
    }
  });

  return { tree, authState: () => session.state, ready };
}

export function deactivate(): void {}
