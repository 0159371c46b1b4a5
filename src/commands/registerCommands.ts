/** Binds every `bitbucket.*` command to its handler, each through the error funnel. */
import * as vscode from 'vscode';
import { BitbucketError } from '../bitbucket/errors';
import { Logger } from '../common/logger';
import { toRepositoryRef } from '../host/refs';
import { HostedRepository, RepositoryRef } from '../host/types';
import { CredentialStore } from '../auth/credentialStore';
import { Session } from '../auth/session';
import { SignInRequest, signInInteractively, signInWith } from '../auth/signIn';
import { RepositoriesTreeProvider } from '../tree/repositoriesProvider';
import { LoadMoreNode, MessageNode, RepositoryNode, TreeNode, WorkspaceNode } from '../tree/nodes';
import { TreeCache } from '../tree/treeCache';
import { cloneUrl } from '../host/links';
import { openWebLink } from '../features/openInBrowser';
import { CloneDeps, CloneRequest, cloneWithProgress, withCloneLinks } from '../features/clone';
import { AfterCreateDeps, CreateRequest, announceCreated, createFromRequest, createInteractively } from '../features/create';
import { Commands, InternalCommands } from '../common/commandIds';
import { ErrorFunnel } from '../common/errorFunnel';
import { pickRepository } from './repositorySearch';

export interface CommandDeps {
  readonly session: Session;
  readonly store: CredentialStore;
  readonly tree: RepositoriesTreeProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
  readonly cache: TreeCache;
  readonly log: vscode.LogOutputChannel;
  readonly funnel: ErrorFunnel;
  readonly clone: CloneDeps;
  readonly afterCreate: AfterCreateDeps;
  /**
   * Whether commands take a credential, a target folder or a whole create request as arguments. Only in
   * the extension's test mode: otherwise any extension could sign the user into another account or create
   * repositories in theirs without a prompt.
   */
  readonly acceptAutomation: boolean;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable {
  const { session, store, tree, treeView, cache, log, funnel } = deps;
  const findRepository = async (title: string) => {
    const workspace = await pickWorkspace(tree);
    const host = session.host();
    if (!workspace || !host) return undefined;
    return pickRepository(host, workspace.slug, {
      title: `${title} in ${workspace.displayName ?? workspace.slug}`,
      pageSize: session.settings.pageSize,
    });
  };
  const logger: Logger = log;
  const register = (id: string, handler: (...args: never[]) => unknown) =>
    vscode.commands.registerCommand(id, funnel.wrap(id, handler as (...args: unknown[]) => unknown));

  return vscode.Disposable.from(
    register(Commands.signIn, async (request?: SignInRequest) => {
      // The integration tests pass the credential; people (and other extensions) get the prompts.
      const automated = deps.acceptAutomation && isSignInRequest(request) ? request : undefined;
      const stored = automated ? await signInWith(automated, store, logger) : await signInInteractively(store, logger);
      if (stored) void vscode.window.showInformationMessage(`Signed in to Bitbucket as ${stored.account.label}.`);
    }),
    register(Commands.signOut, async () => {
      await store.clear();
      await cache.clear();
      log.info('Signed out of Bitbucket; the stored credential and the cached tree were removed.');
      void vscode.window.showInformationMessage('Signed out of Bitbucket.');
    }),
    register(Commands.refresh, () => tree.refresh()),
    register(InternalCommands.loadMore, (workspace: WorkspaceNode) => tree.loadMore(workspace)),
    // From a row's inline button VS Code passes the error row itself; its workspace is what to retry.
    register(InternalCommands.retry, (node?: TreeNode) => tree.retry(workspaceOf(node))),
    register(Commands.filterRepositories, async (node?: TreeNode) => {
      // From a workspace row, that workspace; from the view title, VS Code passes the focused row, if any.
      const target = workspaceOf(node) ?? (await pickWorkspace(tree));
      const host = session.host();
      if (!target || !host) return;
      const repository = await pickRepository(host, target.slug, {
        title: `Find a repository in ${target.displayName ?? target.slug}`,
        pageSize: session.settings.pageSize,
      });
      if (repository) await revealAndOffer(repository, target, treeView);
    }),
    register(Commands.openInBrowser, async (node?: RepositoryNode | WorkspaceNode) => {
      if (!(node instanceof RepositoryNode || node instanceof WorkspaceNode)) {
        void vscode.window.showWarningMessage('Choose a repository or workspace in the Bitbucket view to open it in the browser.');
        return;
      }
      let href = node instanceof RepositoryNode ? node.repository.webUrl : node.htmlUrl;
      const host = session.host();
      if (!href && node instanceof WorkspaceNode && host) href = (await host.containerDetails(node.slug)).webUrl;
      await openWebLink(href, node instanceof RepositoryNode ? node.repository.fullName : node.slug);
    }),
    register(Commands.clone, async (target?: RepositoryNode | CloneRequest) => {
      // Only the repository's name is taken from the argument; its clone link always comes from the host.
      const repository =
        target instanceof RepositoryNode
          ? target.repository
          : namesRepository(target)
            ? toRepositoryRef(target.repository)
            : await findRepository('Clone a repository');
      if (!repository) return undefined;
      const options = deps.acceptAutomation && namesRepository(target) ? (target as CloneRequest) : {};
      return cloneWithProgress(deps.clone, { ...options, repository });
    }),
    register(Commands.copyCloneUrl, async (node?: RepositoryNode | { repository: RepositoryRef }) => {
      const chosen = namesRepository(node) ? toRepositoryRef(node.repository) : await findRepository('Copy the clone URL of a repository');
      const host = session.host();
      if (!chosen || !host) return;
      const repository = await withCloneLinks(host, chosen);
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
        throw new BitbucketError('invalidResponse', `Bitbucket gave no clone link for ${repository.fullName} that can be used.`);
      }
      const protocol =
        choices.length > 1 ? await vscode.window.showQuickPick(choices, { title: `Clone URL of ${repository.fullName}` }) : choices[0];
      if (!protocol?.description) return;
      await vscode.env.clipboard.writeText(protocol.description);
      void vscode.window.showInformationMessage(`Copied ${protocol.description}`);
    }),
    register(Commands.createRepository, async (argument?: CreateRequest) => {
      // The integration tests pass everything; people are guided step by step.
      const request = deps.acceptAutomation && argument && typeof argument.workspace === 'string' ? argument : undefined;
      const created = request
        ? { workspace: request.workspace, repository: await createFromRequest(session, request) }
        : await createInteractively(session, tree.model);
      if (!created) return undefined;
      if (request?.pushFolder) {
        tree.model.addRepository(created.workspace, created.repository);
        await deps.afterCreate.pushFolder(request.pushFolder, created.repository);
      } else {
        // Not awaited: the command is done; what the person picks in the notification reports its own errors.
        void announceCreated(deps.afterCreate, created.workspace, created.repository).catch((error: unknown) =>
          funnel.report(Commands.createRepository, error),
        );
      }
      return created.repository;
    }),
    register(Commands.showLog, () => log.show()),
  );
}

