/**
 * Bitbucket inside VS Code's own git: a credentials provider, so fetch, pull and push on a Bitbucket
 * clone get the token without git storing it, and a remote source provider, so "Git: Clone" lists
 * and searches Bitbucket repositories.
 */
import * as vscode from 'vscode';
import { cloneUrl } from '../bitbucket/cloneLinks';
import { nameContains } from '../bitbucket/client';
import { gitUsername } from '../bitbucket/credentials';
import { Logger } from '../bitbucket/http';
import { Repository } from '../bitbucket/schemas';
import { Session } from '../auth/session';
import { RepositoriesTreeProvider } from '../tree/repositoriesProvider';
import { GitApi, GitCredentials, GitExtension, GitRemoteSource } from './gitApi';
import { GitHosts } from './gitHosts';

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
  const stored = session.stored;
  if (!stored || !hosts.has(host.authority)) return undefined;
  return { username: gitUsername(stored.credential), password: stored.credential.token };
}

export async function registerWithGit(
  session: Session,
  tree: RepositoriesTreeProvider,
  hosts: GitHosts,
  logger: Logger,
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
    getRemoteSources: (query) => searchRemoteSources(session, tree, hosts, logger, query),
  });
  logger.info('Registered with the built-in git extension (credentials and "Git: Clone").');
  return vscode.Disposable.from(credentials, remoteSources);
}

async function searchRemoteSources(
  session: Session,
  tree: RepositoriesTreeProvider,
  hosts: GitHosts,
  logger: Logger,
  query: string | undefined,
): Promise<GitRemoteSource[]> {
  const client = session.client();
  if (!client || session.state !== 'signedIn') return [];
  const workspaces = (await tree.workspaces()).slice(0, WORKSPACES_SEARCHED);
  const text = query?.trim();
  const results = await Promise.all(
    workspaces.map(async (workspace) => {
      try {
        const page = await client
          .listRepositories(workspace.slug, { query: text ? nameContains(text) : undefined, pageSize: RESULTS_PER_WORKSPACE })
          .next();
        return page.value?.values ?? [];
      } catch (error) {
        session.noteError(error);
        logger.warn(`"Git: Clone" could not search ${workspace.slug}: ${(error as Error).message}`);
        return [];
      }
    }),
  );
  return results.flat().flatMap((repository) => toRemoteSource(repository, hosts));
}

function toRemoteSource(repository: Repository, hosts: GitHosts): GitRemoteSource[] {
  const https = cloneUrl(repository, 'https');
  if (!https) return [];
  hosts.learnFrom(repository);
  const ssh = cloneUrl(repository, 'ssh');
  return [
    {
      name: `$(${repository.is_private ? 'lock' : 'repo'}) ${repository.full_name}`,
      description: repository.description || undefined,
      url: ssh ? [https, ssh] : https,
    },
  ];
}
