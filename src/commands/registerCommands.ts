/** Binds every `bitbucket.*` command to its handler, each through the error funnel. */
import * as vscode from 'vscode';
import { BitbucketError } from '../bitbucket/errors';
import { Logger } from '../common/logger';
import { toRepositoryRef } from '../host/refs';
import { InvalidAnswerError } from '../host/errors';
import { HostedRepository, RepositoryRef } from '../host/types';
import { AccountStore } from '../auth/accountStore';
import { Account, Accounts } from '../auth/accounts';
import type { SignInRequest, SignedIn } from '../auth/signIn';
import { AccountWorkspace, REPOSITORIES_VIEW_ID, RepositoriesTreeProvider } from '../tree/repositoriesProvider';
import { AccountNode, LoadMoreNode, MessageNode, RepositoryNode, TreeNode, WorkspaceNode } from '../tree/nodes';
import { cloneUrl } from '../host/links';
import { openWebLink } from '../features/openInBrowser';
import type { CloneDeps, CloneRequest } from '../features/clone';
import { cloneFeature } from '../features/lazyClone';
import type { Browse } from '../browse/initializeBrowse';
import type { OpenHow } from '../browse/openBrowsed';
import type { FileLink, FileLinkDeps } from '../features/fileLinks';
import type { AfterCreateDeps, CreateRequest } from '../features/create';
import { flows } from '../features/lazyFlows';
import { GitAccounts } from '../git/gitAccounts';
import { Commands, InternalCommands } from '../common/commandIds';
import { ErrorFunnel } from '../common/errorFunnel';
import { pickRepository } from './repositorySearch';
import { workspacePickItem } from '../ui/workspacePickItem';

export interface CommandDeps {
  readonly accounts: Accounts;
  readonly store: AccountStore;
  readonly tree: RepositoriesTreeProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
  readonly log: vscode.LogOutputChannel;
  readonly funnel: ErrorFunnel;
  readonly clone: CloneDeps<Account>;
  readonly afterCreate: AfterCreateDeps;
  readonly gitAccounts: GitAccounts<Account>;
  readonly fileLinks: FileLinkDeps;
  /** Repositories opened without cloning: opening one, and forgetting what they fetched (on sign-out). */
  readonly browse: Pick<Browse, 'openRepository' | 'clearCaches'>;
  /**
   * Whether commands take a credential, a target folder or a whole create request as arguments. Only in
   * the extension's test mode: otherwise any extension could sign the user into another account or create
   * repositories in theirs without a prompt.
   */
  readonly acceptAutomation: boolean;
}

