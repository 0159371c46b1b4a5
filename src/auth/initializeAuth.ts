/** Builds the account store and the accounts, and registers Bitbucket as an authentication provider. */
import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import { AccountStore } from './accountStore';
import { Accounts } from './accounts';
import { AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, BitbucketAuthenticationProvider } from './authenticationProvider';
import { flows } from '../features/lazyFlows';

export interface Auth extends vscode.Disposable {
  readonly store: AccountStore;
  readonly accounts: Accounts;
  /** Puts "Sign in with Bitbucket" into the Accounts menu, once, if signed out. */
  offerSignInFromAccountsMenu(): void;
}

export function initializeAuth(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Auth {
  const version = (context.extension.packageJSON as { version?: string }).version ?? 'dev';
  const store = new AccountStore(context.secrets, (error) =>
    log.error(`Could not read the Bitbucket credentials from VS Code's secret storage (the system keyring): ${(error as Error).message}`),
  );
  const accounts = new Accounts(store, log, `bitbucket-repositories-vscode/${version}`);
  const provider = new BitbucketAuthenticationProvider(
    store,
    async () => (await flows().signInInteractively(store, log))?.stored,
    async (accountId) => void (await vscode.commands.executeCommand(Commands.signOut, { accountId })),
  );
  let offered = false;
  const offerSignInFromAccountsMenu = () => {
    if (offered || accounts.state !== 'signedOut') return;
    offered = true;
    // A request without createIfNone adds a menu entry (and a badge) instead of prompting.
    vscode.authentication.getSession(AUTH_PROVIDER_ID, [], { createIfNone: false }).then(undefined, () => undefined);
  };
  const registration = vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, provider, {
    supportsMultipleAccounts: true,
  });
  return {
    store,
    accounts,
    offerSignInFromAccountsMenu,
    dispose: () => vscode.Disposable.from(registration, provider, accounts, store).dispose(),
  };
}
