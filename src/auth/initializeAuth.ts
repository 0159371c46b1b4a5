/** Builds the credential store and session, and registers Bitbucket as an authentication provider. */
import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import { AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, BitbucketAuthenticationProvider } from './authenticationProvider';
import { CredentialStore } from './credentialStore';
import { Session } from './session';
import { signInInteractively } from './signIn';

export interface Auth extends vscode.Disposable {
  readonly store: CredentialStore;
  readonly session: Session;
  /** Puts "Sign in with Bitbucket" into the Accounts menu, once, if signed out. */
  offerSignInFromAccountsMenu(): void;
}

export function initializeAuth(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Auth {
  const version = (context.extension.packageJSON as { version?: string }).version ?? 'dev';
  const store = new CredentialStore(context.secrets, (error) =>
    log.error(`Could not read the Bitbucket credential from VS Code's secret storage (the system keyring): ${(error as Error).message}`),
  );
  const session = new Session(store, log, `bitbucket-repositories-vscode/${version}`);
  const provider = new BitbucketAuthenticationProvider(
    store,
    () => signInInteractively(store, log),
    async () => void (await vscode.commands.executeCommand(Commands.signOut)),
  );
  let offered = false;
  const offerSignInFromAccountsMenu = () => {
    if (offered || session.state !== 'signedOut') return;
    offered = true;
    // A request without createIfNone adds a menu entry (and a badge) instead of prompting.
    vscode.authentication.getSession(AUTH_PROVIDER_ID, [], { createIfNone: false }).then(undefined, () => undefined);
  };
  const registration = vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, AUTH_PROVIDER_LABEL, provider);
  return {
    store,
    session,
    offerSignInFromAccountsMenu,
    dispose: () => vscode.Disposable.from(registration, provider, session, store).dispose(),
  };
}