/** Names an account: what the tree's "Sign in again" row, the Accounts menu and automation pass. */
interface AccountArgument {
  readonly accountId: string;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable {
  const { accounts, store, tree, treeView, log, funnel } = deps;
  const logger: Logger = log;
  const register = (id: string, handler: (...args: never[]) => unknown) =>
    vscode.commands.registerCommand(id, funnel.wrap(id, handler as (...args: unknown[]) => unknown));

  /** The account a repository is reached through: the one named, else the first that reaches its workspace. */
  const accountFor = async (container: string, named?: unknown): Promise<Account> => {
    const id = typeof named === 'string' ? named : undefined;
    const account = id ? accounts.get(id) : ((await tree.models.accountsReaching(container))[0] ?? accounts.usable[0]);
    if (!account) {
      throw new BitbucketError(
        'unauthorized',
        id ? vscode.l10n.t('That Bitbucket account is no longer signed in.') : vscode.l10n.t('Sign in to Bitbucket first.'),
      );
    }
    return account;
  };
  /** `title` gives the search's whole title for the workspace's name, so it reads as one sentence. */
  const findRepository = async (title: (workspace: string) => string) => {
    const workspace = await pickWorkspace(tree);
    if (!workspace) return undefined;
    const repository = await pickRepository(workspace.account.host(), workspace.slug, {
      title: title(workspace.displayName ?? workspace.slug),
      pageSize: accounts.settings.pageSize,
    });
    return repository && { repository, account: workspace.account };
  };
  /**
   * The repository a command acts on, and the account it goes through: a tree row's, one named by an
   * argument (its account named or found), or else one the person searches for.
   */
  const chosenRepository = async (
    target: unknown,
    title: (workspace: string) => string,
  ): Promise<{ repository: RepositoryRef; account: Account } | undefined> => {
    if (target instanceof RepositoryNode) {
      return { repository: target.repository, account: await accountFor(target.repository.container, target.workspace.accountId) };
    }
    if (namesRepository(target)) {
      const repository = toRepositoryRef(target.repository);
      return { repository, account: await accountFor(repository.container, target.accountId) };
    }
    return findRepository(title);
  };
  const signIn = async (again?: Account): Promise<SignedIn | undefined> => {
    // Unless an account works, the view shows its welcome content, whose button may hold the focus.
    const welcomeShown = accounts.state !== 'signedIn';
    const signedIn = await flows().signInInteractively(store, logger, again?.stored);
    if (!signedIn) return undefined;
    announceSignIn(signedIn, accounts.all.length);
    // That content is gone now, and the focus with it: give it to the tree that replaced it, so the keyboard
    // carries on there (and not when the view is hidden, nor after Add Account… from anywhere else).
    if (welcomeShown && treeView.visible) await vscode.commands.executeCommand(`${REPOSITORIES_VIEW_ID}.focus`);
    return signedIn;
  };

  return vscode.Disposable.from(
    register(Commands.signIn, async (request?: SignInRequest | AccountArgument) => {
      // The integration tests pass the credential; people (and other extensions) get the prompts.
      if (deps.acceptAutomation && isSignInRequest(request)) {
        announceSignIn(await flows().signInWith(request, store, logger), accounts.all.length);
        return;
      }
      // "Sign in again" on an account's row (or in the welcome view, for the only account) starts from that
      // account's email or workspace.
      const [only] = accounts.all;
      const again = isAccountArgument(request)
        ? accounts.get(request.accountId)
        : accounts.all.length === 1 && only.state === 'expired'
          ? only
          : undefined;
      await signIn(again);
    }),
    register(Commands.addAccount, () => signIn()),
    register(Commands.signOut, async (target?: AccountNode | AccountArgument | { all: true }) => {
      const chosen =
        target instanceof AccountNode || isAccountArgument(target)
          ? [target.accountId]
          : deps.acceptAutomation && (target as { all?: unknown } | undefined)?.all === true
            ? accounts.all.map((account) => account.id)
            : await pickAccountsToSignOut(accounts);
      if (!chosen?.length) return;
      const labels = chosen.map((id) => accounts.get(id)?.label ?? id);
      for (const [index, id] of chosen.entries()) {
        const label = labels[index];
        // The account's record goes; its cached tree goes with its model; its git choices go here.
        if (await store.remove(id)) log.info(`Signed out of ${label}; its credential and its cached tree were removed.`);
        await deps.gitAccounts.forgetAccount(id);
      }
      // Files read without cloning are not kept for anyone after a sign-out.
      await deps.browse.clearCaches();
      const left = accounts.all.length;
      void vscode.window.showInformationMessage(
        chosen.length === 1 && left > 0 ? vscode.l10n.t('Signed out of {0}.', labels[0]) : vscode.l10n.t('Signed out of Bitbucket.'),
      );
    }),
    register(Commands.refresh, () => tree.refresh()),
    register(InternalCommands.loadMore, (workspace: WorkspaceNode) => tree.loadMore(workspace)),
    // From a row's inline button VS Code passes the error row itself; its workspace or account is what to retry.
    register(InternalCommands.retry, (node?: TreeNode) => tree.retry(workspaceOf(node) ?? accountNodeOf(node))),
    register(Commands.filterRepositories, async (node?: TreeNode) => {
      // From a workspace row, that workspace; from the view title, VS Code passes the focused row, if any.
      const fromNode = workspaceOf(node);
      const account = fromNode && accounts.get(fromNode.accountId);
      const target: AccountWorkspace | undefined =
        fromNode && account
          ? { account, slug: fromNode.slug, displayName: fromNode.displayName, administrator: fromNode.administrator }
          : await pickWorkspace(tree);
      if (!target) return;
      const repository = await pickRepository(target.account.host(), target.slug, {
        title: vscode.l10n.t('Find a repository in {0}', target.displayName ?? target.slug),
        pageSize: accounts.settings.pageSize,
      });
      if (repository) await revealAndOffer(repository, target.account, tree.workspaceNodeFor(target.account.id, target.slug), treeView);
    }),
    register(Commands.openInBrowser, async (node?: RepositoryNode | WorkspaceNode) => {
      if (!(node instanceof RepositoryNode || node instanceof WorkspaceNode)) {
        void vscode.window.showWarningMessage(
          vscode.l10n.t('Choose a repository or workspace in the Bitbucket view to open it in the browser.'),
        );
        return;
      }
      let href = node instanceof RepositoryNode ? node.repository.webUrl : node.htmlUrl;
      const account = node instanceof WorkspaceNode ? accounts.get(node.accountId) : undefined;
      if (!href && node instanceof WorkspaceNode && account) href = (await account.host().containerDetails(node.slug)).webUrl;
      await openWebLink(href, node instanceof RepositoryNode ? node.repository.fullName : node.slug);
    }),
    register(Commands.clone, async (target?: RepositoryNode | (CloneRequest & { accountId?: string })) => {
      // Only the repository's name is taken from the argument; its clone link always comes from the host.
      const chosen = await chosenRepository(target, (workspace) => vscode.l10n.t('Clone a repository in {0}', workspace));
      if (!chosen) return undefined;
      // A branch and whether to ask about opening may come from any caller (Clone This Repository passes the
      // browsed branch); where to write only from the tests.
      const given = namesRepository(target) ? (target as CloneRequest) : undefined;
      const options: Partial<CloneRequest> = {
        ...(deps.acceptAutomation ? given : {}),
        ...(typeof given?.branch === 'string' ? { branch: given.branch } : {}),
        ...(given?.afterClone === 'none' ? { afterClone: 'none' as const } : {}),
      };
      return cloneFeature().cloneWithProgress(deps.clone, chosen.account, { ...options, repository: chosen.repository });
    }),
    register(
      Commands.openWithoutCloning,
      async (target?: RepositoryNode | { repository: unknown; accountId?: string; how?: OpenHow }): Promise<string | undefined> => {
        const chosen = await chosenRepository(target, (workspace) => vscode.l10n.t('Open a repository without cloning in {0}', workspace));
        if (!chosen) return undefined;
        const how = deps.acceptAutomation && !(target instanceof RepositoryNode) && target?.how ? target.how : undefined;
        const uri = await deps.browse.openRepository(chosen.account.id, chosen.repository, how);
        if (!uri) return undefined;
        log.info(`Opened ${chosen.repository.container}/${chosen.repository.slug} without cloning as ${chosen.account.label}.`);
        return uri.toString();
      },
    ),
    register(Commands.copyCloneUrl, async (node?: RepositoryNode | { repository: RepositoryRef; accountId?: string }) => {
      const chosen = await chosenRepository(node, (workspace) => vscode.l10n.t('Copy the clone URL of a repository in {0}', workspace));
      if (!chosen) return;
      const repository = await cloneFeature().withCloneLinks(chosen.account.host(), chosen.repository);
      // A bad link of one kind (logged) leaves the other to copy.
      const choices = (['https', 'ssh'] as const).flatMap((protocol) => {
        try {
          const description = cloneUrl(repository, protocol);
          return description ? [{ label: protocol.toUpperCase(), description, protocol }] : [];
        } catch (error) {
          log.warn(`Copy Clone URL: ${(error as Error).message}`);
          return [];
        }
      });
      if (choices.length === 0) {
        throw new InvalidAnswerError(vscode.l10n.t('Bitbucket gave no clone link for {0} that can be used.', repository.fullName));
      }
      const protocol =
        choices.length > 1
          ? await vscode.window.showQuickPick(choices, { title: vscode.l10n.t('Clone URL of {0}', repository.fullName) })
          : choices[0];
      if (!protocol?.description) return;
      await vscode.env.clipboard.writeText(protocol.description);
      void vscode.window.showInformationMessage(vscode.l10n.t('Copied {0}', protocol.description));
    }),
    register(Commands.createRepository, async (argument?: CreateRequest) => {
      // The integration tests pass everything; people are guided step by step.
      const request = deps.acceptAutomation && argument && typeof argument.workspace === 'string' ? argument : undefined;
      let created;
      if (request) {
        const account = await accountFor(request.workspace, request.accountId);
        created = { account, workspace: request.workspace, repository: await flows().createFromRequest(account, request) };
      } else {
        created = await flows().createInteractively(accounts, tree.models);
      }
      if (!created) return undefined;
      if (request?.pushFolder) {
        tree.models.model(created.account.id)?.addRepository(created.workspace, created.repository);
        await deps.afterCreate.pushFolder(request.pushFolder, created.repository, created.account);
      } else {
        // Not awaited: the command is done; what the person picks in the notification reports its own errors.
        void flows()
          .announceCreated(deps.afterCreate, created)
          .catch((error: unknown) => funnel.report(Commands.createRepository, error));
      }
      return created.repository;
    }),
    register(Commands.copyFileLink, async (uri?: vscode.Uri) => {
      const link = await fileLinkOfEditor(deps.fileLinks, uri);
      if (!link) return undefined;
      await vscode.env.clipboard.writeText(link.url);
      if (link.caveat) void vscode.window.showWarningMessage(vscode.l10n.t('Copied the Bitbucket link. {0}', link.caveat));
      else void vscode.window.showInformationMessage(vscode.l10n.t('Copied {0}', link.url));
      return link.url;
    }),
    register(Commands.openFileOnBitbucket, async (uri?: vscode.Uri) => {
      const link = await fileLinkOfEditor(deps.fileLinks, uri);
      if (!link) return undefined;
      if (link.caveat) void vscode.window.showWarningMessage(link.caveat);
      const file = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      await openWebLink(link.url, file ? vscode.workspace.asRelativePath(file) : link.url);
      return link.url;
    }),
    register(Commands.showLog, () => log.show()),
  );
}

/**
 * The link of the active editor's file at its selection; from the Explorer or an editor tab's menu, VS Code
 * passes the file's URI instead (then the editor showing it, if any, gives the selection).
 */
async function fileLinkOfEditor(deps: FileLinkDeps, uri?: vscode.Uri): Promise<FileLink | undefined> {
  const editor =
    uri instanceof vscode.Uri
      ? vscode.window.visibleTextEditors.find((candidate) => candidate.document.uri.toString() === uri.toString())
      : vscode.window.activeTextEditor;
  const document = editor?.document ?? (uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : undefined);
  if (!document) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open a file of a Bitbucket repository first.'));
    return undefined;
  }
  return flows().linkFor(deps, document, editor?.selection);
}

