/**
 * What the tree showed last time, kept in global state so the next start shows it at once, marked as
 * cached, while fresh pages load. It holds names and links, never a credential, and belongs to one account
 * at one API URL: each account has its own, and a new API URL starts empty.
 */
import type * as vscode from 'vscode';
import { ListingSnapshot } from './workspaceListing';

/** Earlier versions kept one account's cache under this key; each account now has its own. */
export const LEGACY_CACHE_KEY = 'bitbucket.treeCache';
const CACHE_KEY_PREFIX = 'bitbucket.treeCache:';
// 2: repositories as the host-independent HostedRepository rather than the 2.0 wire objects.
const CACHE_VERSION = 2;
/** Enough to fill the first screens of a workspace; beyond this, Load more fetches live. */
export const CACHED_REPOSITORIES_PER_WORKSPACE = 200;

export interface CachedWorkspace {
  readonly slug: string;
  readonly administrator: boolean;
  readonly name?: string;
}

interface CacheRecord {
  readonly version: number;
  readonly owner: string;
  readonly workspaces?: readonly CachedWorkspace[];
  readonly listings: Readonly<Record<string, ListingSnapshot>>;
}

export class TreeCache {
  private record: CacheRecord | undefined;
  private saveTimer: NodeJS.Timeout | undefined;

  private readonly key: string;

  /** The cache of one account (by its id); other accounts' caches live under other keys. */
  constructor(
    private readonly memento: vscode.Memento,
    accountId: string,
  ) {
    this.key = `${CACHE_KEY_PREFIX}${accountId}`;
  }

  /** Switches to the cache of one account at one API URL; another owner's cache is dropped. */
  open(owner: string): void {
    if (this.record?.owner === owner) return;
    const stored = this.memento.get<CacheRecord>(this.key);
    this.record =
      stored && stored.version === CACHE_VERSION && stored.owner === owner ? stored : { version: CACHE_VERSION, owner, listings: {} };
  }

  workspaces(): readonly CachedWorkspace[] | undefined {
    return this.record?.workspaces;
  }

  listing(slug: string): ListingSnapshot | undefined {
    return this.record?.listings[slug];
  }

  setWorkspaces(workspaces: readonly CachedWorkspace[]): void {
    if (!this.record) return;
    this.record = { ...this.record, workspaces };
    this.scheduleSave();
  }

  setListing(slug: string, snapshot: ListingSnapshot): void {
    if (!this.record) return;
    this.record = { ...this.record, listings: { ...this.record.listings, [slug]: snapshot } };
    this.scheduleSave();
  }

  /** Forgets everything, in memory and on disk, e.g. on sign-out. */
  async clear(): Promise<void> {
    this.forget();
    await this.memento.update(this.key, undefined);
  }

  /** Drops what is in memory without writing it, e.g. when another window signed out. */
  forget(): void {
    this.record = undefined;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
  }

  /** Writes now; also called on deactivation so nothing loaded is lost. */
  async flush(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (this.record) await this.memento.update(this.key, this.record);
  }

  private scheduleSave(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.flush(), 1_000);
  }
}
