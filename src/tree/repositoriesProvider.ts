/**
 * The Bitbucket view: draws the repositories model (workspaces as roots, their repositories page by page
 * below them) as tree nodes. Every load shows progress in the view and ends in nodes: repositories, an
 * error with Retry, or "No repositories". The state itself lives in the model.
 */
import * as vscode from 'vscode';
import { BitbucketError } from '../bitbucket/errors';
import { Logger } from '../common/logger';
import { Session } from '../auth/session';
import { TreeCache } from './treeCache';
import { LoadMoreNode, MessageNode, TreeNode, WorkspaceNode } from './nodes';
import { ContainerEntry, RepositoriesModel } from './repositoriesModel';
import { WorkspaceListing } from './workspaceListing';

export const REPOSITORIES_VIEW_ID = 'bitbucket.repositories';

export class RepositoriesTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly model: RepositoriesModel;
  /** One node per workspace, kept across redraws so that reveal and selection survive them. */
  private readonly nodes = new Map<string, WorkspaceNode>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly session: Session,
    private readonly cache: TreeCache,
    logger: Logger,
  ) {
    this.model = new RepositoriesModel({
      host: () => session.host(),
      cacheOwner: () => {
        const stored = session.stored;
        return stored && `${stored.account.id}@${session.settings.apiUrl}`;
      },
      settings: () => session.settings,
      cache,
      logger,
      track: (task) => this.withViewProgress(task),
    });
    const modelChanged = this.model.onDidChange((container) => {
      if (container === undefined) this.changed.fire(undefined);
      else {
        // A workspace not drawn yet (listed for a command before the view opened) needs no redraw.
        const node = this.updatedNode(container);
        if (node) this.changed.fire(node);
      }
    });
    this.disposables.push(
      this.changed,
      { dispose: () => modelChanged.dispose() },
      session.onDidChange(() => this.reset()),
    );
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
    if (node instanceof WorkspaceNode) return this.draw(node, await this.model.repositories(node.slug));
    return [];
  }

  /** Reloads everything shown; a reload in flight is cancelled by this one. */
  refresh(): void {
    this.reset();
  }

  /** Fetches the next page of one workspace and appends it. */
  loadMore(workspace: WorkspaceNode): Promise<void> {
    return this.model.loadMore(workspace.slug);
  }

  /** Retries whatever failed under a workspace, or the workspace list itself. */
  retry(workspace?: WorkspaceNode): Promise<void> {
    return this.model.retry(workspace?.slug);
  }

  /** The workspaces shown now, loading them if needed; throws why when they could not be listed. */
  async workspaces(): Promise<WorkspaceNode[]> {
    if (this.session.state !== 'signedIn') {
      throw new BitbucketError('unauthorized', 'Sign in to Bitbucket first.');
    }
    return (await this.model.containers()).map((entry) => this.workspaceNode(entry));
  }

  dispose(): void {
    this.model.dispose();
    void this.cache.flush();
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private reset(): void {
    this.nodes.clear();
    this.model.reset(this.session.state === 'signedOut');
  }

  private async rootChildren(): Promise<TreeNode[]> {
    const state = await this.model.rootsState();
    if ('error' in state) return [new MessageNode(undefined, 'error', state.error.message, state.error)];
    if (!state.containers) return []; // cancelled by a reset; the redraw it asked for lists them
    if (state.containers.length === 0) return [new MessageNode(undefined, 'empty', 'Your account belongs to no workspace yet.')];
    return state.containers.map((entry) => this.workspaceNode(entry));
  }

  /** A workspace's node, if drawn, brought up to date for a redraw of that node alone. */
  private updatedNode(container: string): WorkspaceNode | undefined {
    const entry = this.model.entry(container);
    const node = this.nodes.get(container);
    if (entry && node) this.sync(node, entry);
    return node;
  }

  /** The node of a workspace, made once and brought up to date with what the model knows of it. */
  private workspaceNode(entry: ContainerEntry): WorkspaceNode {
    let node = this.nodes.get(entry.slug);
    if (!node) {
      node = new WorkspaceNode(entry.slug, entry.administrator);
      this.nodes.set(entry.slug, node);
    }
    this.sync(node, entry);
    return node;
  }

  private sync(node: WorkspaceNode, entry: ContainerEntry): void {
    node.administrator = entry.administrator;
    node.displayName = entry.name;
    node.htmlUrl = entry.webUrl;
    node.cached = entry.cached;
  }

  private draw(workspace: WorkspaceNode, listing: WorkspaceListing): TreeNode[] {
    workspace.cached = listing.fromCache;
    const nodes: TreeNode[] = listing.repositories.map((repository) => workspace.nodeFor(repository));
    const error = listing.error;
    if (error) {
      nodes.push(
        error.kind === 'rateLimited'
          ? new MessageNode(workspace, 'rateLimited', this.rateLimitMessage(workspace.slug), error)
          : new MessageNode(workspace, 'error', error.message, error),
      );
    } else if (listing.loaded && listing.repositories.length === 0) {
      nodes.push(new MessageNode(workspace, 'empty', 'No repositories in this workspace.'));
    }
    if (listing.hasMore && !error) nodes.push(new LoadMoreNode(workspace, listing.repositories.length, listing.size));
    return nodes;
  }

  private rateLimitMessage(container: string): string {
    const at = this.model.retriesAt(container);
    const time = at ? new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : 'shortly';
    return `Bitbucket's rate limit is reached. Trying again at ${time}; click to try now.`;
  }

  private withViewProgress<T>(task: Promise<T>): Promise<T> {
    return Promise.resolve(vscode.window.withProgress({ location: { viewId: REPOSITORIES_VIEW_ID } }, () => task));
  }
}
