/**
 * Bitbucket as a VS Code authentication provider: every account shows in the Accounts menu (each with its
 * own Sign Out), and other extensions can ask for a session the usual way (with the user's consent, which
 * VS Code asks for).
 */
import * as vscode from 'vscode';
import { accountLabel } from './accountLabels';
import { AccountStore, StoredAccount } from './accountStore';

export const AUTH_PROVIDER_ID = 'bitbucket';
export const AUTH_PROVIDER_LABEL = 'Bitbucket';

export class BitbucketAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly sessionsChanged = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.sessionsChanged.event;
  /** The sessions as last announced, by id, so a change can be told as added, removed or changed. */
  private announced = new Map<string, vscode.AuthenticationSession>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: AccountStore,
    /** Runs the interactive sign-in; resolves undefined when the user cancels. */
    private readonly signIn: () => Promise<StoredAccount | undefined>,
    /** Signs out of one account. */
    private readonly signOut: (accountId: string) => Promise<void>,
  ) {
    this.subscription = store.onDidChange((change) => this.announce(change.accounts));
    void store.all().then((stored) => (this.announced = new Map(stored.map((record) => [record.account.id, toSession(record)]))));
  }

  async getSessions(): Promise<vscode.AuthenticationSession[]> {
    return (await this.store.all()).map(toSession);
  }

  async createSession(): Promise<vscode.AuthenticationSession> {
    const stored = await this.signIn();
    if (!stored) throw new vscode.CancellationError();
    return toSession(stored);
  }

  async removeSession(sessionId: string): Promise<void> {
    await this.signOut(sessionId);
  }

  dispose(): void {
    this.subscription.dispose();
    this.sessionsChanged.dispose();
  }

  private announce(stored: readonly StoredAccount[]): void {
    const next = new Map(stored.map((record) => [record.account.id, toSession(record)]));
    const added: vscode.AuthenticationSession[] = [];
    const changed: vscode.AuthenticationSession[] = [];
    for (const [id, session] of next) {
      const before = this.announced.get(id);
      if (!before) added.push(session);
      else if (before.accessToken !== session.accessToken || before.account.label !== session.account.label) changed.push(session);
    }
    const removed = [...this.announced.entries()].filter(([id]) => !next.has(id)).map(([, session]) => session);
    this.announced = next;
    if (added.length || removed.length || changed.length) this.sessionsChanged.fire({ added, removed, changed });
  }
}

function toSession(stored: StoredAccount): vscode.AuthenticationSession {
  return {
    id: stored.account.id,
    accessToken: stored.credential.token,
    account: { id: stored.account.id, label: accountLabel(stored) },
    scopes: [],
  };
}
