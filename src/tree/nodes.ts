/**
 * One class per kind of node in the Bitbucket view. Each draws its own TreeItem; the provider decides
 * which children a workspace has.
 */
import * as vscode from 'vscode';
import { BitbucketError } from '../bitbucket/errors';
import { webLink } from '../host/links';
import { HostedRepository } from '../host/types';
import { Commands, InternalCommands } from '../common/commandIds';
import { fromNow } from './relativeTime';

export abstract class TreeNode {
  constructor(readonly parent: TreeNode | undefined) {}
  abstract getTreeItem(): vscode.TreeItem;
}

/** With two or more accounts, each is a root and its workspaces are its children. */
export class AccountNode extends TreeNode {
  /** The containers it reaches, once listed: shown beside its name. */
  reaches: readonly string[] | undefined;

  constructor(
    readonly accountId: string,
    public label: string,
    public state: 'signedIn' | 'expired',
    /** 'apiToken', 'accessToken' or 'dataCenterToken': which kind of credential it signed in with. */
    public kind: string,
  ) {
    super(undefined);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `account:${this.accountId}`;
    const expired = this.state === 'expired';
    const projects = this.kind === 'dataCenterToken';
    item.description = expired ? 'sign in again' : this.reaches ? reachDescription(this.reaches, projects) : undefined;
    item.tooltip = [
      this.label,
      projects ? 'Bitbucket Data Center, HTTP access token' : this.kind === 'accessToken' ? 'Access token' : 'API token',
      expired ? 'Bitbucket no longer accepts its token. Nothing was deleted.' : undefined,
      this.reaches ? `${projects ? 'Projects' : 'Workspaces'}: ${this.reaches.join(', ') || 'none'}` : undefined,
    ]
      .filter(Boolean)
      .join('\n');
    item.iconPath = new vscode.ThemeIcon(expired ? 'warning' : 'account');
    item.contextValue = expired ? 'account.expired' : 'account';
    const reach = this.reaches
      ? `, ${this.reaches.length} ${projects ? 'project' : 'workspace'}${this.reaches.length === 1 ? '' : 's'}`
      : '';
    item.accessibilityInformation = {
      label: `Account ${this.label}, ${expired ? 'no longer accepted, sign in again' : `signed in${reach}`}`,
    };
    return item;
  }
}

function reachDescription(containers: readonly string[], projects: boolean): string {
  if (containers.length === 0) return projects ? 'no project' : 'no workspace';
  const shown = containers.slice(0, 3).join(', ');
  return containers.length > 3 ? `${shown} +${containers.length - 3}` : shown;
}

export class WorkspaceNode extends TreeNode {
  /** What the host calls it: a workspace on Cloud, a project on Data Center. */
  noun: 'workspace' | 'project' = 'workspace';
  /** Filled in from `/workspaces/{slug}` after the list shows; never holds the list back. */
  displayName: string | undefined;
  /** The workspace's page on Bitbucket, from `/workspaces/{slug}`. */
  htmlUrl: string | undefined;
  /** True while the children shown came from the cache and are being revalidated. */
  cached = false;
  private readonly repositoryNodes = new Map<string, RepositoryNode>();

  constructor(
    /** The account whose listing this is: a workspace two accounts reach has a node under each. */
    readonly accountId: string,
    readonly slug: string,
    /** Whether the account may administer it; the list's revalidation may change it. */
    public administrator: boolean,
    parent: AccountNode | undefined,
  ) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const name = this.displayName ?? this.slug;
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `workspace:${this.accountId}:${this.slug}`;
    item.description = [this.displayName && this.displayName !== this.slug ? this.slug : undefined, this.cached ? 'cached' : undefined]
      .filter(Boolean)
      .join(' · ');
    const administers = this.noun === 'project' ? 'You may create repositories in this project.' : 'You administer this workspace.';
    item.tooltip = `${this.displayName ?? this.slug} (${this.slug})${this.administrator ? `\n${administers}` : ''}`;
    item.iconPath = new vscode.ThemeIcon(this.noun === 'project' ? 'project' : 'organization');
    item.contextValue = 'workspace';
    item.accessibilityInformation = {
      label: `${this.noun === 'project' ? 'Project' : 'Workspace'} ${name}${item.description ? `, ${item.description}` : ''}`,
    };
    return item;
  }

  /** The same node object for the same repository, so reveal and selection survive a redraw. */
  nodeFor(repository: HostedRepository): RepositoryNode {
    const key = repository.id;
    let node = this.repositoryNodes.get(key);
    if (node) {
      node.repository = repository;
    } else {
      node = new RepositoryNode(this, repository);
      this.repositoryNodes.set(key, node);
    }
    return node;
  }

  findRepository(slug: string): RepositoryNode | undefined {
    return [...this.repositoryNodes.values()].find((node) => node.repository.slug === slug);
  }
}

export class RepositoryNode extends TreeNode {
  constructor(
    readonly workspace: WorkspaceNode,
    public repository: HostedRepository,
  ) {
    super(workspace);
  }

