/**
 * Everything git: where clone finds askpass, which hosts are Bitbucket's, which account answers git for a
 * repository, what happens after a create, and the registration with VS Code's git (in the background: it
 * must not hold up activation).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { HostedRepository } from '../host/types';
import { Account, Accounts } from '../auth/accounts';
import type { CloneDeps } from '../features/clone';
import type { AfterCreateDeps } from '../features/create';
import { flows } from '../features/lazyFlows';
import { ErrorFunnel } from '../common/errorFunnel';
import { AccountModels } from '../tree/accountModels';
import { askpassPrograms } from './askpassPrograms';
import { GitRepository } from './gitApi';
import { GitAccounts } from './gitAccounts';
import { GitHosts } from './gitHosts';
import { getGitApi, publishableFolder, pushWithProgress, registerWithGit } from './gitIntegration';

export interface GitServices extends vscode.Disposable {
  readonly clone: CloneDeps<Account>;
  readonly afterCreate: AfterCreateDeps;
  readonly gitAccounts: GitAccounts<Account>;
  /** Which git hosts are Bitbucket's. */
  readonly hosts: GitHosts;
}

export function initializeGit(
  context: vscode.ExtensionContext,
  accounts: Accounts,
  models: AccountModels<Account>,
  funnel: ErrorFunnel,
  log: vscode.LogOutputChannel,
): GitServices {
  const hosts = new GitHosts(
    () => accounts.settings.apiUrl,
    () => accounts.all.flatMap((account) => serverAuthority(account) ?? []),
  );
  /** The accounts whose git is at `authority`: a Data Center account's server, or Cloud's hosts. */
  const serving = (authority: string) =>
    accounts.usable.filter((account) => {
      const server = serverAuthority(account);
      return server ? server === authority.toLowerCase() : hosts.isCloud(authority);
    });
  const gitAccounts = new GitAccounts<Account>({
    usable: serving,
    reaching: (container) => models.accountsReaching(container),
    refFromGitPath: (authority, gitPath) => serving(authority)[0]?.host().refFromGitPath(gitPath),
    ask: askForGitAccount,
    memento: context.globalState,
    logger: log,
  });
  /** After a push or clone through an account, git keeps using that account for the repository. */
  const rememberAccount = async (repository: HostedRepository, account: Account) => {
    const authority = hosts.authorityOf(repository);
    if (authority) await gitAccounts.remember(authority, { container: repository.container, slug: repository.slug }, account.id);
  };
  const push = async (local: GitRepository, repository: HostedRepository, account: Account) => {
    await rememberAccount(repository, account);
    await pushWithProgress(local, repository, log);
  };
  // A push after a create reports its own failure, with a Retry that pushes again (not creates again).
  /* eslint-disable l10n/user-facing-strings -- the funnel's command names: identifiers for the log and ReportedError.command, never shown */
  const pushAfterCreate = funnel.wrap('Push to Bitbucket', push);
  // "Publish Branch" in Source Control: the same guided create, named after the folder, then a push.
  const publish = funnel.wrap('Publish to Bitbucket', async (local: GitRepository) => {
    const created = await flows().createInteractively(accounts, models, { name: path.basename(local.rootUri.fsPath) });
    if (!created) return;
    models.model(created.account.id)?.addRepository(created.workspace, created.repository);
    await pushAfterCreate(local, created.repository, created.account);
  });
  /* eslint-enable l10n/user-facing-strings */
  const registrations: vscode.Disposable[] = [];
  void registerWithGit(accounts, models, gitAccounts, hosts, log, async (local) => void (await publish(local))).then(
    (registration) => registrations.push(registration),
    (error: unknown) => log.warn(`Could not register with the built-in git extension: ${(error as Error).message}`),
  );
  return {
    gitAccounts,
    hosts,
    clone: {
      settings: () => accounts.settings,
      hosts,
      logger: log,
      askpass: () => askpassPrograms(context.extensionPath, context.globalStorageUri.fsPath),
      cloned: rememberAccount,
    },
    afterCreate: {
      models,
      publishableFolder: () => publishableFolder(hosts),
      push: async (local, repository, account) => void (await pushAfterCreate(local, repository, account)),
      pushFolder: async (folder, repository, account) => {
        const local = await (await getGitApi())?.openRepository(vscode.Uri.file(folder));
        if (!local) throw new Error(vscode.l10n.t("{0} is not a git repository that VS Code's git can open.", folder));
        await push(local, repository, account);
      },
    },
    dispose: () => vscode.Disposable.from(...registrations).dispose(),
  };
}

/** Asks which account git should use; the choice is remembered by the caller when it names a repository. */
async function askForGitAccount(candidates: readonly Account[], what: string, repository: boolean): Promise<Account | undefined> {
  const chosen = await vscode.window.showQuickPick(
    candidates.map((account) => ({
      iconPath: new vscode.ThemeIcon('account'),
      label: account.label,
      description: account.summary.kind === 'accessToken' ? vscode.l10n.t('access token') : vscode.l10n.t('API token'),
      account,
    })),
    {
      // Naming no repository, `what` is the sentence that says so, and nothing is remembered.
      title: repository
        ? vscode.l10n.t('Which Bitbucket account should git use for {0}?', what)
        : vscode.l10n.t('Which Bitbucket account should git use for this request?'),
      placeHolder: repository
        ? vscode.l10n.t('Several signed-in accounts could answer; the one you choose is remembered for this repository')
        : what,
      ignoreFocusOut: true,
    },
  );
  return chosen?.account;
}

/** A Data Center account's server as host[:port], lower case; undefined for Cloud accounts. */
function serverAuthority(account: Account): string | undefined {
  const credential = account.stored.credential;
  if (credential.kind !== 'dataCenterToken') return undefined;
  try {
    return new URL(credential.serverUrl).host.toLowerCase();
  } catch {
    return undefined;
  }
}
