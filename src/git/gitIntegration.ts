/**
 * Bitbucket inside VS Code's own git: a credentials provider, so fetch, pull and push on a Bitbucket
 * clone get the token without git storing it, and a remote source provider, so "Git: Clone" lists
 * and searches Bitbucket repositories.
 */
import * as vscode from 'vscode';
import { isHttpsOrLoopback } from '../common/urls';
import { Logger } from '../common/logger';
import { HostedRepository } from '../host/types';
import { Session } from '../auth/session';
import { RepositoriesModel } from '../tree/repositoriesModel';
import { GitApi, GitCredentials, GitExtension, GitRemoteSource, GitRepository } from './gitApi';
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

export function credentialsFor(session: Session, hosts: GitHosts, host: vscode.Uri): GitCredentials | undefined {
  const account = session.host();
  if (!account || !hosts.has(host.authority)) return undefined;
  if (!isHttpsOrLoopback({ protocol: `${host.scheme}:`, hostname: host.authority.replace(/:\d+$/, '') })) return undefined;
  return account.gitCredentials();
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
    { location: vscode.ProgressLocation.Notification, title: `Pushing to ${target.fullName}…` },
    async () => {
      const remote = await pushToBitbucket(local, target);
      logger.info(`Pushed ${local.rootUri.fsPath} to ${target.fullName} as remote "${remote}".`);
    },
  );
  void vscode.window.showInformationMessage(`Pushed to ${target.fullName}.`);
}

export async function registerWithGit(
  session: Session,
  model: RepositoriesModel,
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
    getCredentials: (host) => {
      const answer = credentialsFor(session, hosts, host);
      if (answer) logger.debug(`Gave git the Bitbucket credentials for ${host.authority}.`);
      return answer;
    },
  });
  const remoteSources = git.registerRemoteSourceProvider({
    name: 'Bitbucket',
    icon: 'repo',
    supportsQuery: true,
    getRemoteSources: (query) => searchRemoteSources(session, model, hosts, logger, query),
  });
  const publisher = git.registerRemoteSourcePublisher?.({ name: 'Bitbucket', icon: 'repo', publishRepository: publish });
  logger.info('Registered with the built-in git extension (credentials, "Git: Clone" and "Publish to Bitbucket").');
  return vscode.Disposable.from(credentials, remoteSources, ...(publisher ? [publisher] : []));
}

async function searchRemoteSources(
  session: Session,
  model: RepositoriesModel,
  hosts: GitHosts,
  logger: Logger,
  query: string | undefined,
): Promise<GitRemoteSource[]> {
  const host = session.host();
  if (!host || session.state !== 'signedIn') return [];
  const workspaces = (await model.containers()).slice(0, WORKSPACES_SEARCHED);
  const results = await Promise.all(
    workspaces.map(async (workspace): Promise<readonly HostedRepository[]> => {
      try {
        const page = await host.repositories(workspace.slug, {
          nameContains: query,
          pageSize: RESULTS_PER_WORKSPACE,
          withCloneLinks: true,
        });
        return page.values;
      } catch (error) {
        logger.warn(`"Git: Clone" could not search ${workspace.slug}: ${(error as Error).message}`);
        return [];
      }
    }),
  );
  return toRemoteSources(results.flat(), hosts, logger);
}