/** Where a repository opened without cloning goes; 'none' (automation) only returns its URI. */
function announceSignIn({ stored, added }: SignedIn, accountCount: number): void {
  const label = stored.account.label;
  const message = !added
    ? vscode.l10n.t('Signed in again as {0}.', label)
    : accountCount > 1
      ? vscode.l10n.t('Added the Bitbucket account {0}.', label)
      : vscode.l10n.t('Signed in to Bitbucket as {0}.', label);
  void vscode.window.showInformationMessage(message);
}

/** Which accounts to sign out of: the only one, or those picked (one, or all). */
async function pickAccountsToSignOut(accounts: Accounts): Promise<string[] | undefined> {
  const all = accounts.all;
  if (all.length <= 1) return all.map((account) => account.id);
  const chosen = await vscode.window.showQuickPick(
    [
      ...all.map((account) => ({
        iconPath: new vscode.ThemeIcon('account'),
        label: account.label,
        description:
          account.state === 'expired'
            ? vscode.l10n.t({ message: 'no longer accepted', comment: ['Beside an account whose credential Bitbucket refuses'] })
            : undefined,
        ids: [account.id],
      })),
      {
        iconPath: new vscode.ThemeIcon('sign-out'),
        label: vscode.l10n.t('All accounts'),
        description: vscode.l10n.t('{0} accounts', all.length),
        ids: all.map((account) => account.id),
      },
    ],
    {
      title: vscode.l10n.t('Sign out of Bitbucket'),
      placeHolder: vscode.l10n.t('Which account? Only its credential and its cached tree are removed.'),
    },
  );
  return chosen?.ids;
}

