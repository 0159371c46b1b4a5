/**
 * Repositories as "Git: Clone" entries for VS Code's git. A repository whose clone link is malformed or
 * unusable is left out (and logged as the invalid answer it is); the others are still offered.
 * No `vscode` import.
 */
import { cloneUrl } from '../bitbucket/cloneLinks';
import { Logger } from '../common/logger';
import { Repository } from '../bitbucket/schemas';
import { GitRemoteSource } from './gitApi';
import { GitHosts } from './gitHosts';

export function toRemoteSources(repositories: readonly Repository[], hosts: GitHosts, logger: Logger): GitRemoteSource[] {
  return repositories.flatMap((repository) => {
    try {
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
    } catch (error) {
      logger.warn(`"Git: Clone" left out ${repository.full_name}: ${(error as Error).message}`);
      return [];
    }
  });
}
