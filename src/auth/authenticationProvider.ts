/**
 * Bitbucket as a VS Code authentication provider: the account shows in the Accounts menu, and other
 * extensions can ask for a session the usual way (with the user's consent, which VS Code asks for).
 */
import * as vscode from 'vscode';
import { CredentialStore, StoredCredential } from './credentialStore';

export const AUTH_PROVIDER_ID = 'bitbucket';
export const AUTH_PROVIDER_LABEL = 'Bitbucket';

export class BitbucketAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly sessionsChanged = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.sessionsChanged.event;
  private lastSession: vscode.AuthenticationSession | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: CredentialStore,
    /** Runs the interactive sign-in; resolves undefined when the user cancels. */
    private readonly signIn: () => Promise<StoredCredential | undefined>,
    private readonly signOut: () => Promise<void>,
  ) {
    this.subscription = store.onDidChange((stored) => this.announce(stored));
    void store.get().then((stored) => (this.lastSession = stored && toSession(stored)));
  }

  async getSessions(): Promise<vscode.AuthenticationSession[]> {
    const stored = await this.store.get();
    return stored ? [toSession(stored)] : [];
  }

  async createSession(): Promise<vscode.AuthenticationSession> {
    const stored = await this.signIn();
    if (!stored) throw new vscode.CancellationError();
    return toSession(stored);
  }

  async removeSession(): Promise<void> {
    await this.signOut();
  }

  dispose(): void {
    this.subscription.dispose();
    this.sessionsChanged.dispose();
  }

  private announce(stored: StoredCredential | undefined): void {
    const previous = this.lastSession;
    const next = stored && toSession(stored);
    this.lastSession = next;
    if (previous && next && previous.id === next.id) {
      this.sessionsChanged.fire({ added: [], removed: [], changed: [next] });
    } else {
      this.sessionsChanged.fire({ added: next ? [next] : [], removed: previous ? [previous] : [], changed: [] });
    }
  }
}

function toSession(stored: StoredCredential): vscode.AuthenticationSession {
  return {
    id: stored.account.id,
    accessToken: stored.credential.token,
    account: { id: stored.account.id, label: stored.account.label },
    scopes: [],
  };
}