function workspaceOf(node: TreeNode | undefined): WorkspaceNode | undefined {
  if (node instanceof WorkspaceNode) return node;
  if (node instanceof RepositoryNode || node instanceof LoadMoreNode) return node.workspace;
  if (node instanceof MessageNode) return workspaceOf(node.parent);
  return undefined;
}

function accountNodeOf(node: TreeNode | undefined): AccountNode | undefined {
  if (node instanceof AccountNode) return node;
  return node instanceof MessageNode ? accountNodeOf(node.parent) : undefined;
}

function isSignInRequest(value: unknown): value is SignInRequest {
  const request = value as SignInRequest | undefined;
  return (
    typeof request?.token === 'string' &&
    (request.kind === 'apiToken' || request.kind === 'accessToken' || request.kind === 'dataCenterToken')
  );
}

function isAccountArgument(value: unknown): value is AccountArgument {
  return typeof (value as AccountArgument | undefined)?.accountId === 'string';
}

/** An argument that names a repository (a tree row, or automation's request); toRepositoryRef checks the name. */
function namesRepository(value: unknown): value is { repository: unknown; accountId?: string } {
  return (
    typeof value === 'object' && value !== null && 'repository' in value && (value as { repository: unknown }).repository !== undefined
  );
}

/** A workspace of any account; with several accounts each entry says whose it is. */
async function pickWorkspace(tree: RepositoriesTreeProvider): Promise<AccountWorkspace | undefined> {
  const workspaces = await tree.workspaces();
  if (workspaces.length <= 1) return workspaces[0];
  const severalAccounts = new Set(workspaces.map((workspace) => workspace.account)).size > 1;
  const chosen = await vscode.window.showQuickPick(
    workspaces.map((workspace) => ({
      ...workspacePickItem(workspace, severalAccounts),
      workspace,
    })),
    { title: vscode.l10n.t('Choose a workspace'), placeHolder: vscode.l10n.t('Workspace to search') },
  );
  return chosen?.workspace;
}

