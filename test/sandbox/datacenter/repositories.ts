import { promises as fs } from 'fs';
import * as path from 'path';
import { BareRepositories } from '../bare-repos';
import { ChildProcessTracker, completion, gitEnvironment } from '../child-processes';
import { FastImportWriter, Person } from '../fast-import';
import { RepositoryRecord } from '../seed';
import { DATACENTER, DcRepositorySeed } from './seed';

/**
 * An adapter over the Cloud sandbox's BareRepositories (which builds a README commit and a scaffolding
 * commit on first use, in a temporary directory renamed into place): Data Center repositories live under
 * `<root>/<PROJECT KEY>/<slug>.git`, and after the shared build this adds what a DC client browses for:
 * a `develop` branch with one more commit, a lightweight tag `v1.0.0` on the default branch and an annotated
 * tag `v1.1.0-rc1` on develop. Repositories created through the API stay empty (pushes fill them).
 * A marker file records that the extra refs are there, so each repository is extended once.
 */
const EXTENDED_FILE = 'sandbox-datacenter-refs';
const DC_PERSON: Person = { name: DATACENTER.user.displayName, email: DATACENTER.user.emailAddress };

/** The record BareRepositories builds from; `workspace` is the directory, here the project key. */
export function bareRecord(repository: DcRepositorySeed): RepositoryRecord {
  return {
    workspace: repository.projectKey,
    slug: repository.slug,
    name: repository.name,
    uuid: `{dc-${repository.id}}`,
    description: repository.description ?? '',
    isPrivate: !repository.public,
    projectKey: repository.projectKey,
    language: repository.language,
    createdOn: repository.createdOn,
    updatedOn: repository.updatedOn,
    size: 0,
    hasIssues: false,
    hasWiki: false,
    forkPolicy: repository.forkable ? 'allow_forks' : 'no_forks',
    mainBranch: repository.defaultBranch,
    website: '',
    content: repository.created ? 'empty' : 'readme',
  };
}

export class DcRepositories {
  private readonly extending = new Map<string, Promise<void>>();

  private constructor(
    private readonly bare: BareRepositories,
    private readonly tracker: ChildProcessTracker,
  ) {}

  static async open(dataDir: string | undefined, tracker: ChildProcessTracker): Promise<DcRepositories> {
    return new DcRepositories(await BareRepositories.open(dataDir, tracker), tracker);
  }

  get root(): string {
    return this.bare.root;
  }

  get gitHome(): string {
    return this.bare.gitHome;
  }

  gitDir(repository: DcRepositorySeed): string {
    return this.bare.pathOf(repository.projectKey, repository.slug);
  }

  /** Builds the repository's git data if this is its first use and returns its git directory. */
  async ensure(repository: DcRepositorySeed): Promise<string> {
    await this.bare.ensure(bareRecord(repository));
    const gitDir = this.gitDir(repository);
    if (repository.created || (await exists(path.join(gitDir, EXTENDED_FILE)))) {
      return gitDir;
    }
    let pending = this.extending.get(gitDir);
    if (!pending) {
      pending = this.extend(gitDir, repository).finally(() => this.extending.delete(gitDir));
      this.extending.set(gitDir, pending);
    }
    await pending;
    return gitDir;
  }

  /** Back to the seed: waits for builds under way, then drops every built repository. */
  async reset(): Promise<void> {
    await Promise.allSettled(this.extending.values());
    await this.bare.reset();
  }

  close(): Promise<void> {
    return this.bare.close();
  }

  private async extend(gitDir: string, repository: DcRepositorySeed): Promise<void> {
    const child = this.tracker.spawn('git', ['fast-import', '--quiet', '--done'], {
      env: gitEnvironment(this.gitHome, { GIT_DIR: gitDir }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const finished = completion(child, 'git fast-import');
    const stdin = child.stdin;
    if (!stdin) {
      throw new Error('git fast-import has no stdin');
    }
    stdin.on('error', () => undefined);
    const main = `refs/heads/${repository.defaultBranch}^0`;
    const time = Math.floor(repository.updatedOn / 1000) + 3600;
    try {
      // `reset … from` starts develop (and the lightweight tag) at the default branch's head built before.
      stdin.write(`reset refs/heads/develop\nfrom ${main}\n\nreset refs/tags/v1.0.0\nfrom ${main}\n\n`);
      const writer = new FastImportWriter(stdin);
      const mark = await writer.commit({
        branch: 'develop',
        author: DC_PERSON,
        time,
        message: 'Start the next release\n',
        files: [
          { path: 'CHANGELOG.md', content: `# Changelog of ${repository.name}\n\n## Unreleased\n\n- Work in progress on develop.\n` },
        ],
      });
      await writer.tag('v1.1.0-rc1', mark, DC_PERSON, time + 60, 'First release candidate\n');
      await writer.finish();
    } catch (error) {
      await finished;
      throw error;
    }
    await finished;
    await fs.writeFile(path.join(gitDir, EXTENDED_FILE), 'develop, v1.0.0, v1.1.0-rc1\n');
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
