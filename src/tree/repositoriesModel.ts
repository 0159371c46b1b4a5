/**
 * What the Bitbucket view shows, apart from how it is drawn: the signed-in account's containers, each
 * container's repositories page by page, the cache they start from, errors and rate-limit back-off kept
 * as state. The tree provider draws it; commands and git ask it. No `vscode` import.
 */
import { BitbucketError } from '../bitbucket/errors';
import { t } from '../common/l10n';
import { Logger } from '../common/logger';
import { BitbucketHost, HostedRepository, RepositorySort } from '../host/types';
import { CACHED_REPOSITORIES_PER_WORKSPACE, CachedWorkspace, TreeCache } from './treeCache';
import { WorkspaceListing } from './workspaceListing';

const NAME_LOOKUPS_AT_ONCE = 4;
/** Without Retry-After, a rate-limited container first tries again after this long, then doubles it. */
const RATE_LIMIT_PAUSE_SECONDS = 60;

/** One container as the view shows it. */
export interface ContainerEntry {
  readonly slug: string;
  administrator: boolean;
  /** The display name, once the container's details have arrived (or from the cache). */
  name?: string;
  /** The container's page on Bitbucket, once its details have arrived. */
  webUrl?: string;
  /** True while the repositories shown came from the cache and are being revalidated. */
  cached: boolean;
}

export interface ModelDeps {
  /** The signed-in account's host; undefined when signed out. */
  readonly host: () => BitbucketHost | undefined;
  /** Whose cache to read and write (account and API URL); undefined when there is none to use. */
  readonly cacheOwner: () => string | undefined;
  readonly settings: () => { readonly pageSize: number; readonly sortRepositoriesBy: RepositorySort };
  readonly cache: TreeCache;
  readonly logger: Logger;
  /** Shows a load as in progress (the view's progress bar); resolves as the task does. */
  readonly track: <T>(task: Promise<T>) => Promise<T>;
}

/**
 * What the roots are now: the containers, why they could not be listed, or neither (the first load was
 * cancelled by a refresh or a sign-in, and the next one is on its way).
 */
export type RootsState = { readonly containers?: readonly ContainerEntry[] } | { readonly error: BitbucketError };

export class RepositoriesModel {
  private roots: ContainerEntry[] | undefined;
  private rootsError: BitbucketError | undefined;
  private rootsLoad: Promise<void> | undefined;
  private rootsController: AbortController | undefined;
  private readonly listings = new Map<string, WorkspaceListing>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private readonly retryAt = new Map<string, number>();
  private readonly rateLimitStrikes = new Map<string, number>();
  private readonly listeners = new Set<(container?: string) => void>();

  constructor(private readonly deps: ModelDeps) {
    this.openCache();
  }

