/**
 * One repositories model per signed-in account, each with its own cache, listings, errors and rate-limit
 * back-off, so that one account's expired token or rate limit leaves the others as they are. The tree
 * draws them; commands and git ask them which containers each account reaches. No `vscode` import.
 */
import type * as vscode from 'vscode';
import { Logger } from '../common/logger';
import { BitbucketHost, RepositorySort } from '../host/types';
import { RepositoriesModel } from './repositoriesModel';
import { TreeCache } from './treeCache';

/** What the models need of an account; `auth/accounts.ts`'s Account is one. */
export interface ModelAccount {
  readonly id: string;
  readonly label: string;
  readonly state: 'signedIn' | 'expired';
  /** The one container an access token belongs to; undefined when the account lists its own. */
  readonly onlyContainer?: string;
  host(): BitbucketHost;
  cacheOwner(): string;
}

export interface AccountModelsDeps {
  readonly memento: vscode.Memento;
  readonly settings: () => { readonly pageSize: number; readonly sortRepositoriesBy: RepositorySort };
  readonly logger: Logger;
  readonly track: <T>(task: Promise<T>) => Promise<T>;
}

/** A container as the commands use it: whose, which, and how it is called. */
export interface AccountContainer<A extends ModelAccount = ModelAccount> {
  readonly account: A;
  readonly slug: string;
  readonly displayName?: string;
  readonly administrator: boolean;
}

interface Entry<A extends ModelAccount> {
  readonly account: A;
  readonly model: RepositoriesModel;
  readonly cache: TreeCache;
}

export class AccountModels<A extends ModelAccount = ModelAccount> {
  private readonly entries = new Map<string, Entry<A>>();
  private readonly listeners = new Set<(accountId: string, container?: string) => void>();

  constructor(private readonly deps: AccountModelsDeps) {}

  /**
   * Follows the accounts: a new or changed account gets a fresh model, a removed one loses its model and
   * its cache (on disk too: its records must not outlive its sign-out). Returns the ids of the accounts
   * added, replaced or removed.
   */
  sync(accounts: readonly A[]): string[] {
    const changed: string[] = [];
    const ids = new Set(accounts.map((account) => account.id));
    for (const [id, entry] of this.entries) {
      const replaced = accounts.find((account) => account.id === id && account !== entry.account);
      if (ids.has(id) && !replaced) continue;
      entry.model.dispose();
      this.entries.delete(id);
      // A changed credential keeps the account's cache (written now, for its new model to start from).
      void (ids.has(id) ? entry.cache.flush() : entry.cache.clear());
      changed.push(id);
    }
    for (const account of accounts) {
      if (this.entries.has(account.id)) continue;
      this.entries.set(account.id, this.create(account));
      if (!changed.includes(account.id)) changed.push(account.id);
    }
    return changed;
  }

  /** The model of one account, if it is signed in. */
  model(accountId: string): RepositoriesModel | undefined {
    return this.entries.get(accountId)?.model;
  }

  account(accountId: string): A | undefined {
    return this.entries.get(accountId)?.account;
  }

  /** Every account with its model, in the order the accounts were given. */
  all(): { readonly account: A; readonly model: RepositoriesModel }[] {
    return [...this.entries.values()];
  }

  /**
   * The accounts that reach a container, as far as is known without asking: an access token's own, or one
   * the account's container list (loaded or cached) includes.
   */
  async accountsReaching(container: string): Promise<A[]> {
    const reaching: A[] = [];
    for (const { account, model } of this.entries.values()) {
      if (account.state !== 'signedIn') continue;
      if (account.onlyContainer !== undefined) {
        if (account.onlyContainer === container) reaching.push(account);
        continue;
      }
      try {
        if ((await model.containers()).some((entry) => entry.slug === container)) reaching.push(account);
      } catch {
        // An account whose workspaces cannot be listed now is not known to reach it.
      }
    }
    return reaching;
  }

  /**
   * The containers of every usable account, loading what is not loaded; an account whose list fails is
   * left out, and its error is thrown only when no account listed any.
   */
  async containersOfAll(): Promise<AccountContainer<A>[]> {
    const found: AccountContainer<A>[] = [];
    let failure: unknown;
    for (const { account, model } of this.entries.values()) {
      if (account.state !== 'signedIn') continue;
      try {
        for (const entry of await model.containers()) {
          found.push({ account, slug: entry.slug, displayName: entry.name, administrator: entry.administrator });
        }
      } catch (error) {
        failure ??= error;
      }
    }
    if (found.length === 0 && failure) throw failure;
    return found;
  }

  /** Told when an account's roots (container undefined) or one of its containers changed. */
  onDidChange(listener: (accountId: string, container?: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Drops what every model loaded, for new settings or a refresh; each starts again from its cache. */
  resetAll(): void {
    for (const { model } of this.entries.values()) model.reset(false);
  }

  /** Writes every cache now; on deactivation. */
  async flush(): Promise<void> {
    await Promise.all([...this.entries.values()].map((entry) => entry.cache.flush()));
  }

  dispose(): void {
    for (const { model } of this.entries.values()) model.dispose();
    this.entries.clear();
    this.listeners.clear();
  }

  private create(account: A): Entry<A> {
    const cache = new TreeCache(this.deps.memento, account.id);
    const model = new RepositoriesModel({
      host: () => account.host(),
      cacheOwner: () => account.cacheOwner(),
      settings: this.deps.settings,
      cache,
      logger: this.deps.logger,
      track: this.deps.track,
    });
    model.onDidChange((container) => {
      for (const listener of this.listeners) listener(account.id, container);
    });
    return { account, model, cache };
  }
}
