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
    item.description = expired ? vscode.l10n.t('sign in again') : this.reaches ? reachDescription(this.reaches, projects) : undefined;
    item.tooltip = [
      this.label,
      projects
        ? vscode.l10n.t('Bitbucket Data Center, HTTP access token')
        : this.kind === 'accessToken'
          ? vscode.l10n.t('Access token')
          : vscode.l10n.t('API token'),
      expired ? vscode.l10n.t('Bitbucket no longer accepts its token. Nothing was deleted.') : undefined,
      this.reaches ? reachLine(this.reaches, projects) : undefined,
    ]
      .filter(Boolean)
      .join('\n');
    item.iconPath = new vscode.ThemeIcon(expired ? 'warning' : 'account');
    item.contextValue = expired ? 'account.expired' : 'account';
    item.accessibilityInformation = { label: this.spokenLabel(expired, projects) };
    return item;
  }

  /** What a screen reader reads for the row: the account, and whether it is signed in and how much it reaches. */
  private spokenLabel(expired: boolean, projects: boolean): string {
    if (expired) return vscode.l10n.t('Account {0}, no longer accepted, sign in again', this.label);
    if (!this.reaches) return vscode.l10n.t('Account {0}, signed in', this.label);
    const count = this.reaches.length;
    if (projects) {
      return count === 1
        ? vscode.l10n.t('Account {0}, signed in, 1 project', this.label)
        : vscode.l10n.t('Account {0}, signed in, {1} projects', this.label, count);
    }
    return count === 1
      ? vscode.l10n.t('Account {0}, signed in, 1 workspace', this.label)
      : vscode.l10n.t('Account {0}, signed in, {1} workspaces', this.label, count);
  }
}

/** The tooltip's line that names the containers an account reaches. */
function reachLine(containers: readonly string[], projects: boolean): string {
  if (containers.length === 0) return projects ? vscode.l10n.t('Projects: none') : vscode.l10n.t('Workspaces: none');
  const names = containers.join(', ');
  return projects ? vscode.l10n.t('Projects: {0}', names) : vscode.l10n.t('Workspaces: {0}', names);
}

function reachDescription(containers: readonly string[], projects: boolean): string {
  if (containers.length === 0) return projects ? vscode.l10n.t('no project') : vscode.l10n.t('no workspace');
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
    const cached = vscode.l10n.t({
      message: 'cached',
      comment: ['Beside a workspace or project: its list comes from the cache, being refreshed'],
    });
    item.description = [this.displayName && this.displayName !== this.slug ? this.slug : undefined, this.cached ? cached : undefined]
      .filter(Boolean)
      .join(' · ');
    const administers =
      this.noun === 'project'
        ? vscode.l10n.t('You may create repositories in this project.')
        : vscode.l10n.t('You administer this workspace.');
    item.tooltip = `${this.displayName ?? this.slug} (${this.slug})${this.administrator ? `\n${administers}` : ''}`;
    item.iconPath = new vscode.ThemeIcon(this.noun === 'project' ? 'project' : 'organization');
    item.contextValue = 'workspace';
    const description = item.description;
    item.accessibilityInformation = {
      label:
        this.noun === 'project'
          ? description
            ? vscode.l10n.t('Project {0}, {1}', name, description)
            : vscode.l10n.t('Project {0}', name)
          : description
            ? vscode.l10n.t('Workspace {0}, {1}', name, description)
            : vscode.l10n.t('Workspace {0}', name),
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
    const description = item.description;
    item.accessibilityInformation = {
      label: repo.isPrivate
        ? description
          ? vscode.l10n.t('Private repository {0}, {1}', repo.fullName, description)
          : vscode.l10n.t('Private repository {0}', repo.fullName)
        : description
          ? vscode.l10n.t('Public repository {0}, {1}', repo.fullName, description)
          : vscode.l10n.t('Public repository {0}', repo.fullName),
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
    const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
    item.id = `load-more:${this.workspace.accountId}:${this.workspace.slug}`;
    const total = this.total?.toLocaleString(vscode.env.language);
    const ofTotal = (all: string) =>
      vscode.l10n.t({
        message: '{0} of {1}',
        args: [this.shown, all],
        comment: ['Beside Load more: repositories shown of all in the workspace'],
      });
    item.description = total === undefined ? vscode.l10n.t('{0} shown', this.shown) : ofTotal(total);
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = 'loadMore';
    item.command = { command: InternalCommands.loadMore, title: vscode.l10n.t('Load More'), arguments: [this.workspace] };
    const where = this.workspace.displayName ?? this.workspace.slug;
    item.accessibilityInformation = {
      label:
        total === undefined
          ? vscode.l10n.t('Load more repositories of {0}, {1} shown', where, this.shown)
          : vscode.l10n.t('Load more repositories of {0}, {1} of {2} shown', where, this.shown, total),
    };
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
    let action: 'signIn' | 'retry' | undefined;
    if (this.kind === 'expired' || this.error?.needsNewCredentials) {
      // Retrying would fail the same way (a missing scope, say); the row leads to what the message asks for.
      action = 'signIn';
      item.command = {
        command: Commands.signIn,
        title: vscode.l10n.t('Sign In Again'),
        arguments: account ? [{ accountId: account }] : [],
      };
      if (this.kind === 'expired') item.contextValue = 'message';
    } else if (this.kind !== 'empty') {
      action = 'retry';
      item.command = { command: InternalCommands.retry, title: vscode.l10n.t('Retry'), arguments: [this.parent] };
    }
    const spoken = this.spokenMessage();
    item.accessibilityInformation = {
      label:
        action === 'signIn'
          ? vscode.l10n.t('{0}, Enter to sign in again', spoken)
          : action === 'retry'
            ? vscode.l10n.t('{0}, Enter to retry', spoken)
            : spoken,
    };
    return item;
  }

  /** The message as a screen reader says it: what kind of row it is, then the message. */
  private spokenMessage(): string {
    switch (this.kind) {
      case 'error':
        return vscode.l10n.t('Error: {0}', this.message);
      case 'rateLimited':
        return vscode.l10n.t('Waiting: {0}', this.message);
      case 'expired':
        return vscode.l10n.t('Warning: {0}', this.message);
      default:
        return vscode.l10n.t('Note: {0}', this.message);
    }
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
  const updated = fromNow(repo.updatedOn);
  const facts = [
    repo.isPrivate
      ? vscode.l10n.t({ message: 'Private', comment: ['A repository’s visibility'] })
      : vscode.l10n.t({ message: 'Public', comment: ['A repository’s visibility'] }),
    repo.language || undefined,
    repo.project?.name ? vscode.l10n.t('Project {0}', repo.project.name) : undefined,
    updated
      ? vscode.l10n.t({ message: 'Updated {0}', args: [updated], comment: ['{0} is how long ago: “3 days ago”, “yesterday”'] })
      : undefined,
  ].filter((fact): fact is string => Boolean(fact));
  tooltip.appendText(facts.join(' · '));
  const href = webLink(repo.webUrl);
  if (href) {
    // The link's words as text, so that a translation holding `]` or `*` cannot break the link.
    tooltip
      .appendMarkdown('\n\n[')
      .appendText(vscode.l10n.t('Open on Bitbucket'))
      .appendMarkdown(`](${encodeURI(href)})`);
  }
  return tooltip;
}