  /** Told when the roots (undefined) or one container's repositories changed. */
  onDidChange(listener: (container?: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The containers, from the cache at once when it has them (revalidated behind), else loaded. */
  async rootsState(): Promise<RootsState> {
    if (!this.roots && !this.rootsError) {
      const cached = this.deps.cache.workspaces();
      if (cached) {
        this.roots = cached.map((entry) => ({ ...entry, cached: true }));
        void this.loadRoots(); // revalidate behind what is shown
      } else {
        await this.deps.track(this.loadRoots());
      }
    }
    return this.rootsError ? { error: this.rootsError } : { containers: this.roots };
  }

  /** The containers shown now, loading them if needed; throws why when they could not be listed. */
  async containers(): Promise<readonly ContainerEntry[]> {
    const state = await this.rootsState();
    if ('error' in state) throw state.error;
    return state.containers ?? [];
  }

  /** A container's repositories as loaded so far, loading the first page (or the cached one) if needed. */
  async repositories(container: string): Promise<WorkspaceListing> {
    const listing = this.listingFor(container);
    if (!listing.loaded && !listing.loading) {
      const snapshot = this.deps.cache.listing(container);
      if (snapshot) {
        listing.restore(snapshot);
        void listing.reload().then(() => this.afterLoad(container, listing));
      } else {
        await this.deps.track(listing.reload());
        this.afterLoad(container, listing, false);
      }
    } else if (!listing.loaded) {
      await this.deps.track(listing.ensureLoaded());
    }
    this.markCached(container, listing);
    return listing;
  }

  /** Fetches the next page of one container and appends it. */
  async loadMore(container: string): Promise<void> {
    const listing = this.listingFor(container);
    this.fire(container);
    await this.deps.track(listing.loadMore());
    this.afterLoad(container, listing);
  }

  /** Retries whatever failed under a container, or the container list itself. */
  async retry(container?: string): Promise<void> {
    if (container === undefined) {
      this.rootsError = undefined;
      this.roots = undefined;
      this.fire(undefined);
      return;
    }
    clearTimeout(this.retryTimers.get(container));
    this.retryTimers.delete(container);
    const listing = this.listingFor(container);
    // A failed first page, or a cached list whose revalidation failed, starts over; a failed later page resumes.
    const resume = listing.loaded && !listing.fromCache;
    await this.deps.track(resume ? listing.loadMore() : listing.reload());
    this.afterLoad(container, listing);
  }

  /** When a rate-limited container tries again by itself, if it does. */
  retriesAt(container: string): number | undefined {
    return this.retryAt.get(container);
  }

  /** Shows a repository just created at the top of its container without reloading the rest. */
  addRepository(container: string, repository: HostedRepository): boolean {
    const listing = this.listings.get(container);
    if (!this.entry(container) || !listing) return false;
    listing.prepend(repository);
    this.fire(container);
    return true;
  }

  /** Drops everything for a new account, new settings or a refresh; loads in flight are cancelled. */
  reset(signedOut: boolean): void {
    this.cancelAll();
    this.roots = undefined;
    this.rootsError = undefined;
    this.listings.clear();
    // Signed out here or in another window: what this window holds must not be written back.
    if (signedOut) this.deps.cache.forget();
    else this.openCache();
    this.fire(undefined);
  }

  dispose(): void {
    this.cancelAll();
    this.listeners.clear();
  }

  /** The containers listed now (loaded or cached), without loading; undefined before the first list. */
  listed(): readonly ContainerEntry[] | undefined {
    return this.roots;
  }

  /** What is known of one container now, if it is listed. */
  entry(container: string): ContainerEntry | undefined {
    return this.roots?.find((root) => root.slug === container);
  }

  private markCached(container: string, listing: WorkspaceListing): void {
    const entry = this.entry(container);
    if (entry) entry.cached = listing.fromCache;
  }

  private fire(container: string | undefined): void {
    for (const listener of this.listeners) listener(container);
  }

  private cancelAll(): void {
    this.rootsController?.abort();
    this.rootsController = undefined;
    this.rootsLoad = undefined;
    for (const listing of this.listings.values()) listing.cancel();
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    this.retryAt.clear();
    this.rateLimitStrikes.clear();
  }

  private openCache(): void {
    let owner: string | undefined;
    try {
      owner = this.deps.cacheOwner();
    } catch {
      owner = undefined; // an unusable API URL has no cache; the first load shows the setting's error
    }
    if (owner) this.deps.cache.open(owner);
    else this.deps.cache.forget();
  }

  private loadRoots(): Promise<void> {
    if (this.rootsLoad) return this.rootsLoad;
    const controller = new AbortController();
    this.rootsController = controller;
    const load = (async () => {
      try {
        const found = await this.host().containers(controller.signal);
        if (controller.signal.aborted) return;
        const previous = new Map((this.roots ?? []).map((root) => [root.slug, root]));
        this.roots = found.map((container) => {
          const known = previous.get(container.slug);
          // The list is fresh now; a container stays marked only while its repositories are still the cached ones.
          const cached = this.listings.get(container.slug)?.fromCache ?? false;
          return known ? Object.assign(known, { administrator: container.administrator, cached }) : { ...container, cached };
        });
        this.rootsError = undefined;
        this.saveRoots();
        this.fire(undefined);
        void this.fillDetails(this.roots, controller.signal);
      } catch (error) {
        if (controller.signal.aborted) return;
        this.deps.logger.error(`Listing workspaces failed: ${(error as Error).message}`);
        if (!this.roots) this.rootsError = asBitbucketError(error);
        this.fire(undefined);
      } finally {
        if (this.rootsController === controller) this.rootsLoad = undefined;
      }
    })();
    this.rootsLoad = load;
    return load;
  }

  /** Replaces slugs with display names as they arrive, a few requests at a time. */
  private async fillDetails(roots: ContainerEntry[], signal: AbortSignal): Promise<void> {
    const host = this.host();
    const queue = [...roots];
    const worker = async () => {
      for (let root = queue.shift(); root && !signal.aborted; root = queue.shift()) {
        try {
          const details = await host.containerDetails(root.slug, signal);
          if (root.name !== details.name || root.webUrl !== details.webUrl) {
            root.name = details.name;
            root.webUrl = details.webUrl;
            this.fire(root.slug);
          }
        } catch (error) {
          // The slug stays; a name is a nicety. Access tokens may not read workspace details.
          this.deps.logger.debug(`No display name for ${root.slug}: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: NAME_LOOKUPS_AT_ONCE }, worker));
    if (!signal.aborted && this.roots === roots) this.saveRoots();
  }

  private saveRoots(): void {
    const roots: CachedWorkspace[] = (this.roots ?? []).map(({ slug, administrator, name }) => ({ slug, administrator, name }));
    this.deps.cache.setWorkspaces(roots);
  }

  private afterLoad(container: string, listing: WorkspaceListing, notify = true): void {
    // A load that lands after a refresh or an account switch belongs to a view that is gone.
    if (this.listings.get(container) !== listing) return;
    const error = listing.error;
    if (error) {
      this.deps.logger.error(`Loading repositories of ${container} failed: ${error.message}${error.detail ? ` (${error.detail})` : ''}`);
      if (error.kind === 'rateLimited') this.scheduleRetry(container, error.retryAfterSeconds);
    } else {
      this.rateLimitStrikes.delete(container);
      this.retryAt.delete(container);
      const snapshot = listing.snapshot(CACHED_REPOSITORIES_PER_WORKSPACE);
      if (snapshot) this.deps.cache.setListing(container, snapshot);
    }
    this.markCached(container, listing);
    if (notify) this.fire(container);
  }

  /** Waits as long as Bitbucket asked, or else longer each time (1, 2, 4 … 16 minutes): the limit is hourly. */
  private scheduleRetry(container: string, retryAfterSeconds: number | undefined): void {
    clearTimeout(this.retryTimers.get(container));
    const attempt = this.rateLimitStrikes.get(container) ?? 0;
    this.rateLimitStrikes.set(container, attempt + 1);
    const seconds = retryAfterSeconds ?? Math.min(RATE_LIMIT_PAUSE_SECONDS * 2 ** attempt, 16 * 60);
    this.retryAt.set(container, Date.now() + seconds * 1000);
    this.retryTimers.set(
      container,
      setTimeout(() => void this.retry(container), seconds * 1000),
    );
  }

  private listingFor(container: string): WorkspaceListing {
    let listing = this.listings.get(container);
    if (!listing) {
      listing = new WorkspaceListing(container, {
        first: (slug, signal) => {
          const { pageSize, sortRepositoriesBy } = this.deps.settings();
          return this.host().repositories(slug, { pageSize, sort: sortRepositoriesBy, signal });
        },
        next: (next, signal) => this.host().nextRepositories(next, signal),
      });
      this.listings.set(container, listing);
    }
    return listing;
  }

  private host(): BitbucketHost {
    const host = this.deps.host();
    if (!host) throw new BitbucketError('unauthorized', t('Sign in to Bitbucket to see your repositories.'));
    return host;
  }
}

function asBitbucketError(error: unknown): BitbucketError {
  return error instanceof BitbucketError ? error : new BitbucketError('invalidResponse', (error as Error).message);
}
