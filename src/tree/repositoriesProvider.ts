/**
 * The Bitbucket view: workspaces as roots, their repositories page by page below them. Every load shows
 * progress in the view, ends in nodes (repositories, an error with Retry, or "No repositories"), and
 * touches only the workspace it is for.
 */
import * as vscode from 'vscode';
import { BitbucketError } from '../bitbucket/errors';
import { Logger } from '../common/logger';
import { BitbucketHost, HostedRepository } from '../host/types';
import { Session } from '../auth/session';
import { CACHED_REPOSITORIES_PER_WORKSPACE, CachedWorkspace, TreeCache } from './treeCache';
import { LoadMoreNode, MessageNode, RepositoryNode, TreeNode, WorkspaceNode } from './nodes';
import { WorkspaceListing } from './workspaceListing';

export const REPOSITORIES_VIEW_ID = 'bitbucket.repositories';
const NAME_LOOKUPS_AT_ONCE = 4;
/** Without Retry-After, a rate-limited workspace first tries again after this long, then doubles it. */
const RATE_LIMIT_PAUSE_SECONDS = 60;

export class RepositoriesTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  private roots: WorkspaceNode[] | undefined;
  private rootsError: BitbucketError | undefined;
  private rootsLoad: Promise<void> | undefined;
  private rootsController: AbortController | undefined;
  private readonly listings = new Map<string, WorkspaceListing>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private readonly retryAt = new Map<string, number>();
  private readonly rateLimitStrikes = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly session: Session,
    private readonly cache: TreeCache,
    private readonly logger: Logger,
  ) {
    this.disposables.push(
      this.changed,
      session.onDidChange(() => this.reset()),
    );
    this.openCache();
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    await this.session.ready;
    if (this.session.state !== 'signedIn') return []; // the welcome view takes over
    if (!node) return this.rootChildren();
    if (node instanceof WorkspaceNode) return this.workspaceChildren(node);
    return [];
  }

  /** Reloads everything shown; a reload in flight is cancelled by this one. */
  refresh(): void {
    this.reset();
  }

  /** Fetches the next page of one workspace and appends it. */
  async loadMore(workspace: WorkspaceNode): Promise<void> {
    const listing = this.listingFor(workspace.slug);
    this.changed.fire(workspace);
    await this.withViewProgress(listing.loadMore());
    this.afterLoad(workspace, listing);
  }

  /** Retries whatever failed under a workspace, or the workspace list itself. */
  async retry(workspace?: WorkspaceNode): Promise<void> {
    if (!workspace) {
      this.rootsError = undefined;
      this.roots = undefined;
      this.changed.fire(undefined);
      return;
    }
    clearTimeout(this.retryTimers.get(workspace.slug));
    this.retryTimers.delete(workspace.slug);
    const listing = this.listingFor(workspace.slug);
    // A failed first page, or a cached list whose revalidation failed, starts over; a failed later page resumes.
    const resume = listing.loaded && !listing.fromCache;
    await this.withViewProgress(resume ? listing.loadMore() : listing.reload());
    this.afterLoad(workspace, listing);
  }

  /** The workspaces shown now, loading them if needed; throws why when they could not be listed. */
  async workspaces(): Promise<WorkspaceNode[]> {
    if (this.session.state !== 'signedIn') {
      throw new BitbucketError('unauthorized', 'Sign in to Bitbucket first.');
    }
    const children = await this.getChildren();
    if (this.rootsError) throw this.rootsError;
    return children.filter((child): child is WorkspaceNode => child instanceof WorkspaceNode);
  }

  /** Shows a repository just created at the top of its workspace without reloading the rest. */
  addRepository(workspaceSlug: string, repository: HostedRepository): RepositoryNode | undefined {
    const workspace = this.roots?.find((root) => root.slug === workspaceSlug);
    const listing = this.listings.get(workspaceSlug);
    if (!workspace || !listing) return undefined;
    listing.prepend(repository);
    this.changed.fire(workspace);
    return workspace.nodeFor(repository);
  }

  dispose(): void {
    this.cancelAll();
    void this.cache.flush();
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private reset(): void {
    this.cancelAll();
    this.roots = undefined;
    this.rootsError = undefined;
    this.listings.clear();
    // Signed out here or in another window: what this window holds must not be written back.
    if (this.session.state === 'signedOut') this.cache.forget();
    else this.openCache();
    this.changed.fire(undefined);
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
    const stored = this.session.stored;
    if (!stored) return;
    try {
      this.cache.open(`${stored.account.id}@${this.session.settings.apiUrl}`);
    } catch {
      // An unusable bitbucket.apiUrl has no cache; the tree's first load shows the setting's error as a node.
      this.cache.forget();
    }
  }

  private async rootChildren(): Promise<TreeNode[]> {
    if (!this.roots && !this.rootsError) {
      const cached = this.cache.workspaces();
      if (cached) {
        this.roots = cached.map((entry) => this.workspaceNode(entry));
        this.roots.forEach((root) => (root.cached = true));
        void this.loadRoots(); // revalidate behind what is shown
      } else {
        await this.withViewProgress(this.loadRoots());
      }
    }
    if (this.rootsError) return [new MessageNode(undefined, 'error', this.rootsError.message, this.rootsError)];
    if (this.roots && this.roots.length === 0) {
      return [new MessageNode(undefined, 'empty', 'Your account belongs to no workspace yet.')];
    }
    return this.roots ?? [];
  }

  private loadRoots(): Promise<void> {
    if (this.rootsLoad) return this.rootsLoad;
    const controller = new AbortController();
    this.rootsController = controller;
    const load = (async () => {
      try {
        const entries = await this.fetchWorkspaces(controller.signal);
        if (controller.signal.aborted) return;
        const previous = new Map((this.roots ?? []).map((root) => [root.slug, root]));
        this.roots = entries.map((entry) => previous.get(entry.slug) ?? this.workspaceNode(entry));
        // The list is fresh now; a workspace stays marked only while its repositories are still the cached ones.
        for (const root of this.roots) root.cached = this.listings.get(root.slug)?.fromCache ?? false;
        this.rootsError = undefined;
        this.cache.setWorkspaces(entries.map((entry) => ({ ...entry, name: previous.get(entry.slug)?.displayName ?? entry.name })));
        this.changed.fire(undefined);
        void this.fillDisplayNames(this.roots, controller.signal);
      } catch (error) {
        if (controller.signal.aborted) return;
        this.logger.error(`Listing workspaces failed: ${(error as Error).message}`);
        if (!this.roots) this.rootsError = asBitbucketError(error);
        this.changed.fire(undefined);
      } finally {
        if (this.rootsController === controller) this.rootsLoad = undefined;
      }
    })();
    this.rootsLoad = load;
    return load;
  }

  private fetchWorkspaces(signal: AbortSignal): Promise<CachedWorkspace[]> {
    return this.host().containers(signal);
  }

  /** Replaces slugs with display names as they arrive, a few requests at a time. */
  private async fillDisplayNames(roots: WorkspaceNode[], signal: AbortSignal): Promise<void> {
    const host = this.host();
    const queue = [...roots];
    const worker = async () => {
      for (let root = queue.shift(); root && !signal.aborted; root = queue.shift()) {
        try {
          const workspace = await host.containerDetails(root.slug, signal);
          root.htmlUrl = workspace.webUrl;
          if (root.displayName !== workspace.name) {
            root.displayName = workspace.name;
            this.changed.fire(root);
          }
        } catch (error) {
          // The slug stays; a name is a nicety. Access tokens may not read workspace details.
          this.logger.debug(`No display name for ${root.slug}: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: NAME_LOOKUPS_AT_ONCE }, worker));
    if (!signal.aborted && this.roots === roots) {
      this.cache.setWorkspaces(roots.map((root) => ({ slug: root.slug, administrator: root.administrator, name: root.displayName })));
    }
  }

  private async workspaceChildren(workspace: WorkspaceNode): Promise<TreeNode[]> {
    const listing = this.listingFor(workspace.slug);
    if (!listing.loaded && !listing.loading) {
      const snapshot = this.cache.listing(workspace.slug);
      if (snapshot) {
        listing.restore(snapshot);
        void listing.reload().then(() => this.afterLoad(workspace, listing));
      } else {
        await this.withViewProgress(listing.reload());
        this.afterLoad(workspace, listing, false);
      }
    } else if (!listing.loaded) {
      await this.withViewProgress(listing.ensureLoaded());
    }
    workspace.cached = listing.fromCache;
    return this.draw(workspace, listing);
  }

  private draw(workspace: WorkspaceNode, listing: WorkspaceListing): TreeNode[] {
    const nodes: TreeNode[] = listing.repositories.map((repository) => workspace.nodeFor(repository));
    const error = listing.error;
    if (error) {
      nodes.push(
        error.kind === 'rateLimited'
          ? new MessageNode(workspace, 'rateLimited', this.rateLimitMessage(workspace), error)
          : new MessageNode(workspace, 'error', error.message, error),
      );
    } else if (listing.loaded && listing.repositories.length === 0) {
      nodes.push(new MessageNode(workspace, 'empty', 'No repositories in this workspace.'));
    }
    if (listing.hasMore && !error) nodes.push(new LoadMoreNode(workspace, listing.repositories.length, listing.size));
    return nodes;
  }

  private afterLoad(workspace: WorkspaceNode, listing: WorkspaceListing, redraw = true): void {
    // A load that lands after a refresh or an account switch belongs to a tree that is gone.
    if (this.listings.get(workspace.slug) !== listing) return;
    const error = listing.error;
    if (error) {
      this.logger.error(`Loading repositories of ${workspace.slug} failed: ${error.message}${error.detail ? ` (${error.detail})` : ''}`);
      if (error.kind === 'rateLimited') this.scheduleRetry(workspace, error.retryAfterSeconds);
    } else {
      this.rateLimitStrikes.delete(workspace.slug);
      this.retryAt.delete(workspace.slug);
      const snapshot = listing.snapshot(CACHED_REPOSITORIES_PER_WORKSPACE);
      if (snapshot) this.cache.setListing(workspace.slug, snapshot);
    }
    workspace.cached = listing.fromCache;
    if (redraw) this.changed.fire(workspace);
  }

  private rateLimitMessage(workspace: WorkspaceNode): string {
    const at = this.retryAt.get(workspace.slug);
    const time = at ? new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : 'shortly';
    return `Bitbucket's rate limit is reached. Trying again at ${time}; click to try now.`;
  }

  /** Waits as long as Bitbucket asked, or else longer each time (1, 2, 4 … 16 minutes): the limit is hourly. */
  private scheduleRetry(workspace: WorkspaceNode, retryAfterSeconds: number | undefined): void {
    clearTimeout(this.retryTimers.get(workspace.slug));
    const attempt = this.rateLimitStrikes.get(workspace.slug) ?? 0;
    this.rateLimitStrikes.set(workspace.slug, attempt + 1);
    const seconds = retryAfterSeconds ?? Math.min(RATE_LIMIT_PAUSE_SECONDS * 2 ** attempt, 16 * 60);
    this.retryAt.set(workspace.slug, Date.now() + seconds * 1000);
    this.retryTimers.set(
      workspace.slug,
      setTimeout(() => void this.retry(workspace), seconds * 1000),
    );
  }

  private listingFor(slug: string): WorkspaceListing {
    let listing = this.listings.get(slug);
    if (!listing) {
      listing = new WorkspaceListing(slug, {
        first: (workspace, signal) => this.firstPage(workspace, signal),
        next: (next, signal) => this.host().nextRepositories(next, signal),
      });
      this.listings.set(slug, listing);
    }
    return listing;
  }

  private async firstPage(workspace: string, signal: AbortSignal) {
    const { pageSize, sortRepositoriesBy } = this.session.settings;
    return this.host().repositories(workspace, { pageSize, sort: sortRepositoriesBy, signal });
  }

  private workspaceNode(entry: CachedWorkspace): WorkspaceNode {
    const node = new WorkspaceNode(entry.slug, entry.administrator);
    node.displayName = entry.name;
    return node;
  }

  private host(): BitbucketHost {
    const host = this.session.host();
    if (!host) throw new BitbucketError('unauthorized', 'Sign in to Bitbucket to see your repositories.');
    return host;
  }

  private withViewProgress<T>(task: Promise<T>): Promise<T> {
    return Promise.resolve(vscode.window.withProgress({ location: { viewId: REPOSITORIES_VIEW_ID } }, () => task));
  }
}

function asBitbucketError(error: unknown): BitbucketError {
  return error instanceof BitbucketError ? error : new BitbucketError('invalidResponse', (error as Error).message);
}