  getTreeItem(): vscode.TreeItem {
    const repo = this.repository;
    const item = new vscode.TreeItem(repo.name, vscode.TreeItemCollapsibleState.None);
    item.id = `repository:${this.workspace.accountId}:${repo.fullName}`;
    // On Data Center the project is the row above (the container itself): naming it again says nothing.
    const project = this.workspace.noun === 'project' ? undefined : repo.project?.name;
    item.description = [project, fromNow(repo.updatedOn)].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(repo.isPrivate ? 'lock' : 'repo');
    item.contextValue = 'repository';
    item.tooltip = repositoryTooltip(repo);
    item.accessibilityInformation = {
      label: `${repo.isPrivate ? 'Private' : 'Public'} repository ${repo.fullName}${item.description ? `, ${item.description}` : ''}`,
    };
    return item;
  }
}

export class LoadMoreNode extends TreeNode {
  constructor(
    readonly workspace: WorkspaceNode,
    private readonly shown: number,
    private readonly total: number | undefined,
  ) {
    super(workspace);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
    item.id = `load-more:${this.workspace.accountId}:${this.workspace.slug}`;
    item.description = this.total === undefined ? `${this.shown} shown` : `${this.shown} of ${this.total.toLocaleString('en')}`;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = 'loadMore';
    item.command = { command: InternalCommands.loadMore, title: 'Load More', arguments: [this.workspace] };
    const where = this.workspace.displayName ?? this.workspace.slug;
    const shown = this.total === undefined ? `${this.shown} shown` : `${this.shown} of ${this.total.toLocaleString('en')} shown`;
    item.accessibilityInformation = { label: `Load more repositories of ${where}, ${shown}` };
    return item;
  }
}

export type MessageKind = 'error' | 'empty' | 'rateLimited' | 'expired';

/** An error, an empty result or a wait, shown in place instead of a pop-up. */
export class MessageNode extends TreeNode {
  constructor(
    parent: WorkspaceNode | AccountNode | undefined,
    readonly kind: MessageKind,
    readonly message: string,
    readonly error?: BitbucketError,
  ) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.message, vscode.TreeItemCollapsibleState.None);
    item.id = `message:${messageOwner(this.parent)}:${this.kind}`;
    item.tooltip = this.error?.detail ? `${this.message}\n\n${this.error.detail}` : this.message;
    item.iconPath = new vscode.ThemeIcon(
      this.kind === 'error' ? 'error' : this.kind === 'rateLimited' ? 'watch' : this.kind === 'expired' ? 'warning' : 'info',
      this.kind === 'error' ? new vscode.ThemeColor('problemsErrorIcon.foreground') : undefined,
    );
    item.contextValue = this.kind === 'empty' ? 'message' : 'retryable';
    const account = accountIdOf(this.parent);
    if (this.kind === 'expired' || this.error?.needsNewCredentials) {
      // Retrying would fail the same way (a missing scope, say); the row leads to what the message asks for.
      item.command = { command: Commands.signIn, title: 'Sign In Again', arguments: account ? [{ accountId: account }] : [] };
      if (this.kind === 'expired') item.contextValue = 'message';
    } else if (this.kind !== 'empty') {
      item.command = { command: InternalCommands.retry, title: 'Retry', arguments: [this.parent] };
    }
    const what = this.kind === 'error' ? 'Error' : this.kind === 'rateLimited' ? 'Waiting' : this.kind === 'expired' ? 'Warning' : 'Note';
    item.accessibilityInformation = {
      label: `${what}: ${this.message}${item.command ? `, Enter to ${item.command.title.toLowerCase()}` : ''}`,
    };
    return item;
  }
}

function accountIdOf(node: TreeNode | undefined): string | undefined {
  if (node instanceof AccountNode) return node.accountId;
  if (node instanceof WorkspaceNode) return node.accountId;
  return undefined;
}

function messageOwner(node: TreeNode | undefined): string {
  if (node instanceof WorkspaceNode) return `${node.accountId}:${node.slug}`;
  if (node instanceof AccountNode) return node.accountId;
  return '(root)';
}

function repositoryTooltip(repo: HostedRepository): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip
    .appendMarkdown(`$(${repo.isPrivate ? 'lock' : 'repo'}) **`)
    .appendText(repo.fullName)
    .appendMarkdown('**\n\n');
  if (repo.description) tooltip.appendText(repo.description).appendMarkdown('\n\n');
  const facts = [
    repo.isPrivate ? 'Private' : 'Public',
    repo.language || undefined,
    repo.project?.name ? `Project ${repo.project.name}` : undefined,
    repo.updatedOn ? `Updated ${fromNow(repo.updatedOn)}` : undefined,
  ].filter((fact): fact is string => Boolean(fact));
  tooltip.appendText(facts.join(' · '));
  const href = webLink(repo.webUrl);
  if (href) tooltip.appendMarkdown(`\n\n[Open on Bitbucket](${encodeURI(href)})`);
  return tooltip;
}
