import { createHash } from 'crypto';
import { SeededRandom } from '../random';

/**
 * The seeded world of the Data Center sandbox: two users, five HTTP access tokens (personal, read-only
 * personal, project, repository, expired), six projects (one with 5,000 repositories, generated only when
 * first asked for) and dc-user's personal project. Everything derives from fixed labels (no `Math.random`),
 * so every run serves the same ids, names and token secrets.
 */

/** Project permissions in Bitbucket's order; REPO_CREATE (8.x) sits between PROJECT_WRITE and PROJECT_ADMIN. */
export type ProjectPermission = 'PROJECT_VIEW' | 'PROJECT_READ' | 'PROJECT_WRITE' | 'REPO_CREATE' | 'PROJECT_ADMIN';
export type RepositoryPermission = 'REPO_READ' | 'REPO_WRITE' | 'REPO_ADMIN';
/** What an HTTP access token may carry: one project level (personal and project tokens) and one repository level. */
export type TokenPermission = 'PROJECT_READ' | 'PROJECT_WRITE' | 'PROJECT_ADMIN' | RepositoryPermission;

export interface DcUser {
  id: number;
  /** The user name, used with personal tokens in Basic authentication. */
  name: string;
  slug: string;
  displayName: string;
  emailAddress: string;
}

export interface DcToken {
  /** The token's name, as Bitbucket lists it; the request log's `credential`. */
  name: string;
  /** The secret. */
  token: string;
  kind: 'personal' | 'project' | 'repository';
  /** Personal tokens: the owner's user name. */
  owner?: string;
  /** Project and repository tokens: where they work. */
  projectKey?: string;
  repositorySlug?: string;
  permissions: readonly TokenPermission[];
  expired?: boolean;
  /** What it may do, for people reading the CLI banner. */
  summary: string;
}

export interface DcProjectSeed {
  key: string;
  id: number;
  name: string;
  description?: string;
  public: boolean;
  type: 'NORMAL' | 'PERSONAL';
  /** PERSONAL: the owner's user name (who administers it). */
  owner?: string;
  /** Users' explicit permissions on the project. */
  grants: Readonly<Record<string, ProjectPermission>>;
}

export interface DcRepositorySeed {
  id: number;
  slug: string;
  name: string;
  description?: string;
  projectKey: string;
  public: boolean;
  forkable: boolean;
  archived: boolean;
  defaultBranch: string;
  language: string;
  /** Epoch milliseconds; dates the seeded commits. */
  createdOn: number;
  updatedOn: number;
  /** Made through the API: its git repository starts empty. */
  created?: boolean;
}

/** A token secret shaped like Bitbucket's (`BBDC-` + base64 of `<12-digit id>:<20 bytes>`), derived from a label. */
function tokenSecret(label: string, id: number): string {
  const secret = createHash('sha256').update(`datacenter-token:${label}`).digest().subarray(0, 20);
  return `BBDC-${Buffer.concat([Buffer.from(`${String(id).padStart(12, '0')}:`), secret]).toString('base64')}`;
}

const DC_USER: DcUser = { id: 101, name: 'dc-user', slug: 'dc-user', displayName: 'DC User', emailAddress: 'dc-user@example.com' };
const OTHER_USER: DcUser = {
  id: 102,
  name: 'other-user',
  slug: 'other-user',
  displayName: 'Other User',
  emailAddress: 'other-user@example.com',
};

export const BIG_PROJECT_KEY = 'PLAT';
export const BIG_PROJECT_SIZE = 5000;
export const PERSONAL_PROJECT_KEY = `~${DC_USER.slug.toUpperCase()}`;