function workspaceOf(node: TreeNode | undefined): WorkspaceNode | undefined {
  if (node instanceof WorkspaceNode) return node;
  if (node instanceof RepositoryNode || node instanceof LoadMoreNode) return node.workspace;
  if (node instanceof MessageNode) return workspaceOf(node.parent);
  return undefined;
}

function isSignInRequest(value: unknown): value is SignInRequest {
  const request = value as SignInRequest | undefined;
  return typeof request?.token === 'string' && (request.kind === 'apiToken' || request.kind === 'accessToken');
}

/** An argument that names a repository (a tree row, or automation's request); toRepositoryRef checks the name. */
function namesRepository(value: unknown): value is { repository: unknown } {
  return (
    typeof value === 'object' && value !== null && 'repository' in value && (value as { repository: unknown }).repository !== undefined
  );
}

async function pickWorkspace(tree: RepositoriesTreeProvider): Promise<WorkspaceNode | undefined> {
  const workspaces = await tree.workspaces();
  if (workspaces.length <= 1) return workspaces[0];
  const chosen = await vscode.window.showQuickPick(
    workspaces.map((workspace) => ({ label: workspace.displayName ?? workspace.slug, description: workspace.slug, workspace })),
    { title: 'Choose a workspace', placeHolder: 'Workspace to search' },
  );
  return chosen?.workspace;
}

async function revealAndOffer(repository: HostedRepository, workspace: WorkspaceNode, treeView: vscode.TreeView<TreeNode>): Promise<void> {
  const node = workspace.findRepository(repository.slug);
  if (node && treeView.visible) await treeView.reveal(node, { select: true, focus: false });
  const action = await vscode.window.showQuickPick(
    [
      { label: '$(repo-clone) Clone', action: 'clone' as const },
      { label: '$(globe) Open in Browser', action: 'open' as const },
      { label: '$(copy) Copy Clone URL', action: 'copy' as const },
    ],
    { title: repository.fullName, placeHolder: 'What do you want to do with it?' },
  );
  if (action?.action === 'clone') await vscode.commands.executeCommand(Commands.clone, { repository });
  else if (action?.action === 'copy') await vscode.commands.executeCommand(Commands.copyCloneUrl, { repository });
  else if (action?.action === 'open') await openWebLink(repository.webUrl, repository.fullName);
}
