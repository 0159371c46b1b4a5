import { ProjectSeed, RepositoryRecord, seedRepositories, WorkspaceSeed } from './seed';
import { SeedWorld } from './world';

/**
 * The sandbox's mutable state: seeded repositories (built on first use of a workspace) plus those
 * created through the API, which reset() throws away. Workspaces come from the sandbox's world.
 */
export class RepositoryStore {
  private readonly seeded = new Map<string, RepositoryRecord[]>();
  private readonly bySlug = new Map<string, Map<string, RepositoryRecord>>();
  private created: RepositoryRecord[] = [];
  /** Never reset, so a repository re-created after reset() gets a new uuid, as on Bitbucket. */
  private serial = 0;

  constructor(readonly world: SeedWorld = new SeedWorld()) {}

  workspaces(): readonly WorkspaceSeed[] {
    return this.world.workspaces();
  }

  /** A workspace by slug or by `{uuid}`, as the API accepts both. */
  workspace(id: string): WorkspaceSeed | undefined {
    return this.world.workspace(id);
  }

  project(workspace: WorkspaceSeed, keyOrUuid: string): ProjectSeed | undefined {
    return workspace.projects.find((project) => project.key === keyOrUuid || project.uuid === keyOrUuid);
  }

  /** Seeded repositories in seed order, then created ones in creation order. */
  list(workspace: WorkspaceSeed): RepositoryRecord[] {
    const own = this.created.filter((repository) => repository.workspace === workspace.slug);
    return own.length === 0 ? this.seedOf(workspace) : [...this.seedOf(workspace), ...own];
  }

  /** A repository by slug or by `{uuid}`. */
  get(workspace: WorkspaceSeed, id: string): RepositoryRecord | undefined {
    this.seedOf(workspace);
    const found = this.bySlug.get(workspace.slug)?.get(id);
    if (found || !id.startsWith('{')) {
      return found;
    }
    return this.list(workspace).find((repository) => repository.uuid === id);
  }

  add(repository: RepositoryRecord): void {
    this.created.push(repository);
    this.index(repository);
  }

  nextSerial(): number {
    return ++this.serial;
  }

  /** Forgets created repositories and returns them, so their git data can be removed too. */
  reset(): RepositoryRecord[] {
    const removed = this.created;
    this.created = [];
    for (const repository of removed) {
      this.bySlug.get(repository.workspace)?.delete(repository.slug);
    }
    return removed;
  }

  private seedOf(workspace: WorkspaceSeed): RepositoryRecord[] {
    let repositories = this.seeded.get(workspace.slug);
    if (!repositories) {
      repositories = seedRepositories(workspace);
      this.seeded.set(workspace.slug, repositories);
      repositories.forEach((repository) => this.index(repository));
    }
    return repositories;
  }

  private index(repository: RepositoryRecord): void {
    let slugs = this.bySlug.get(repository.workspace);
    if (!slugs) {
      slugs = new Map();
      this.bySlug.set(repository.workspace, slugs);
    }
    slugs.set(repository.slug, repository);
  }
}
