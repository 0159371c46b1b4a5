/**
 * The Bitbucket view: draws each account's repositories model. With one account its workspaces are the
 * roots, as they always were; with two or more the accounts are, each expanding to its workspaces. Every
 * load shows progress in the view and ends in nodes: repositories, an error with Retry, or "No
 * repositories". The state itself lives in the models.
 */
import * as vscode from 'vscode';
import { BitbucketError } from '../bitbucket/errors';
import { Logger } from '../common/logger';
import { Account, Accounts } from '../auth/accounts';
import { AccountContainer, AccountModels } from './accountModels';
import { AccountNode, LoadMoreNode, MessageNode, TreeNode, WorkspaceNode } from './nodes';
import { ContainerEntry, RepositoriesModel } from './repositoriesModel';
import { LEGACY_CACHE_KEY } from './treeCache';
import { WorkspaceListing } from './workspaceListing';

export const REPOSITORIES_VIEW_ID = 'bitbucket.repositories';

export type AccountWorkspace = AccountContainer<Account>;

export class RepositoriesTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly models: AccountModels<Account>;
  /** One node per account and per account's workspace, kept across redraws so that reveal and selection survive. */
  private readonly accountNodes = new Map<string, AccountNode>();
  private readonly nodes = new Map<string, WorkspaceNode>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly accounts: Accounts,
    memento: vscode.Memento,
    logger: Logger,
  ) {
    // The one cache of versions before several accounts; each account now keeps its own.
    if (memento.get(LEGACY_CACHE_KEY) !== undefined) void memento.update(LEGACY_CACHE_KEY, undefined);
    this.models = new AccountModels<Account>({
      memento,
      settings: () => accounts.settings,
      logger,
      track: (task) => this.withViewProgress(task),
    });
    const modelChanged = this.models.onDidChange((accountId, container) => {
      if (container === undefined) {
        this.describeAccount(accountId);
        this.changed.fire(undefined);
        return;
      }
      // A workspace not drawn yet (listed for a command before the view opened) needs no redraw.
      const node = this.updatedNode(accountId, container);
      if (node) this.changed.fire(node);
    });
    this.disposables.push(
      this.changed,
      { dispose: () => modelChanged.dispose() },
      accounts.onDidChange((change) => this.follow(change.settingsChanged)),
    );
    void accounts.ready.then(() => this.follow(false));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    await this.accounts.ready;
    this.models.sync(this.accounts.all);
    if (!node) return this.rootChildren();
    if (node instanceof AccountNode) return this.accountChildren(node);
    if (node instanceof WorkspaceNode) {
      const model = this.models.model(node.accountId);
      return model ? this.draw(node, await model.repositories(node.slug)) : [];
    }
    return [];
  }

  /** Reloads everything shown; a reload in flight is cancelled by this one. */
  refresh(): void {
    this.nodes.clear();
    this.models.resetAll();
  }

  /** Fetches the next page of one workspace and appends it. */
  loadMore(workspace: WorkspaceNode): Promise<void> {
    return this.models.model(workspace.accountId)?.loadMore(workspace.slug) ?? Promise.resolve();
  }

  /** Retries whatever failed under a workspace, or an account's (or the only account's) workspace list. */
  retry(target?: WorkspaceNode | AccountNode): Promise<void> {
    if (target instanceof WorkspaceNode) return this.models.model(target.accountId)?.retry(target.slug) ?? Promise.resolve();
    const accountId = target?.accountId ?? this.accounts.all[0]?.id;
    return (accountId && this.models.model(accountId)?.retry()) || Promise.resolve();
  }

  /** Every usable account's workspaces, loading them if needed; throws why when none could be listed. */
  async workspaces(): Promise<AccountWorkspace[]> {
    await this.accounts.ready;
    this.models.sync(this.accounts.all);
    if (this.accounts.usable.length === 0) {
      throw new BitbucketError(
        'unauthorized',
        this.accounts.all.length
          ? vscode.l10n.t('Bitbucket no longer accepts your token. Sign in again.')
          : vscode.l10n.t('Sign in to Bitbucket first.'),
      );
    }
    return this.models.containersOfAll();
  }

  /** The node drawn for a workspace of an account, if any. */
  workspaceNodeFor(accountId: string, slug: string): WorkspaceNode | undefined {
    return this.nodes.get(nodeKey(accountId, slug));
  }

  dispose(): void {
    void this.models.flush();
    this.models.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }

  /** Accounts were added, changed, refused or removed, or settings changed: follow, and redraw. */
  private follow(settingsChanged: boolean): void {
    const changed = new Set(this.models.sync(this.accounts.all));
    for (const id of [...this.accountNodes.keys()]) {
      if (!this.accounts.get(id)) this.accountNodes.delete(id);
    }
    // Nodes of a changed or removed account belong to its old model.
    for (const [key, node] of this.nodes) if (changed.has(node.accountId)) this.nodes.delete(key);
    if (settingsChanged) this.refresh();
    this.changed.fire(undefined);
  }

  private async rootChildren(): Promise<TreeNode[]> {
    const all = this.accounts.all;
    if (all.length === 0) return []; // the welcome view takes over
    if (all.length === 1) {
      const [only] = all;
      if (only.state !== 'signedIn') return []; // the welcome view asks to sign in again
      return this.containerNodes(only, undefined);
    }
    return all.map((account) => {
      const node = this.accountNode(account);
      // Each account's workspaces load at once (one request each), so every root can say what it reaches.
      if (account.state === 'signedIn' && !node.reaches) void this.models.model(account.id)?.rootsState();
      return node;
    });
  }

  private async accountChildren(node: AccountNode): Promise<TreeNode[]> {
    const account = this.accounts.get(node.accountId);
    if (!account) return [];
    if (account.state !== 'signedIn') {
      return [
        new MessageNode(
          node,
          'expired',
          vscode.l10n.t('Bitbucket no longer accepts this token. Click to sign in again; nothing was deleted.'),
        ),
      ];
    }
    return this.containerNodes(account, node);
  }

  private async containerNodes(account: Account, parent: AccountNode | undefined): Promise<TreeNode[]> {
    const model = this.models.model(account.id);
    if (!model) return [];
    const state = await model.rootsState();
    if ('error' in state) return [new MessageNode(parent, 'error', state.error.message, state.error)];
    if (!state.containers) return []; // cancelled by a reset; the redraw it asked for lists them
    if (state.containers.length === 0) {
      const projects = account.summary.kind === 'dataCenterToken';
      const message = projects
        ? vscode.l10n.t('This token reaches no project.')
        : vscode.l10n.t('This account belongs to no workspace yet.');
      return [new MessageNode(parent, 'empty', message)];
    }
    return state.containers.map((entry) => this.workspaceNode(account.id, entry, parent));
  }

  private accountNode(account: Account): AccountNode {
    let node = this.accountNodes.get(account.id);
    if (!node) {
      node = new AccountNode(account.id, account.label, account.state, account.summary.kind);
      this.accountNodes.set(account.id, node);
    }
    node.reaches = this.models
      .model(account.id)
      ?.listed()
      ?.map((entry) => entry.slug);
    node.label = account.label;
    node.state = account.state;
    node.kind = account.summary.kind;
    return node;
  }

  /** Puts the containers an account reaches beside its name, once they are listed. */
  private describeAccount(accountId: string): void {
    const node = this.accountNodes.get(accountId);
    if (node) {
      node.reaches = this.models
        .model(accountId)
        ?.listed()
        ?.map((entry) => entry.slug);
    }
  }

  /** A workspace's node, if drawn, brought up to date for a redraw of that node alone. */
  private updatedNode(accountId: string, container: string): WorkspaceNode | undefined {
    const entry = this.models.model(accountId)?.entry(container);
    const node = this.nodes.get(nodeKey(accountId, container));
    if (entry && node) this.sync(node, entry);
    return node;
  }

  /** The node of a workspace, made once and brought up to date with what the model knows of it. */
  private workspaceNode(accountId: string, entry: ContainerEntry, parent: AccountNode | undefined): WorkspaceNode {
    const key = nodeKey(accountId, entry.slug);
    let node = this.nodes.get(key);
    if (!node || node.parent !== parent) {
      node = new WorkspaceNode(accountId, entry.slug, entry.administrator, parent);
      // Data Center keeps repositories in projects: the rows say so.
      if (this.accounts.get(accountId)?.summary.kind === 'dataCenterToken') node.noun = 'project';
      this.nodes.set(key, node);
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
          ? new MessageNode(workspace, 'rateLimited', this.rateLimitMessage(workspace), error)
          : new MessageNode(workspace, 'error', error.message, error),
      );
    } else if (listing.loaded && listing.repositories.length === 0) {
      const message =
        workspace.noun === 'project'
          ? vscode.l10n.t('No repositories in this project.')
          : vscode.l10n.t('No repositories in this workspace.');
      nodes.push(new MessageNode(workspace, 'empty', message));
    }
    if (listing.hasMore && !error) nodes.push(new LoadMoreNode(workspace, listing.repositories.length, listing.size));
    return nodes;
  }

  private rateLimitMessage(workspace: WorkspaceNode): string {
    const at = this.models.model(workspace.accountId)?.retriesAt(workspace.slug);
    if (!at) return vscode.l10n.t("Bitbucket's rate limit is reached. Trying again shortly; click to try now.");
    const time = new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
    return vscode.l10n.t("Bitbucket's rate limit is reached. Trying again at {0}; click to try now.", time);
  }

  private withViewProgress<T>(task: Promise<T>): Promise<T> {
    return Promise.resolve(vscode.window.withProgress({ location: { viewId: REPOSITORIES_VIEW_ID } }, () => task));
  }
}

function nodeKey(accountId: string, slug: string): string {
  return `${accountId}\u0000${slug}`;
}

/** The model of the account a node belongs to (for commands). */
export function modelOf(provider: RepositoriesTreeProvider, node: WorkspaceNode): RepositoriesModel | undefined {
  return provider.models.model(node.accountId);
}
