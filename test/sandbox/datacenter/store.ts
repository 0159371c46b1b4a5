import {
  BIG_PROJECT_KEY,
  BIG_PROJECT_SIZE,
  bigProjectRepository,
  DcProjectSeed,
  DcRepositorySeed,
  dcSlugify,
  PROJECTS,
  SMALL_PROJECT_REPOSITORIES,
} from './seed';

/**
 * The projects and repositories one Data Center sandbox serves: the seed (the big project's 5,000
 * generated on first use, so starting costs nothing) plus what was created through the API, until reset.
 * Project keys and repository slugs are looked up case-insensitively, as Bitbucket does in URLs.
 */
export interface CreateRepositoryInput {
  name: string;
  description?: string;
  forkable?: boolean;
  public?: boolean;
  defaultBranch?: string;
}

/** Ids given to created repositories start here, after every seeded one. */
const FIRST_CREATED_ID = 10_001;

export class DcStore {
  private bigProject?: DcRepositorySeed[];
  private readonly created = new Map<string, DcRepositorySeed[]>();
  private readonly slugIndex = new Map<string, Map<string, DcRepositorySeed>>();
  private nextId = FIRST_CREATED_ID;

  /** Every project, personal ones included, in seed order. */
  projects(): readonly DcProjectSeed[] {
    return PROJECTS;
  }

  project(key: string): DcProjectSeed | undefined {
    const wanted = key.toUpperCase();
    return PROJECTS.find((project) => project.key === wanted);
  }

  /** A project's repositories: seeded ones first (by id), then created ones in creation order. */
  repositories(project: DcProjectSeed): readonly DcRepositorySeed[] {
    const seeded = project.key === BIG_PROJECT_KEY ? this.big() : (SMALL_PROJECT_REPOSITORIES.get(project.key) ?? []);
    const created = this.created.get(project.key);
    return created && created.length > 0 ? [...seeded, ...created] : seeded;
  }

  /** Every repository of every project, project by project. */
  *allRepositories(): Iterable<DcRepositorySeed> {
    for (const project of PROJECTS) {
      yield* this.repositories(project);
    }
  }

  repository(project: DcProjectSeed, slug: string): DcRepositorySeed | undefined {
    return this.index(project).get(slug.toLowerCase());
  }

  /** The slug a name gets; empty when the name has nothing to make one from. */
  slugFor(name: string): string {
    return dcSlugify(name);
  }

  /** Adds a repository (the caller has validated the name and checked for a conflict). */
  create(project: DcProjectSeed, input: CreateRepositoryInput, now = Date.now()): DcRepositorySeed {
    const repository: DcRepositorySeed = {
      id: this.nextId++,
      slug: this.slugFor(input.name),
      name: input.name.trim(),
      description: input.description,
      projectKey: project.key,
      public: input.public ?? false,
      forkable: input.forkable ?? true,
      archived: false,
      defaultBranch: input.defaultBranch ?? 'main',
      language: 'text',
      createdOn: now,
      updatedOn: now,
      created: true,
    };
    const list = this.created.get(project.key) ?? [];
    list.push(repository);
    this.created.set(project.key, list);
    this.index(project).set(repository.slug, repository);
    return repository;
  }

  /** Forgets created repositories (the big project stays generated: it never changes). */
  reset(): void {
    this.created.clear();
    this.slugIndex.clear();
    this.nextId = FIRST_CREATED_ID;
  }

  private big(): DcRepositorySeed[] {
    this.bigProject ??= Array.from({ length: BIG_PROJECT_SIZE }, (_, i) => bigProjectRepository(i + 1));
    return this.bigProject;
  }

  private index(project: DcProjectSeed): Map<string, DcRepositorySeed> {
    let index = this.slugIndex.get(project.key);
    if (!index) {
      index = new Map(this.repositories(project).map((repository) => [repository.slug, repository]));
      this.slugIndex.set(project.key, index);
    }
    return index;
  }
}
