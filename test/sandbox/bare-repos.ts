import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ChildProcessTracker, completion, gitEnvironment } from './child-processes';
import { FastImportWriter } from './fast-import';
import { DEMO, RepositoryRecord, seedRepository } from './seed';
import { writeLargeHistory, writeReadmeHistory } from './seed-history';
import { SPECIAL_FILES, writeSpecialHistory } from './special-repository';

/**
 * The bare git repositories behind the sandbox, under `<root>/<workspace>/<slug>.git`.
 * A repository is built on its first git request, so 5,000 seeded repositories cost nothing until
 * cloned. Building happens in a hidden temporary directory that is renamed into place when complete.
 */
const MARKER_FILE = '.bitbucket-sandbox';
const COMPLETE_FILE = 'sandbox-complete';
const HOME_DIR = '.home';

export class BareRepositories {
  private readonly building = new Map<string, Promise<void>>();
  private readonly built = new Set<string>();
  private counter = 0;
  private resetting: Promise<void> = Promise.resolve();
  /** How long the largest repository took to build, once it has been built in this process. */
  largestBuildMs?: number;

  private constructor(
    readonly root: string,
    private readonly ownsRoot: boolean,
    private readonly tracker: ChildProcessTracker,
  ) {}

  /**
   * Opens `dataDir` (creating it) or a fresh temporary directory. A given directory must be empty or
   * one the sandbox made before; everything but a finished largest repository is cleared from it.
   */
  static async open(dataDir: string | undefined, tracker: ChildProcessTracker): Promise<BareRepositories> {
    if (!dataDir) {
      const root = await fs.mkdtemp(path.join(os.tmpdir(), 'bitbucket-sandbox-'));
      await fs.writeFile(path.join(root, MARKER_FILE), 'Bare repositories of the Bitbucket sandbox.\n');
      return new BareRepositories(root, true, tracker);
    }
    const root = path.resolve(dataDir);
    await fs.mkdir(root, { recursive: true });
    const entries = await fs.readdir(root);
    if (entries.length > 0 && !entries.includes(MARKER_FILE)) {
      throw new Error(`${root} is not empty and was not made by the Bitbucket sandbox; pick an empty directory.`);
    }
    await fs.writeFile(path.join(root, MARKER_FILE), 'Bare repositories of the Bitbucket sandbox.\n');
    const repositories = new BareRepositories(root, false, tracker);
    await repositories.removeAllExceptLargest();
    return repositories;
  }

  get gitHome(): string {
    return path.join(this.root, HOME_DIR);
  }

  pathOf(workspace: string, slug: string): string {
    return path.join(this.root, workspace, `${slug}.git`);
  }

  /** Builds the repository if this is its first use; concurrent callers share one build. */
  async ensure(repository: RepositoryRecord): Promise<void> {
    await this.resetting;
    await this.ensureNow(repository);
  }

  /** ensure() without waiting for a reset: for builds that need another repository first (a reset waits for them). */
  private async ensureNow(repository: RepositoryRecord): Promise<void> {
    const key = `${repository.workspace}/${repository.slug}`;
    if (this.built.has(key)) {
      return;
    }
    let pending = this.building.get(key);
    if (!pending) {
      pending = this.build(repository)
        .then(() => {
          this.built.add(key);
        })
        .finally(() => this.building.delete(key));
      this.building.set(key, pending);
    }
    await pending;
  }

  /**
   * Back to the seed: drops every built repository except a finished largest one (slow to rebuild).
   * Requests that arrive meanwhile wait for it.
   */
  reset(): Promise<void> {
    const run = this.resetting.then(async () => {
      await Promise.allSettled(this.building.values());
      this.built.clear();
      await this.removeAllExceptLargest();
      if (await isComplete(this.largestPath())) {
        this.built.add(`${DEMO.largestRepository.workspace}/${DEMO.largestRepository.slug}`);
      }
    });
    this.resetting = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.tracker.killAll();
    await Promise.allSettled([this.resetting, ...this.building.values()]);
    if (this.ownsRoot) {
      await fs.rm(this.root, { recursive: true, force: true });
    }
  }

