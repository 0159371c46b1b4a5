/**
 * Repositories as "Git: Clone" entries for VS Code's git. A repository whose clone link is malformed or
 * unusable is left out (and logged as the invalid answer it is); the others are still offered.
 * No `vscode` import.
 */
import { cloneUrl } from '../host/links';
import { Logger } from '../common/logger';
import { HostedRepository } from '../host/types';
import { GitRemoteSource } from './gitApi';
import { GitHosts } from './gitHosts';

/** `account` names the account the repositories were found through, when there are several to tell apart. */
export function toRemoteSources(
  repositories: readonly HostedRepository[],
  hosts: GitHosts,
  logger: Logger,
  account?: string,
): GitRemoteSource[] {
  return repositories.flatMap((repository) => {
    try {
      const https = cloneUrl(repository, 'https');
      if (!https) return [];
      hosts.learnFrom(repository);
      const ssh = cloneUrl(repository, 'ssh');
      return [
        {
          name: `$(${repository.isPrivate ? 'lock' : 'repo'}) ${repository.fullName}`,
          description: [account, repository.description].filter(Boolean).join(' · ') || undefined,
          url: ssh ? [https, ssh] : https,
        },
      ];
    } catch (error) {
      logger.warn(`"Git: Clone" left out ${repository.fullName}: ${(error as Error).message}`);
      return [];
    }
  });
}
