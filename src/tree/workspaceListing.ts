/**
 * The repositories of one workspace as the tree has loaded them: page after page, following `next`.
 * Failures are kept as state for the tree to draw, never thrown at it. No `vscode` import.
 */
import { BitbucketError } from '../bitbucket/errors';
import { t } from '../common/l10n';
import { HostedRepository, RepositoryPage } from '../host/types';

/** Where pages come from; the tree passes the signed-in client with the current settings. */
export interface RepositoryPages {
  first(workspace: string, signal: AbortSignal): Promise<RepositoryPage>;
  next(nextUrl: string, signal: AbortSignal): Promise<RepositoryPage>;
}

/** A snapshot kept between sessions. Holds no credential. */
export interface ListingSnapshot {
  readonly repositories: readonly HostedRepository[];
  readonly next?: string;
  readonly size?: number;
  readonly savedAt: number;
}

export class WorkspaceListing {
  private items: HostedRepository[] = [];
  private nextUrl: string | undefined;
  private total: number | undefined;
  private failure: BitbucketError | undefined;
  private inFlight: Promise<void> | undefined;
  private controller: AbortController | undefined;
  private loadedOnce = false;
  /** True while what is shown came from the cache and has not been revalidated yet. */
  fromCache = false;

  constructor(
    readonly workspace: string,
    private readonly pages: RepositoryPages,
  ) {}

  get repositories(): readonly HostedRepository[] {
    return this.items;
  }
  get hasMore(): boolean {
    return this.nextUrl !== undefined;
  }
  get size(): number | undefined {
    return this.total;
  }
  get error(): BitbucketError | undefined {
    return this.failure;
  }
  get loading(): boolean {
    return this.inFlight !== undefined;
  }
  get loaded(): boolean {
    return this.loadedOnce;
  }

  restore(snapshot: ListingSnapshot): void {
    this.items = [...snapshot.repositories];
    this.nextUrl = snapshot.next;
    this.total = snapshot.size;
    this.fromCache = true;
    this.loadedOnce = true;
  }

  snapshot(limit: number): ListingSnapshot | undefined {
    if (!this.loadedOnce || this.fromCache) return undefined;
    const repositories = this.items.slice(0, limit);
    // A truncated snapshot cannot resume from the live `next`; it starts over on Load more instead.
    const next = repositories.length === this.items.length ? this.nextUrl : undefined;
    return { repositories, next, size: this.total, savedAt: Date.now() };
  }

  /** (Re)loads the first page, replacing what is shown when it arrives; cancels any load in flight. */
  reload(): Promise<void> {
    this.cancel();
    return this.run(async (signal) => {
      const page = await this.pages.first(this.workspace, signal);
      this.items = [...page.values];
      this.nextUrl = page.next;
      this.total = page.size;
      this.fromCache = false;
      this.loadedOnce = true;
    });
  }

  /** Appends the next page. A second call while one is loading joins it instead of asking again. */
  loadMore(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const nextUrl = this.nextUrl;
    if (!nextUrl) return this.loadedOnce ? Promise.resolve() : this.reload();
    return this.run(async (signal) => {
      const page = await this.pages.next(nextUrl, signal);
      const seen = new Set(this.items.map(identity));
      this.items = [...this.items, ...page.values.filter((repository) => !seen.has(identity(repository)))];
      this.nextUrl = page.next;
      this.total = page.size ?? this.total;
    });
  }

  /** Loads the first page unless something is shown already. */
  ensureLoaded(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    return this.loadedOnce ? Promise.resolve() : this.reload();
  }

  /** Puts a repository first, e.g. one just created, without reloading the rest. */
  prepend(repository: HostedRepository): void {
    this.items = [repository, ...this.items.filter((item) => identity(item) !== identity(repository))];
    if (this.total !== undefined) this.total++;
  }

  cancel(): void {
    this.controller?.abort();
    this.controller = undefined;
    this.inFlight = undefined;
  }

  private run(load: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    const task = (async () => {
      try {
        await load(controller.signal);
        if (!controller.signal.aborted) this.failure = undefined;
      } catch (error) {
        if (controller.signal.aborted) return;
        this.failure =
          error instanceof BitbucketError
            ? error
            : new BitbucketError('invalidResponse', t('Loading {0} failed: {1}', this.workspace, (error as Error).message));
      } finally {
        if (this.controller === controller) {
          this.controller = undefined;
          this.inFlight = undefined;
        }
      }
    })();
    this.inFlight = task;
    return task;
  }
}

function identity(repository: HostedRepository): string {
  return repository.id;
}
