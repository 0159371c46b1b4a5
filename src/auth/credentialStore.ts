/**
 * The only place a Bitbucket credential is kept: VS Code's SecretStorage, as one JSON record under one key.
 * Other windows write the same store; `onDidChange` lets every window follow them.
 */
import * as vscode from 'vscode';
import { Credential } from '../bitbucket/credentials';
import { AccountSummary } from './verifyCredential';

/** The one SecretStorage key; every window of this extension reads and writes it. */
export const SECRET_KEY = 'bitbucket.credentials';

export interface StoredCredential {
  readonly credential: Credential;
  readonly account: AccountSummary;
}

export class CredentialStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<StoredCredential | undefined>();
  /** Fires after this or another window signed in or out. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private cached: Promise<StoredCredential | undefined> | undefined;
  /** The record as this window last knew it, so its own writes are not announced twice. */
  private lastRaw: string | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly onReadFailure: (error: unknown) => void,
  ) {
    this.subscription = secrets.onDidChange(async (event) => {
      if (event.key !== SECRET_KEY) return;
      const raw = await this.readRaw();
      if (raw === this.lastRaw) return;
      this.lastRaw = raw;
      this.cached = Promise.resolve(parse(raw));
      this.changed.fire(await this.cached);
    });
  }

  get(): Promise<StoredCredential | undefined> {
    this.cached ??= this.read();
    return this.cached;
  }

  /** Stores the record; this window follows at once, other windows through SecretStorage's event. */
  async save(value: StoredCredential): Promise<void> {
    const raw = JSON.stringify(value);
    await this.secrets.store(SECRET_KEY, raw);
    this.lastRaw = raw;
    this.cached = Promise.resolve(value);
    this.changed.fire(value);
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    this.lastRaw = undefined;
    this.cached = Promise.resolve(undefined);
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async read(): Promise<StoredCredential | undefined> {
    this.lastRaw = await this.readRaw();
    return parse(this.lastRaw);
  }

  /** A keyring that cannot be read (locked, missing on Linux) counts as signed out, and is said in the log. */
  private async readRaw(): Promise<string | undefined> {
    try {
      return await this.secrets.get(SECRET_KEY);
    } catch (error) {
      this.onReadFailure(error);
      this.cached = undefined; // try the keyring again next time
      return undefined;
    }
  }
}

function parse(raw: string | undefined): StoredCredential | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as StoredCredential;
    return isStoredCredential(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isStoredCredential(value: StoredCredential): boolean {
  const credential = value?.credential;
  if (!credential || typeof credential.token !== 'string' || !value.account?.id) return false;
  return credential.kind === 'apiToken'
    ? typeof credential.email === 'string'
    : credential.kind === 'accessToken' && typeof credential.workspace === 'string';
}