const TOKENS = {
  personal: {
    name: 'dc-user-full-access',
    token: tokenSecret('dc-user-full-access', 252973515001),
    kind: 'personal',
    owner: DC_USER.name,
    permissions: ['PROJECT_ADMIN', 'REPO_ADMIN'],
    summary: "dc-user's own rights: read, push, create repositories where dc-user may (PLAT, ~DC-USER)",
  },
  readOnly: {
    name: 'dc-user-read-only',
    token: tokenSecret('dc-user-read-only', 252973515002),
    kind: 'personal',
    owner: DC_USER.name,
    permissions: ['PROJECT_READ', 'REPO_READ'],
    summary: 'read and clone what dc-user may read; no push, no create (401)',
  },
  project: {
    name: 'plat-ci',
    token: tokenSecret('plat-ci', 252973515003),
    kind: 'project',
    projectKey: BIG_PROJECT_KEY,
    permissions: ['PROJECT_READ', 'REPO_WRITE'],
    summary: 'Bearer only; read, clone and push every PLAT repository; nothing private elsewhere',
  },
  repository: {
    name: 'web-app-deploy',
    token: tokenSecret('web-app-deploy', 252973515004),
    kind: 'repository',
    projectKey: 'APPS',
    repositorySlug: 'web-app',
    permissions: ['REPO_READ'],
    summary: 'Bearer only; read and clone APPS/web-app only',
  },
  expired: {
    name: 'dc-user-expired',
    token: tokenSecret('dc-user-expired', 252973515005),
    kind: 'personal',
    owner: DC_USER.name,
    permissions: ['PROJECT_ADMIN', 'REPO_ADMIN'],
    expired: true,
    summary: 'expired: 401 everywhere',
  },
} as const satisfies Record<string, DcToken>;

/**
 * What tests and the CLI need to sign in and find things. `tokens.*.token` are the secrets; the request log
 * names a token only by `tokens.*.name`.
 */
export const DATACENTER = {
  user: DC_USER,
  otherUser: OTHER_USER,
  tokens: TOKENS,
  /** dc-user's personal project: `~DC-USER` in JSON; `~dc-user` works in URLs too. */
  personalProjectKey: PERSONAL_PROJECT_KEY,
  bigProject: { key: BIG_PROJECT_KEY, size: BIG_PROJECT_SIZE },
  /** dc-user may create repositories here (REPO_CREATE) and in the personal project (PROJECT_ADMIN). */
  creatableProjects: [BIG_PROJECT_KEY, PERSONAL_PROJECT_KEY],
  /** Exists; dc-user has no permission on it, so it is never listed for dc-user. */
  hiddenProject: 'SECRET',
  /** A public project: readable anonymously. */
  publicProject: 'PUB',
  privateRepository: { projectKey: PERSONAL_PROJECT_KEY, slug: 'diary' },
  publicRepository: { projectKey: 'PUB', slug: 'open-toolkit' },
  /** Where the repository token works. */
  tokenRepository: { projectKey: 'APPS', slug: 'web-app' },
  /** Branches and tags of every seeded repository's git data. */
  branches: ['develop', 'main'],
  tags: ['v1.0.0', 'v1.1.0-rc1'],
  version: { version: '9.2.4', buildNumber: '9002004', buildDate: '1731488400000', displayName: 'Bitbucket' },
} as const;

export const USERS: readonly DcUser[] = [DC_USER, OTHER_USER];
export const ALL_TOKENS: readonly DcToken[] = Object.values(TOKENS);

export const PROJECTS: readonly DcProjectSeed[] = [
  {
    key: BIG_PROJECT_KEY,
    id: 1,
    name: 'Platform',
    description: 'Every service of the platform',
    public: false,
    type: 'NORMAL',
    grants: { [DC_USER.name]: 'REPO_CREATE', [OTHER_USER.name]: 'PROJECT_ADMIN' },
  },
  {
    key: 'APPS',
    id: 2,
    name: 'Applications',
    description: 'Customer-facing applications',
    public: false,
    type: 'NORMAL',
    grants: { [DC_USER.name]: 'PROJECT_WRITE' },
  },
  { key: 'TOOLS', id: 3, name: 'Developer Tools', public: false, type: 'NORMAL', grants: { [DC_USER.name]: 'PROJECT_READ' } },
  { key: 'PUB', id: 4, name: 'Open Source', description: 'Public code', public: true, type: 'NORMAL', grants: {} },
  {
    key: 'SECRET',
    id: 5,
    name: 'Secret Project',
    description: 'Not for dc-user',
    public: false,
    type: 'NORMAL',
    grants: { [OTHER_USER.name]: 'PROJECT_ADMIN' },
  },
  { key: PERSONAL_PROJECT_KEY, id: 6, name: DC_USER.displayName, public: false, type: 'PERSONAL', owner: DC_USER.name, grants: {} },
];

