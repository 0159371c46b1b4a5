/**
 * Bitbucket inside VS Code's own git: a credentials provider, so fetch, pull and push on a Bitbucket
 * clone get the token without git storing it, and a remote source provider, so "Git: Clone" lists
 * and searches Bitbucket repositories.
 */
import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import { paletteTitle } from '../common/l10n';
import { isHttpsOrLoopback } from '../common/urls';
import { Logger } from '../common/logger';
import { HostedRepository } from '../host/types';
import { Account, Accounts } from '../auth/accounts';
import { AccountModels } from '../tree/accountModels';
import { GitApi, GitCredentials, GitExtension, GitRemoteSource, GitRepository } from './gitApi';
import { GitAccounts } from './gitAccounts';
import { GitHosts } from './gitHosts';
import { hasNoBitbucketRemote, pushToBitbucket } from './publish';
import { toRemoteSources } from './remoteSources';

const RESULTS_PER_WORKSPACE = 20;
const WORKSPACES_SEARCHED = 10;

/** Finds the built-in git extension's API once it is ready; undefined when git is disabled or absent. */
export async function getGitApi(): Promise<GitApi | undefined> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return undefined;
  const exports = extension.isActive ? extension.exports : await extension.activate();
  if (!exports?.enabled) return undefined;
  return exports.getAPI(1);
}

/** The accounts told this session that VS Code's git cannot use their token. */
const toldBearerOnly = new Set<string>();

/** The credentials for a git request to a Bitbucket host, from the account that request belongs to. */
export async function credentialsFor(
  gitAccounts: GitAccounts<Account>,
  hosts: GitHosts,
  host: vscode.Uri,
): Promise<GitCredentials | undefined> {
  // VS Code passes what git's prompt named; a user name in it (never ours) is not part of the host.
  const authority = host.authority.replace(/^.*@/, '');
  if (!hosts.has(authority)) return undefined;
  if (!isHttpsOrLoopback({ protocol: `${host.scheme}:`, hostname: authority.replace(/:\d+$/, '') })) return undefined;
  const account = await gitAccounts.accountFor(authority, host.path);
  const auth = account?.host().gitAuth();
  // VS Code's credentials provider passes a user name and password; a token Data Center takes only as a Bearer
  // header (project and repository tokens) cannot go that way, so git is told nothing rather than a refusal,
  // and the person is told why, once per account and session.
  if (account && auth?.scheme === 'bearer' && !toldBearerOnly.has(account.id)) {
    toldBearerOnly.add(account.id);
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        "{0} is a project or repository token, which Bitbucket Data Center accepts only as a Bearer header; VS Code's git can send only a user name and password. To fetch and push from VS Code, add an account with a personal HTTP access token ({1}), or use git in a terminal.",
        account.label,
        paletteTitle(Commands.addAccount),
      ),
    );
  }
  if (!auth || auth.scheme !== 'basic') return undefined;
  return { username: auth.username, password: auth.password };
}

/** The open folder's git repository when it has commits and no Bitbucket remote: one worth publishing. */
export async function publishableFolder(hosts: GitHosts): Promise<GitRepository | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return undefined;
  const repository = (await getGitApi())?.getRepository(folder.uri);
  if (!repository?.state.HEAD?.commit) return undefined;
  return hasNoBitbucketRemote(repository, hosts) ? repository : undefined;
}

export async function pushWithProgress(local: GitRepository, target: HostedRepository, logger: Logger): Promise<void> {
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Pushing to {0}…', target.fullName) },
    async () => {
      const remote = await pushToBitbucket(local, target);
      logger.info(`Pushed ${local.rootUri.fsPath} to ${target.fullName} as remote "${remote}".`);
    },
  );
  void vscode.window.showInformationMessage(vscode.l10n.t('Pushed to {0}.', target.fullName));
}

