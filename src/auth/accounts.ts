/**
 * The signed-in accounts every part of the extension reads: each with its credential, its client and
 * whether Bitbucket still accepts it. A 401 from any call turns that account alone to "expired", deleting
 * nothing; the other accounts go on working.
 */
import * as vscode from 'vscode';
import type { BitbucketClient } from '../bitbucket/client';
import { cloud } from '../bitbucket/lazyCloud';
import type { BitbucketHost } from '../host/types';
import type { BitbucketError } from '../bitbucket/errors';
import { Logger } from '../common/logger';
import { Settings, affectsClient, readSettings } from '../config';
import { accountLabel } from './accountLabels';
import { AccountStore, StoredAccount } from './accountStore';
import type { AccountSummary } from '../host/types';

export type AccountState = 'signedIn' | 'expired';
/** All accounts together: none, at least one that works, or every one refused. */
export type AuthState = 'signedOut' | 'signedIn' | 'expired';

/** Context key read by `viewsWelcome` and menus. */
export const AUTH_STATE_CONTEXT_KEY = 'bitbucket.authState';
/** Context key: true when two or more accounts are signed in, so the tree's roots are accounts. */
export const MULTIPLE_ACCOUNTS_CONTEXT_KEY = 'bitbucket.multipleAccounts';

/** One signed-in account: who it is, its host, and whether Bitbucket still accepts its credential. */
export class Account {
  private cachedClient: object | undefined;
  private accountState: AccountState = 'signedIn';

  constructor(
    readonly stored: StoredAccount,
    private readonly context: {
      readonly logger: Logger;
      readonly userAgent: string;
      readonly rejected: (account: Account) => void;
    },
  ) {}

  get id(): string {
    return this.stored.account.id;
  }

  /** Who it is, without the secret, named in the current language. */
  get summary(): AccountSummary {
    return { ...this.stored.account, label: this.label };
  }

  /** Its name in the current language (see `accountLabel`). */
  get label(): string {
    return accountLabel(this.stored);
  }

  get state(): AccountState {
    return this.accountState;
  }

  /** Where its cache is kept: this account at this API URL. Throws when the API URL setting is unusable. */
  cacheOwner(): string {
    const credential = this.stored.credential;
    return `${this.id}@${credential.kind === 'dataCenterToken' ? credential.serverUrl : readSettings().apiUrl}`;
  }

  /** The account's host: what the tree, the commands and git ask. */
  host(): BitbucketHost {
    const credential = this.stored.credential;
    if (credential.kind === 'dataCenterToken') {
      const dataCenter = cloud().dataCenter;
      return new dataCenter.DataCenterHost(this.client() as InstanceType<typeof dataCenter.DataCenterClient>, credential);
    }
    return new (cloud().CloudHost)(this.client() as BitbucketClient, credential);
  }

  /** The token git presents, with the user name the host documents for it. */
  gitCredentials(): { readonly username: string; readonly password: string } {
    return this.host().gitCredentials();
  }

  /** The one container the account reaches when it cannot list any; undefined when it lists its own. */
  get onlyContainer(): string | undefined {
    return this.host().onlyContainer;
  }

  /** Settings changed: the next call builds a client from them. */
  settingsChanged(): void {
    this.cachedClient = undefined;
  }

  /** Marks the account refused (true when that is news). */
  expire(): boolean {
    if (this.accountState === 'expired') return false;
    this.accountState = 'expired';
    return true;
  }

  /** Cloud's client, or a Data Center server's: one per account, made anew when the settings change. */
  private client(): object {
    if (this.cachedClient) return this.cachedClient;
    const settings = readSettings();
    const credential = this.stored.credential;
    const common = {
      timeoutMs: settings.requestTimeoutMs,
      logger: this.context.logger,
      userAgent: this.context.userAgent,
      // Only a rejection by the client in use counts; an older client's late 401 does not.
      onCredentialRejected: (error: BitbucketError) => {
        if (this.cachedClient !== client) return;
        this.context.logger.warn(`Bitbucket no longer accepts the credential of ${this.label} (${error.kind}); asking to sign in again.`);
        this.context.rejected(this);
      },
    };
    const client: object =
      credential.kind === 'dataCenterToken'
        ? new (cloud().dataCenter.DataCenterClient)({ ...common, serverUrl: credential.serverUrl, token: credential.token })
        : new (cloud().BitbucketClient)({ ...common, baseUrl: settings.apiUrl, credential });
    this.cachedClient = client;
    return client;
  }
}

export interface AccountsChange {
  /** The API URL, page size, sort or timeout changed: everything loaded must be loaded again. */
  readonly settingsChanged: boolean;
}

export class Accounts implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AccountsChange>();
  /** Fires when an account is added, updated, refused or removed, or the settings clients depend on change. */
  readonly onDidChange = this.changed.event;
  private current: readonly Account[] = [];
  private aggregate: AuthState = 'signedOut';
  private readonly disposables: vscode.Disposable[] = [];
  /** Resolves once the stored accounts have been read; the tree waits for it before drawing. */
  readonly ready: Promise<void>;

  constructor(
    readonly store: AccountStore,
    private readonly logger: Logger,
    private readonly userAgent: string,
  ) {
    this.disposables.push(
      this.changed,
      store.onDidChange((change) => this.adopt(change.accounts, change.renewed)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!affectsClient(event)) return;
        for (const account of this.current) account.settingsChanged();
        this.changed.fire({ settingsChanged: true });
      }),
    );
    this.ready = store.all().then((stored) => this.adopt(stored));
  }

  /** Every account, in the order they were added. */
  get all(): readonly Account[] {
    return this.current;
  }

  /** The accounts Bitbucket still accepts. */
  get usable(): readonly Account[] {
    return this.current.filter((account) => account.state === 'signedIn');
  }

  get(id: string): Account | undefined {
    return this.current.find((account) => account.id === id);
  }

  get state(): AuthState {
    return this.aggregate;
  }

  get settings(): Settings {
    return readSettings();
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  /**
   * Keeps the Account of every unchanged record (its client, its state); a changed record, or one just
   * signed in to again, starts afresh.
   */
  private adopt(stored: readonly StoredAccount[], renewed?: string): void {
    const previous = new Map(this.current.map((account) => [account.id, account]));
    this.current = stored.map((record) => {
      const known = previous.get(record.account.id);
      if (known && record.account.id !== renewed && JSON.stringify(known.stored) === JSON.stringify(record)) return known;
      return new Account(record, { logger: this.logger, userAgent: this.userAgent, rejected: (account) => this.rejected(account) });
    });
    this.update();
  }

  private rejected(account: Account): void {
    if (this.current.includes(account) && account.expire()) this.update();
  }

  private update(): void {
    const state: AuthState = this.current.length === 0 ? 'signedOut' : this.usable.length > 0 ? 'signedIn' : 'expired';
    this.aggregate = state;
    void vscode.commands.executeCommand('setContext', AUTH_STATE_CONTEXT_KEY, state);
    void vscode.commands.executeCommand('setContext', MULTIPLE_ACCOUNTS_CONTEXT_KEY, this.current.length > 1);
    this.changed.fire({ settingsChanged: false });
  }
}