const day = 24 * 60 * 60 * 1000;
const SEED_EPOCH = Date.parse('2022-01-03T09:00:00Z');
const LANGUAGES = ['java', 'typescript', 'go', 'python', 'kotlin'];
const DOMAINS = ['billing', 'catalog', 'identity', 'search', 'ledger', 'gateway', 'metrics', 'orders', 'routing', 'storage'];

/** Bitbucket derives a slug from the name: lower case, runs of anything but letters, digits, `_`, `.` and `-` become `-`. */
export function dcSlugify(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The i-th (1-based) repository of the big project; every 50th has capitals and spaces, every 7th is public. */
export function bigProjectRepository(index: number): DcRepositorySeed {
  const random = new SeededRandom(`datacenter/${BIG_PROJECT_KEY}/${index}`);
  const number = String(index).padStart(4, '0');
  const domain = DOMAINS[(index - 1) % DOMAINS.length];
  const name = index % 50 === 0 ? `Service ${number} ${domain.toUpperCase()} Edge` : `service-${number}-${domain}`;
  const createdOn = SEED_EPOCH + index * 3 * 60 * 60 * 1000;
  return {
    id: index,
    slug: dcSlugify(name),
    name,
    description: random.chance(0.1) ? undefined : `The ${domain} service, shard ${number}`,
    projectKey: BIG_PROJECT_KEY,
    public: index % 7 === 0,
    forkable: random.chance(0.8),
    archived: false,
    defaultBranch: random.chance(0.9) ? 'main' : 'master',
    language: random.pick(LANGUAGES),
    createdOn,
    updatedOn: createdOn + random.int(1, 300) * day,
  };
}

interface SmallRepository {
  name: string;
  description?: string;
  public?: boolean;
  archived?: boolean;
}

const SMALL_REPOSITORIES: Readonly<Record<string, readonly SmallRepository[]>> = {
  APPS: [
    { name: 'web-app', description: 'The web front end' },
    { name: 'mobile-app', description: 'iOS and Android' },
    { name: 'Admin Console', description: 'Back-office tools' },
    { name: 'api-gateway' },
  ],
  TOOLS: [{ name: 'build-scripts', description: 'CI helpers' }, { name: 'lint-config' }, { name: 'legacy-scripts', archived: true }],
  PUB: [
    { name: 'open-toolkit', description: 'Utilities anyone may use', public: true },
    { name: 'docs-site', description: 'Public documentation' },
  ],
  SECRET: [{ name: 'launch-codes', description: 'Top secret' }, { name: 'shared-lib' }],
  [PERSONAL_PROJECT_KEY]: [
    { name: 'dotfiles', description: "dc-user's configuration", public: true },
    { name: 'snippets', public: true },
    { name: 'diary', description: 'Private notes' },
  ],
};

/** The repositories of every project but the big one, with ids after the big project's. */
export const SMALL_PROJECT_REPOSITORIES: ReadonlyMap<string, readonly DcRepositorySeed[]> = (() => {
  const result = new Map<string, DcRepositorySeed[]>();
  let id = BIG_PROJECT_SIZE;
  for (const [projectKey, repositories] of Object.entries(SMALL_REPOSITORIES)) {
    result.set(
      projectKey,
      repositories.map((repository, index) => {
        const createdOn = SEED_EPOCH + (id - BIG_PROJECT_SIZE + 1) * day;
        return {
          id: ++id,
          slug: dcSlugify(repository.name),
          name: repository.name,
          description: repository.description,
          projectKey,
          public: repository.public ?? false,
          forkable: true,
          archived: repository.archived ?? false,
          defaultBranch: 'main',
          language: LANGUAGES[index % LANGUAGES.length],
          createdOn,
          updatedOn: createdOn + 30 * day,
        };
      }),
    );
  }
  return result;
})();

/** Bitbucket's `hierarchyId`: 20 hex digits shared by a repository and its forks; here derived from its place. */
export function hierarchyId(repository: DcRepositorySeed): string {
  return createHash('sha1').update(`hierarchy:${repository.projectKey}/${repository.slug}`).digest('hex').slice(0, 20);
}