async function revealAndOffer(
  repository: HostedRepository,
  account: Account,
  workspace: WorkspaceNode | undefined,
  treeView: vscode.TreeView<TreeNode>,
): Promise<void> {
  const node = workspace?.findRepository(repository.slug);
  if (node && treeView.visible) await treeView.reveal(node, { select: true, focus: false });
  const action = await vscode.window.showQuickPick(
    [
      { iconPath: new vscode.ThemeIcon('repo-clone'), label: vscode.l10n.t('Clone'), action: 'clone' as const },
      { iconPath: new vscode.ThemeIcon('eye'), label: vscode.l10n.t('Open Without Cloning'), action: 'browse' as const },
      { iconPath: new vscode.ThemeIcon('globe'), label: vscode.l10n.t('Open in Browser'), action: 'open' as const },
      { iconPath: new vscode.ThemeIcon('copy'), label: vscode.l10n.t('Copy Clone URL'), action: 'copy' as const },
    ],
    { title: repository.fullName, placeHolder: vscode.l10n.t('What do you want to do with it?') },
  );
  if (action?.action === 'clone') await vscode.commands.executeCommand(Commands.clone, { repository, accountId: account.id });
  else if (action?.action === 'browse') {
    await vscode.commands.executeCommand(Commands.openWithoutCloning, { repository, accountId: account.id });
  } else if (action?.action === 'copy') await vscode.commands.executeCommand(Commands.copyCloneUrl, { repository, accountId: account.id });
  else if (action?.action === 'open') await openWebLink(repository.webUrl, repository.fullName);
}