export async function registerWithGit(
  accounts: Accounts,
  models: AccountModels<Account>,
  gitAccounts: GitAccounts<Account>,
  hosts: GitHosts,
  logger: Logger,
  publish: (local: GitRepository) => Promise<void>,
): Promise<vscode.Disposable> {
  const git = await getGitApi();
  if (!git) {
    logger.info('The built-in git extension is disabled or missing; "Git: Clone" will not list Bitbucket.');
    return new vscode.Disposable(() => undefined);
  }
  const credentials = git.registerCredentialsProvider({
    getCredentials: async (host) => {
      await accounts.ready;
      const answer = await credentialsFor(gitAccounts, hosts, host);
      if (answer) logger.debug(`Gave git Bitbucket credentials for ${host.authority}${host.path}.`);
      return answer;
    },
  });
  const remoteSources = git.registerRemoteSourceProvider({
    name: 'Bitbucket',
    icon: 'repo',
    supportsQuery: true,
    getRemoteSources: (query) => searchRemoteSources(accounts, models, hosts, logger, query),
    getBranches: (url) => branchesAt(accounts, models, hosts, logger, url),
  });
  const publisher = git.registerRemoteSourcePublisher?.({ name: 'Bitbucket', icon: 'repo', publishRepository: publish });
  logger.info('Registered with the built-in git extension (credentials, "Git: Clone" and "Publish to Bitbucket").');
  return vscode.Disposable.from(credentials, remoteSources, ...(publisher ? [publisher] : []));
}

/** The branches of a repository "Git: Clone" offered: the main branch first, then the newest. */
async function branchesAt(
  accounts: Accounts,
  models: AccountModels<Account>,
  hosts: GitHosts,
  logger: Logger,
  url: string,
): Promise<string[]> {
  try {
    await accounts.ready;
    // https, ssh:// or scp-like (git@host:ws/slug.git): "Git: Clone" offers each clone link.
    const hostname = remoteHostname(url);
    const known = [...hosts.all()].map((authority) => authority.replace(/:\d+$/, ''));
    if (!hostname || !known.includes(hostname)) return [];
    const serving = accounts.usable.filter((account) => {
      const credential = account.stored.credential;
      return credential.kind === 'dataCenterToken' ? account.host().refFromRemoteUrl(url) !== undefined : true;
    });
    // A Data Center server's own account before any Cloud account, which would read any host's path.
    const account = serving.find((candidate) => candidate.stored.credential.kind === 'dataCenterToken') ?? serving[0];
    const ref = account?.host().refFromRemoteUrl(url);
    if (!account || !ref) return [];
    const reaching =
      account.stored.credential.kind === 'dataCenterToken' ? account : ((await models.accountsReaching(ref.container))[0] ?? account);
    const host = reaching.host();
    const [repository, branches] = await Promise.all([host.repository(ref), host.refs(ref, 'branch')]);
    const names = branches.map((branch) => branch.name);
    const main = repository.mainBranch;
    return main ? [main, ...names.filter((name) => name !== main)] : names;
  } catch (error) {
    logger.warn(`Could not list the branches of ${url}: ${(error as Error).message}`);
    return [];
  }
}

/** The host name of a git remote URL: https, ssh:// or scp-like `user@host:path`. */
function remoteHostname(url: string): string | undefined {
  const scp = /^[\w.-]+@([^:/\s]+):(?!\/)/.exec(url.trim());
  if (scp) return scp[1].toLowerCase();
  try {
    return new URL(url.trim()).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Searches every usable account's workspaces; with several accounts each result names its account. */
async function searchRemoteSources(
  accounts: Accounts,
  models: AccountModels<Account>,
  hosts: GitHosts,
  logger: Logger,
  query: string | undefined,
): Promise<GitRemoteSource[]> {
  // Right after the window opens the stored accounts may not be read yet: wait, rather than answer "none".
  await accounts.ready;
  const usable = accounts.usable;
  const labelled = usable.length > 1;
  const perAccount = await Promise.all(
    usable.map(async (account) => {
      let workspaces: readonly { slug: string }[];
      try {
        workspaces = (await models.model(account.id)?.containers()) ?? [];
      } catch (error) {
        logger.warn(`"Git: Clone" could not list the workspaces of ${account.label}: ${(error as Error).message}`);
        return [];
      }
      const results = await Promise.all(
        workspaces.slice(0, WORKSPACES_SEARCHED).map(async (workspace): Promise<readonly HostedRepository[]> => {
          try {
            const page = await account.host().repositories(workspace.slug, {
              nameContains: query,
              pageSize: RESULTS_PER_WORKSPACE,
              withCloneLinks: true,
            });
            return page.values;
          } catch (error) {
            logger.warn(`"Git: Clone" could not search ${workspace.slug} as ${account.label}: ${(error as Error).message}`);
            return [];
          }
        }),
      );
      return toRemoteSources(results.flat(), hosts, logger, labelled ? account.label : undefined);
    }),
  );
  return perAccount.flat();
}