  private largestPath(): string {
    return this.pathOf(DEMO.largestRepository.workspace, DEMO.largestRepository.slug);
  }

  private async removeAllExceptLargest(): Promise<void> {
    const largest = this.largestPath();
    const keepLargest = await isComplete(largest);
    for (const workspace of await fs.readdir(this.root, { withFileTypes: true })) {
      if (!workspace.isDirectory() || workspace.name === HOME_DIR) {
        continue;
      }
      const workspaceDir = path.join(this.root, workspace.name);
      for (const entry of await fs.readdir(workspaceDir)) {
        const full = path.join(workspaceDir, entry);
        if (!(keepLargest && full === largest)) {
          await fs.rm(full, { recursive: true, force: true });
        }
      }
    }
  }

  private async build(repository: RepositoryRecord): Promise<void> {
    const target = this.pathOf(repository.workspace, repository.slug);
    if (await isComplete(target)) {
      return;
    }
    const started = Date.now();
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.mkdir(this.gitHome, { recursive: true });
    const temporary = path.join(path.dirname(target), `.${repository.slug}.tmp-${process.pid}-${++this.counter}`);
    const env = gitEnvironment(this.gitHome);
    try {
      await completion(
        this.tracker.spawn('git', ['init', '--bare', '--quiet', `--initial-branch=${repository.mainBranch}`, temporary], { env }),
        'git init',
      );
      // Lets git http-backend accept pushes; the sandbox checks credentials before git ever runs.
      await fs.appendFile(path.join(temporary, 'config'), '[http]\n\treceivepack = true\n');
      if (repository.content !== 'empty') {
        await this.importHistory(temporary, repository);
      }
      await fs.writeFile(path.join(temporary, COMPLETE_FILE), `${repository.workspace}/${repository.slug}\n`);
      await fs.rm(target, { recursive: true, force: true });
      await fs.rename(temporary, target);
    } catch (error) {
      await fs.rm(temporary, { recursive: true, force: true });
      throw error;
    }
    if (repository.content === 'large') {
      this.largestBuildMs = Date.now() - started;
    }
  }

  private async importHistory(gitDir: string, repository: RepositoryRecord): Promise<void> {
    const submodule = repository.content === 'special' ? await this.submoduleCommit() : '';
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
    const writer = new FastImportWriter(stdin);
    try {
      if (repository.content === 'special') {
        await writeSpecialHistory(writer, submodule);
      } else {
        await (repository.content === 'large' ? writeLargeHistory(writer, repository) : writeReadmeHistory(writer, repository));
      }
      await writer.finish();
    } catch (error) {
      // The process failing explains more than the broken pipe does.
      await finished;
      throw error;
    }
    await finished;
  }

  /**
   * The commit special-files' submodule points at: demo-user/hello-world's main head (its seeded head unless
   * something was pushed to it first), built first if need be.
   */
  private async submoduleCommit(): Promise<string> {
    const { workspace, slug } = SPECIAL_FILES.submoduleRepository;
    const target = seedRepository(workspace, slug);
    if (!target) {
      throw new Error(`The submodule repository ${workspace}/${slug} is not seeded`);
    }
    await this.ensureNow(target);
    const head = await completion(
      this.tracker.spawn('git', ['rev-parse', '--verify', '--end-of-options', `refs/heads/${target.mainBranch}`], {
        env: gitEnvironment(this.gitHome, { GIT_DIR: this.pathOf(workspace, slug) }),
      }),
      'git rev-parse',
    );
    return head.trim();
  }
}

async function isComplete(gitDir: string): Promise<boolean> {
  try {
    await fs.access(path.join(gitDir, COMPLETE_FILE));
    return true;
  } catch {
    return false;
  }
}
