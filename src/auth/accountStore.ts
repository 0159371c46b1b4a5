/**
 * The only place Bitbucket credentials are kept: VS Code's SecretStorage, one record per account plus an
 * index of their ids. Other windows write the same store; `onDidChange` lets every window follow them.
 */
import * as vscode from 'vscode';
import { Credential } from '../bitbucket/credentials';
import type { DataCenterCredential } from '../datacenter/dataCenterCredential';

/** A Cloud credential, or a Data Center server's token. */
export type StoredCredential = Credential | DataCenterCredential;
import type { AccountSummary } from '../host/types';

/** The index: a JSON list of account ids, in the order they were added. */
export const ACCOUNTS_KEY = 'bitbucket.accounts';
/** One account's record: `{ credential, account }` as JSON. */
export const ACCOUNT_KEY_PREFIX = 'bitbucket.account:';
/** Where versions before several accounts kept their one record; moved into the index on first read. */
export const LEGACY_KEY = 'bitbucket.credentials';

export function accountKey(id: string): string {
  return `${ACCOUNT_KEY_PREFIX}${id}`;
}

export interface StoredAccount {
  readonly credential: StoredCredential;
  readonly account: AccountSummary;
}

/** The accounts after a change, and the account this window just signed in to, if that was the change. */
export interface AccountsChanged {
  readonly accounts: readonly StoredAccount[];
  /** Signed in again with a record equal to the stored one: nothing changed on disk, but it was checked anew. */
  readonly renewed?: string;
}

export class AccountStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AccountsChanged>();
  /** Fires after this or another window added, updated or removed an account. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private cached: Promise<readonly StoredAccount[]> | undefined;
  /** The accounts as this window last knew them, so its own writes are not announced twice. */
  private lastSnapshot = '[]';
  /** Writes of this window, one after another, so two quick changes cannot drop each other's index entry. */
  private writes: Promise<unknown> = Promise.resolve();
  private rereadTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly onReadFailure: (error: unknown) => void,
  ) {
    this.subscription = secrets.onDidChange((event) => {
      // The old key too: a window of an earlier version may still sign in there.
      if (event.key === ACCOUNTS_KEY || event.key === LEGACY_KEY || event.key.startsWith(ACCOUNT_KEY_PREFIX)) this.scheduleReread();
    });
  }

  all(): Promise<readonly StoredAccount[]> {
    this.cached ??= this.read().then((accounts) => {
      this.lastSnapshot = JSON.stringify(accounts);
      return accounts;
    });
    return this.cached;
  }

  /** Adds the account, or replaces the record of the same account; returns whether it was new. */
  save(value: StoredAccount): Promise<boolean> {
    return this.write(async () => {
      const ids = await this.readIndex();
      const added = !ids.includes(value.account.id);
      // The record before the index: another window that sees the new id finds its record.
      await this.secrets.store(accountKey(value.account.id), JSON.stringify(value));
      if (added) await this.secrets.store(ACCOUNTS_KEY, JSON.stringify([...ids, value.account.id]));
      return added;
    }, value.account.id);
  }

  /** Removes one account's record; returns whether there was one. */
  remove(id: string): Promise<boolean> {
    return this.write(async () => {
      const ids = await this.readIndex();
      // The index first: no window may find an id whose record is gone.
      if (ids.includes(id)) await this.secrets.store(ACCOUNTS_KEY, JSON.stringify(ids.filter((known) => known !== id)));
      await this.secrets.delete(accountKey(id));
      return ids.includes(id);
    });
  }

  dispose(): void {
    clearTimeout(this.rereadTimer);
    this.subscription.dispose();
    this.changed.dispose();
  }

  private write<T>(change: () => Promise<T>, renewed?: string): Promise<T> {
    const result = this.writes.then(async () => {
      await this.all(); // a first read migrates the old record before anything is added beside it
      const value = await change();
      await this.refresh(renewed);
      return value;
    });
    this.writes = result.catch(() => undefined);
    return result;
  }

  /** SecretStorage fires once per key; a save is two keys. One read after they settle follows them all. */
  private scheduleReread(): void {
    clearTimeout(this.rereadTimer);
    this.rereadTimer = setTimeout(() => void this.refresh(), 20);
  }

  private async refresh(renewed?: string): Promise<void> {
    const next = this.read();
    this.cached = next;
    const accounts = await next;
    const snapshot = JSON.stringify(accounts);
    if (snapshot === this.lastSnapshot && renewed === undefined) return;
    this.lastSnapshot = snapshot;
    this.changed.fire({ accounts, renewed });
  }

  /** A keyring that cannot be read (locked, missing on Linux) counts as signed out, and is said in the log. */
  private async read(): Promise<readonly StoredAccount[]> {
    try {
      const ids = await this.migrateLegacyRecord(await this.readIndex());
      const records = await Promise.all(ids.map(async (id) => parse(await this.secrets.get(accountKey(id)), id)));
      return records.filter((record): record is StoredAccount => record !== undefined);
    } catch (error) {
      this.onReadFailure(error);
      this.cached = undefined; // try the keyring again next time
      return [];
    }
  }

  private async readIndex(): Promise<string[]> {
    const raw = await this.secrets.get(ACCOUNTS_KEY);
    if (!raw) return [];
    try {
      const ids: unknown = JSON.parse(raw);
      return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string' && id.length > 0) : [];
    } catch {
      return [];
    }
  }

  /**
   * The single record of earlier versions becomes an account (the first, on an upgrade), so a person
   * upgrading stays signed in; then the old key goes. Returns the index as it is now.
   */
  private async migrateLegacyRecord(ids: string[]): Promise<string[]> {
    const raw = await this.secrets.get(LEGACY_KEY);
    if (raw === undefined) return ids;
    const legacy = parse(raw);
    let now = ids;
    if (legacy) {
      await this.secrets.store(accountKey(legacy.account.id), JSON.stringify(legacy));
      if (!ids.includes(legacy.account.id)) {
        now = [...ids, legacy.account.id];
        await this.secrets.store(ACCOUNTS_KEY, JSON.stringify(now));
      }
    }
    await this.secrets.delete(LEGACY_KEY);
    return now;
  }
}

function parse(raw: string | undefined, id?: string): StoredAccount | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as StoredAccount;
    return isStoredAccount(parsed) && (id === undefined || parsed.account.id === id) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isStoredAccount(value: StoredAccount): boolean {
  const credential = value?.credential;
  if (!credential || typeof credential.token !== 'string' || !value.account?.id || typeof value.account.label !== 'string') return false;
  if (credential.kind === 'dataCenterToken') return typeof credential.serverUrl === 'string';
  return credential.kind === 'apiToken'
    ? typeof credential.email === 'string'
    : credential.kind === 'accessToken' && typeof credential.workspace === 'string';
}
