import { createHash } from 'crypto';
import { SeededRandom } from './random';
import { slugify } from './slug';

/**
 * The sandbox's fixed world: two users (demo-user and second-user, who share `acme`), their workspaces,
 * projects, repositories and credentials, plus on request any number of bench users (`benchUser`).
 * Everything is derived from labels through seeded hashing, so every run serves identical data.
 */
export interface RepositoryRef {
  readonly workspace: string;
  readonly slug: string;
}

/** An account besides demo-user and what it signs in with; `DEMO.second` and `benchUser(i)` have this shape. */
export interface SeededAccount {
  readonly email: string;
  readonly username: string;
  readonly displayName: string;
  readonly accountId: string;
  readonly userUuid: string;
  /** Atlassian API token with every scope (REST: Basic email:token; git: `x-bitbucket-api-token-auth` or the username). */
  readonly apiToken: string;
  /** The token's name, as the request log's `credential` field names it. */
  readonly apiTokenName: string;
  /** The workspaces the account belongs to, in /user/workspaces order (by slug). */
  readonly workspaces: readonly string[];
}

/** second-user: shares `acme` with demo-user (as its administrator) and has a personal workspace of its own. */
export interface SecondAccount extends SeededAccount {
  /** The workspace both users belong to. */
  readonly sharedWorkspace: string;
  readonly personalWorkspace: string;
  /** How many repositories the personal workspace is seeded with. */
  readonly personalRepositoryCount: number;
  /** In the personal workspace; demo-user gets 403 from the API and 404 from git. */
  readonly privateRepository: RepositoryRef;
  readonly publicRepository: RepositoryRef;
  /** Workspace access token for the personal workspace (REST: Bearer; git: x-token-auth). */
  readonly accessToken: { readonly token: string; readonly workspace: string; readonly name: string };
}

/** Plain string and number types (not literals), so callers can pass any of these where another is expected. */
export interface DemoWorld {
  readonly email: string;
  readonly username: string;
  readonly displayName: string;
  readonly accountId: string;
  readonly userUuid: string;
  readonly apiToken: string;
  readonly readOnlyApiToken: string;
  readonly noWorkspaceScopeApiToken: string;
  readonly noRepositoryScopeApiToken: string;
  readonly expiredApiToken: string;
  readonly appPassword: string;
  readonly accessToken: { readonly token: string; readonly workspace: string; readonly name: string };
  readonly gitUsername: string;
  readonly accessTokenGitUsername: string;
  readonly workspaces: readonly string[];
  readonly personalWorkspace: string;
  readonly largeWorkspace: string;
  readonly largeWorkspaceRepositoryCount: number;
  /** Same as largeWorkspaceRepositoryCount. */
  readonly largeWorkspaceSize: number;
  readonly emptyWorkspace: string;
  readonly unicodeWorkspace: string;
  readonly unicodeWorkspaceName: string;
  readonly foreignWorkspace: string;
  readonly largestRepository: RepositoryRef;
  /**
   * Private, in demo-user's workspace: binary files, an LFS pointer, a symbolic link, a submodule, 1,000 files in
   * one folder, a deep tree, and branches main, develop and release/1.0 (see `SPECIAL_FILES`).
   */
  readonly specialRepository: RepositoryRef;
  readonly privateRepository: RepositoryRef;
  readonly publicRepository: RepositoryRef;
  /** A second account, member of `acme` too; each account's requests carry its own credential. */
  readonly second: SecondAccount;
}

export const DEMO: DemoWorld = {
  email: 'demo@example.com',
  username: 'demo-user',
  displayName: 'Demo User',
  accountId: '557058:6c1f0a53-5b8e-4f3a-9d0e-2a7c6b1d9e42',
  userUuid: '{b7d3c9a1-4e2f-4c8b-9a6d-1f0e3c5a7b92}',
  /** Atlassian API token with every scope the extension needs (REST: Basic email:token). */
  apiToken: 'ATATT3xFfGF0DemoFullAccess0sandbox9c4e7a1b5d3f8e2a6c0b4d7f1e9a3c5b=8F2A1C3D',
  /** read:user, read:workspace, read:repository, read:project; no write or admin. */
  readOnlyApiToken: 'ATATT3xFfGF0DemoReadOnly0sandbox2b7d9f1a3c5e8b0d4f6a2c9e1b7d3f5a=4C6E8A0B',
  /** Everything except read:workspace:bitbucket. */
  noWorkspaceScopeApiToken: 'ATATT3xFfGF0DemoNoWorkspace0sandbox5e1a9c3f7b2d6e0a4c8f1b5d9e3a7c=1D3F5B7E',
  /** read:user, read:workspace and read:project only: signs in, then cannot list repositories. */
  noRepositoryScopeApiToken: 'ATATT3xFfGF0DemoNoRepository0sandbox8d2f6b0a4e9c3f7a1d5b9e2c6f0a4d=7A9C1E3B',
  /** Past its expiry date: 401 everywhere. */
  expiredApiToken: 'ATATT3xFfGF0DemoExpired0sandbox7a3c1e5b9d2f6a0c4e8b1d5f9a3c7e2b=6B8D0F2A',
  /** A removed app password (no ATAT/ATCT prefix): 401 from the API and from git. */
  appPassword: 'xYzA7pPd3mB9sQ2kL5vN',
  /** Workspace access token for acme (REST: Bearer; git: x-token-auth). Cannot call /user or /user/workspaces. */
  accessToken: {
    token: 'ATCTT3xFfGF0DemoAcmeWorkspace0sandbox3f9b1d7a5c2e8f0b6d4a1c9e7b5d=9E1A3C5F',
    workspace: 'acme',
    name: 'acme-ci',
  },
  /** Git user names that go with an API token (the email is refused by git). */
  gitUsername: 'x-bitbucket-api-token-auth',
  accessTokenGitUsername: 'x-token-auth',
  /** The workspaces demo-user belongs to, in /user/workspaces order (by slug). */
  workspaces: ['acme', 'demo-user', 'empty-space', 'tea.house'],
  personalWorkspace: 'demo-user',
  largeWorkspace: 'acme',
  largeWorkspaceRepositoryCount: 5000,
  largeWorkspaceSize: 5000,
  emptyWorkspace: 'empty-space',
  unicodeWorkspace: 'tea.house',
  unicodeWorkspaceName: 'Thé House · Ünicode Ltd.',
  /** Exists, but demo-user is not a member: only its public repositories are visible. */
  foreignWorkspace: 'globex',
  largestRepository: { workspace: 'demo-user', slug: 'monorepo' },
  specialRepository: { workspace: 'demo-user', slug: 'special-files' },
  privateRepository: { workspace: 'acme', slug: 'service-0001-api' },
  publicRepository: { workspace: 'acme', slug: 'service-0002-worker' },
  second: {
    email: 'second@example.com',
    username: 'second-user',
    displayName: 'Second User',
    accountId: '557058:3a9e1c7b-2d4f-4e8a-b6c0-9f1d3e5a7c24',
    userUuid: '{e4a6c8d2-7b1f-4d3e-8c5a-2f9b0d6e1a73}',
    apiToken: 'ATATT3xFfGF0SecondFullAccess0sandbox4d8a2f6c0e3b7d1a5f9c2e6b0a4d8f3c=5A7C9E1B',
    apiTokenName: 'second-full-access',
    workspaces: ['acme', 'second-user'],
    sharedWorkspace: 'acme',
    personalWorkspace: 'second-user',
    personalRepositoryCount: 4,
    privateRepository: { workspace: 'second-user', slug: 'secret-diary' },
    publicRepository: { workspace: 'second-user', slug: 'open-notes' },
    accessToken: {
      token: 'ATCTT3xFfGF0SecondWorkspace0sandbox6e2c8a4f0b7d3e9a1c5f8b2d6a0e4c7f=3B5D7F9A',
      workspace: 'second-user',
      name: 'second-ci',
    },
  },
};

/** A Bitbucket account as /2.0/user describes it. */
export interface UserSeed {
  readonly username: string;
  readonly displayName: string;
  readonly email: string;
  readonly accountId: string;
  readonly uuid: string;
  readonly createdOn: number;
}

export const DEMO_USER: UserSeed = {
  username: DEMO.username,
  displayName: DEMO.displayName,
  email: DEMO.email,
  accountId: DEMO.accountId,
  uuid: DEMO.userUuid,
  createdOn: Date.parse('2014-03-01T09:15:27.553Z'),
};

export const SECOND_USER: UserSeed = {
  username: DEMO.second.username,
  displayName: DEMO.second.displayName,
  email: DEMO.second.email,
  accountId: DEMO.second.accountId,
  uuid: DEMO.second.userUuid,
  createdOn: Date.parse('2019-05-14T16:42:08.120Z'),
};

/** The seeded users (bench users come on top, see `benchUser`). */
export const USERS: readonly UserSeed[] = [DEMO_USER, SECOND_USER];

export const SCOPES = {
  readUser: 'read:user:bitbucket',
  readWorkspace: 'read:workspace:bitbucket',
  readRepository: 'read:repository:bitbucket',
  writeRepository: 'write:repository:bitbucket',
  adminRepository: 'admin:repository:bitbucket',
  deleteRepository: 'delete:repository:bitbucket',
  readProject: 'read:project:bitbucket',
} as const;
export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

export interface ApiTokenSeed {
  kind: 'api-token';
  name: string;
  secret: string;
  scopes: readonly Scope[];
  expired: boolean;
  /** The account the token belongs to: REST needs its email, git its username (or x-bitbucket-api-token-auth). */
  owner: UserSeed;
}

/** Access tokens carry the older scope names (`repository`, `repository:write`, `project`, ...). */
export interface AccessTokenSeed {
  kind: 'access-token';
  name: string;
  secret: string;
  workspace: string;
  scopes: readonly string[];
}

const ALL_SCOPES: readonly Scope[] = Object.values(SCOPES);

export const API_TOKENS: readonly ApiTokenSeed[] = [
  { kind: 'api-token', name: 'demo-full-access', secret: DEMO.apiToken, scopes: ALL_SCOPES, expired: false, owner: DEMO_USER },
  {
    kind: 'api-token',
    name: 'demo-read-only',
    secret: DEMO.readOnlyApiToken,
    scopes: [SCOPES.readUser, SCOPES.readWorkspace, SCOPES.readRepository, SCOPES.readProject],
    expired: false,
    owner: DEMO_USER,
  },
  {
    kind: 'api-token',
    name: 'demo-no-workspace-scope',
    secret: DEMO.noWorkspaceScopeApiToken,
    scopes: ALL_SCOPES.filter((scope) => scope !== SCOPES.readWorkspace),
    expired: false,
    owner: DEMO_USER,
  },
  {
    kind: 'api-token',
    name: 'demo-no-repository-scope',
    secret: DEMO.noRepositoryScopeApiToken,
    scopes: [SCOPES.readUser, SCOPES.readWorkspace, SCOPES.readProject],
    expired: false,
    owner: DEMO_USER,
  },
  { kind: 'api-token', name: 'demo-expired', secret: DEMO.expiredApiToken, scopes: ALL_SCOPES, expired: true, owner: DEMO_USER },
  {
    kind: 'api-token',
    name: DEMO.second.apiTokenName,
    secret: DEMO.second.apiToken,
    scopes: ALL_SCOPES,
    expired: false,
    owner: SECOND_USER,
  },
];

export const ACCESS_TOKENS: readonly AccessTokenSeed[] = [
  {
    kind: 'access-token',
    name: DEMO.accessToken.name,
    secret: DEMO.accessToken.token,
    workspace: DEMO.accessToken.workspace,
    scopes: ['repository', 'repository:write', 'repository:admin', 'project'],
  },
  {
    kind: 'access-token',
    name: DEMO.second.accessToken.name,
    secret: DEMO.second.accessToken.token,
    workspace: DEMO.second.accessToken.workspace,
    scopes: ['repository', 'repository:write', 'repository:admin', 'project'],
  },
];

export interface ProjectSeed {
  key: string;
  name: string;
  description: string;
  uuid: string;
  isPrivate: boolean;
  createdOn: number;
  updatedOn: number;
}

/** One account's place in a workspace. */
export interface WorkspaceMember {
  username: string;
  /** The `administrator` flag of /user/workspaces and `role=admin`. */
  administrator: boolean;
}

export interface WorkspaceSeed {
  slug: string;
  name: string;
  uuid: string;
  kind: 'personal' | 'team';
  /** The account a personal workspace belongs to (its uuid is the account's); absent for teams. */
  owner?: UserSeed;
  /**
   * Who belongs to it. Members see private repositories and projects, create repositories and push;
   * everyone else sees public content only.
   */
  members: WorkspaceMember[];
  createdOn: number;
  /** Oldest first, so projects[0] is where a repository created without a project goes. */
  projects: ProjectSeed[];
  /** Bench workspaces: how many repositories are generated for it (see `benchRepository`). */
  generatedRepositories?: number;
}

/** The account's membership of the workspace, if it has one. */
export function membership(workspace: WorkspaceSeed, username: string): WorkspaceMember | undefined {
  return workspace.members.find((member) => member.username === username);
}

/** readme: two small commits; empty: no commits; large: the monorepo's history; special: special-repository.ts. */
export type RepositoryContent = 'readme' | 'empty' | 'large' | 'special';

export interface RepositoryRecord {
  workspace: string;
  slug: string;
  name: string;
  uuid: string;
  description: string;
  isPrivate: boolean;
  projectKey: string;
  language: string;
  createdOn: number;
  updatedOn: number;
  size: number;
  hasIssues: boolean;
  hasWiki: boolean;
  forkPolicy: 'allow_forks' | 'no_public_forks' | 'no_forks';
  mainBranch: string;
  website: string;
  /** What the bare git repository holds when it is first materialised. */
  content: RepositoryContent;
}

/** A brace-wrapped UUID derived from a label, like Bitbucket's `{...}` identifiers. */
export function seedUuid(label: string): string {
  const hex = createHash('sha1').update(label).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `{${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}}`;
}

const day = 24 * 60 * 60 * 1000;
const utc = (text: string): number => Date.parse(`${text}T00:00:00Z`);

function project(workspace: string, key: string, name: string, created: string, isPrivate = false, description = ''): ProjectSeed {
  const createdOn = utc(created) + 9 * 60 * 60 * 1000;
  return { key, name, description, uuid: seedUuid(`project:${workspace}/${key}`), isPrivate, createdOn, updatedOn: createdOn + 30 * day };
}

export const WORKSPACES: readonly WorkspaceSeed[] = [
  {
    slug: 'demo-user',
    name: DEMO.displayName,
    uuid: DEMO.userUuid,
    kind: 'personal',
    owner: DEMO_USER,
    members: [{ username: DEMO.username, administrator: true }],
    createdOn: utc('2014-03-01'),
    projects: [
      project('demo-user', 'PER', 'Personal', '2014-03-01', false, 'Things I work on.'),
      project('demo-user', 'EXP', 'Experiments', '2019-08-12'),
    ],
  },
  {
    slug: 'acme',
    name: 'Acme Corporation',
    uuid: seedUuid('workspace:acme'),
    kind: 'team',
    // The shared workspace: demo-user is a plain member, second-user administers it.
    members: [
      { username: DEMO.username, administrator: false },
      { username: DEMO.second.username, administrator: true },
    ],
    createdOn: utc('2014-06-02'),
    projects: [
      project('acme', 'PLAT', 'Platform', '2014-06-02', false, 'Shared services and infrastructure.'),
      project('acme', 'PAY', 'Payments', '2015-02-17'),
      project('acme', 'DATA', 'Data & Analytics', '2016-05-09'),
      project('acme', 'WEB', 'Web Frontends', '2017-01-23'),
      project('acme', 'MOB', 'Mobile', '2018-10-01'),
      project('acme', 'SEC', 'Security', '2020-04-14', true, 'Private: security tooling.'),
    ],
  },
  {
    slug: 'empty-space',
    name: 'Empty Space',
    uuid: seedUuid('workspace:empty-space'),
    kind: 'team',
    members: [{ username: DEMO.username, administrator: true }],
    createdOn: utc('2023-11-20'),
    projects: [project('empty-space', 'DEF', 'Default Project', '2023-11-20')],
  },
  {
    slug: 'tea.house',
    name: DEMO.unicodeWorkspaceName,
    uuid: seedUuid('workspace:tea.house'),
    kind: 'team',
    members: [{ username: DEMO.username, administrator: true }],
    createdOn: utc('2021-04-01'),
    projects: [
      project('tea.house', 'TEA', 'Thé Leaves', '2021-04-01', false, 'Teas from everywhere · 世界のお茶'),
      project('tea.house', 'BREW', 'Brewing · Ünits', '2022-09-30'),
    ],
  },
  {
    slug: 'globex',
    name: 'Globex Inc.',
    uuid: seedUuid('workspace:globex'),
    kind: 'team',
    members: [],
    createdOn: utc('2016-07-07'),
    projects: [project('globex', 'GX', 'Globex', '2016-07-07')],
  },
  {
    slug: DEMO.second.personalWorkspace,
    name: DEMO.second.displayName,
    uuid: DEMO.second.userUuid,
    kind: 'personal',
    owner: SECOND_USER,
    members: [{ username: DEMO.second.username, administrator: true }],
    createdOn: utc('2019-05-14'),
    projects: [
      project(DEMO.second.personalWorkspace, 'MINE', 'Mine', '2019-05-14', false, 'Second User’s own things.'),
      project(DEMO.second.personalWorkspace, 'LAB', 'Lab', '2022-02-02'),
    ],
  },
];

const SERVICE_SUFFIXES = [
  'api',
  'worker',
  'web',
  'gateway',
  'billing',
  'auth',
  'search',
  'ingest',
  'reports',
  'mobile',
  'admin',
  'events',
  'config',
  'cache',
  'ledger',
  'notifier',
];
const LANGUAGES = ['typescript', 'python', 'java', 'go', 'javascript', 'kotlin', 'rust', 'c#', 'ruby', 'php', 'scala', ''];
const PURPOSES = [
  'Handles requests for',
  'Processes background jobs for',
  'Serves the user interface of',
  'Routes and throttles traffic for',
  'Owns the data model of',
  'Exports nightly reports for',
];
const SEED_EPOCH = utc('2015-01-01');
const SEED_LATEST_CREATION = utc('2024-06-30');
const SEED_NOW = utc('2026-06-30');

function acmeRepository(index: number, projects: readonly ProjectSeed[]): RepositoryRecord {
  const random = new SeededRandom(`acme/${index}`);
  const number = String(index).padStart(4, '0');
  const suffix = SERVICE_SUFFIXES[(index - 1) % SERVICE_SUFFIXES.length];
  // Every fiftieth name has capitals and a dot, so slugs and names differ in more than spaces.
  const name = index % 50 === 0 ? `Service-${number} ${suffix.toUpperCase()}.v2` : `service-${number} ${suffix}`;
  const slug = slugify(name);
  const projectSeed = random.pick(projects);
  let isPrivate = projectSeed.isPrivate || random.chance(0.7);
  if (index === 1) {
    isPrivate = true;
  } else if (index === 2 && !projectSeed.isPrivate) {
    isPrivate = false;
  }
  const createdOn = SEED_EPOCH + Math.floor(random.next() * (SEED_LATEST_CREATION - SEED_EPOCH));
  const updatedOn = createdOn + Math.floor(random.next() * (SEED_NOW - createdOn));
  const extra = random.chance(0.5) ? ` Maintained by the ${projectSeed.name} team; see the runbook before deploying.` : '';
  return {
    workspace: 'acme',
    slug,
    name,
    uuid: seedUuid(`repository:acme/${slug}`),
    description: random.chance(0.1) ? '' : `${random.pick(PURPOSES)} the ${suffix} domain of Acme.${extra}`,
    isPrivate,
    projectKey: projectSeed.key,
    language: random.pick(LANGUAGES),
    createdOn,
    updatedOn,
    size: random.int(20_000, 80_000_000),
    hasIssues: random.chance(0.3),
    hasWiki: random.chance(0.2),
    forkPolicy: isPrivate ? random.pick(['no_public_forks', 'no_forks'] as const) : 'allow_forks',
    mainBranch: random.chance(0.85) ? 'main' : 'master',
    website: random.chance(0.05) ? `https://${slug}.acme.example` : '',
    content: 'readme',
  };
}

interface HandWrittenRepository {
  name: string;
  projectKey: string;
  isPrivate: boolean;
  language?: string;
  description?: string;
  content?: RepositoryContent;
  created: string;
}

const HAND_WRITTEN: Readonly<Record<string, readonly HandWrittenRepository[]>> = {
  'demo-user': [
    {
      name: 'Monorepo',
      projectKey: 'PER',
      isPrivate: true,
      language: 'typescript',
      description: 'The largest repository here: hundreds of commits and a few MB, for clone benchmarks.',
      content: 'large',
      created: '2016-02-10',
    },
    { name: 'dotfiles', projectKey: 'PER', isPrivate: false, language: 'shell', description: 'My shell setup.', created: '2014-03-02' },
    { name: 'Notes & Ideas', projectKey: 'PER', isPrivate: true, language: '', created: '2017-11-05' },
    {
      name: 'hello-world',
      projectKey: 'EXP',
      isPrivate: false,
      language: 'javascript',
      description: 'Hello, world.',
      created: '2019-08-12',
    },
    { name: 'Advent of Code 2025', projectKey: 'EXP', isPrivate: false, language: 'python', created: '2025-12-01' },
    { name: 'playground', projectKey: 'EXP', isPrivate: true, language: 'go', created: '2020-05-17' },
    {
      name: 'special-files',
      projectKey: 'EXP',
      isPrivate: true,
      language: 'markdown',
      description: 'Binary files, LFS, links, a submodule, 1,000 files in one folder and a deep tree, on three branches.',
      content: 'special',
      created: '2024-03-01',
    },
  ],
  'tea.house': [
    {
      name: 'Thé Garden',
      projectKey: 'TEA',
      isPrivate: true,
      language: 'typescript',
      description: 'Le jardin de thé.',
      created: '2021-04-02',
    },
    {
      name: 'Mañana v2.0',
      projectKey: 'TEA',
      isPrivate: false,
      language: 'python',
      description: 'Tomorrow, probably.',
      created: '2021-06-15',
    },
    { name: 'chai.latte', projectKey: 'BREW', isPrivate: false, language: 'rust', created: '2022-10-01' },
    {
      name: 'Ünicode · Tools',
      projectKey: 'BREW',
      isPrivate: true,
      language: 'kotlin',
      description: 'Tools für Ünicode.',
      created: '2023-01-09',
    },
    {
      name: 'Matcha 抹茶 Docs',
      projectKey: 'TEA',
      isPrivate: false,
      language: '',
      description: '抹茶のドキュメント',
      created: '2023-03-03',
    },
    { name: 'résumé.builder', projectKey: 'BREW', isPrivate: true, language: 'javascript', created: '2024-02-29' },
    {
      name: '  Spaced   Out  ',
      projectKey: 'TEA',
      isPrivate: false,
      language: 'go',
      description: 'Leading and trailing spaces.',
      created: '2024-07-04',
    },
  ],
  globex: [
    { name: 'open-source-kit', projectKey: 'GX', isPrivate: false, language: 'go', description: 'Public tools.', created: '2016-07-08' },
    { name: 'internal-tools', projectKey: 'GX', isPrivate: true, language: 'java', created: '2017-02-02' },
    { name: 'website', projectKey: 'GX', isPrivate: false, language: 'html/css', created: '2018-09-09' },
  ],
  [DEMO.second.personalWorkspace]: [
    {
      name: 'secret-diary',
      projectKey: 'MINE',
      isPrivate: true,
      language: 'markdown',
      description: 'Only second-user may read this.',
      created: '2019-05-15',
    },
    {
      name: 'open-notes',
      projectKey: 'MINE',
      isPrivate: false,
      language: 'python',
      description: 'Notes for everyone.',
      created: '2020-01-20',
    },
    { name: 'Side Project', projectKey: 'LAB', isPrivate: true, language: 'rust', created: '2022-02-03' },
    { name: 'recipes', projectKey: 'LAB', isPrivate: false, language: '', description: 'Things to cook.', created: '2023-08-08' },
  ],
};

function handWrittenRepository(workspace: string, seed: HandWrittenRepository, order: number): RepositoryRecord {
  const slug = slugify(seed.name);
  const createdOn = utc(seed.created) + (10 + order) * 60 * 60 * 1000;
  const random = new SeededRandom(`${workspace}/${slug}`);
  return {
    workspace,
    slug,
    name: seed.name,
    uuid: seedUuid(`repository:${workspace}/${slug}`),
    description: seed.description ?? '',
    isPrivate: seed.isPrivate,
    projectKey: seed.projectKey,
    language: seed.language ?? '',
    createdOn,
    updatedOn: Math.max(createdOn, Math.min(SEED_NOW, createdOn + random.int(1, 400) * day)),
    size: seed.content === 'large' ? 6_500_000 : random.int(40_000, 2_000_000),
    hasIssues: random.chance(0.5),
    hasWiki: false,
    forkPolicy: seed.isPrivate ? 'no_public_forks' : 'allow_forks',
    mainBranch: 'main',
    website: '',
    content: seed.content ?? 'readme',
  };
}

/** The seeded repositories of a workspace, in their default listing order. */
export function seedRepositories(workspace: WorkspaceSeed): RepositoryRecord[] {
  if (workspace.slug === DEMO.largeWorkspace) {
    const repositories: RepositoryRecord[] = [];
    for (let index = 1; index <= DEMO.largeWorkspaceRepositoryCount; index++) {
      repositories.push(acmeRepository(index, workspace.projects));
    }
    return repositories;
  }
  if (workspace.generatedRepositories !== undefined) {
    return Array.from({ length: workspace.generatedRepositories }, (_, order) => benchRepository(workspace, order + 1));
  }
  return (HAND_WRITTEN[workspace.slug] ?? []).map((seed, order) => handWrittenRepository(workspace.slug, seed, order));
}

/** A seeded (not created) repository by workspace and slug, without a store; undefined if there is none. */
export function seedRepository(workspaceSlug: string, slug: string): RepositoryRecord | undefined {
  const workspace = WORKSPACES.find((candidate) => candidate.slug === workspaceSlug);
  return workspace ? seedRepositories(workspace).find((repository) => repository.slug === slug) : undefined;
}

/** Each bench user belongs to this many workspaces of their own (`bench-{i}-ws-1` ... `bench-{i}-ws-5`). */
export const BENCH_WORKSPACES_PER_USER = 5;
/** The most bench users a sandbox seeds; each costs a user, a token and five workspaces of memory. */
export const MAX_EXTRA_USERS = 10_000;

/**
 * Bench user `i` (1-based) as `SandboxOptions.extraUsers` seeds it: `bench-user-{i}`, email
 * `bench-user-{i}@example.com`, an all-scope API token derived from the name, and five workspaces.
 * The same `i` always gives the same account, so tests and benchmarks can compute credentials up front.
 */
export function benchUser(index: number): SeededAccount {
  if (!Number.isInteger(index) || index < 1) {
    throw new RangeError(`Bench users are numbered from 1; got ${index}`);
  }
  const username = `bench-user-${index}`;
  const hex = createHash('sha1').update(`api-token:${username}`).digest('hex');
  const workspaces: string[] = [];
  for (let number = 1; number <= BENCH_WORKSPACES_PER_USER; number++) {
    workspaces.push(`bench-${index}-ws-${number}`);
  }
  return {
    email: `${username}@example.com`,
    username,
    displayName: `Bench User ${index}`,
    accountId: `557058:${seedUuid(`account:${username}`).slice(1, -1)}`,
    userUuid: seedUuid(`user:${username}`),
    apiToken: `ATATT3xFfGF0Bench${index}FullAccess0sandbox${hex.slice(0, 32)}=${hex.slice(32, 40).toUpperCase()}`,
    apiTokenName: `${username}-full-access`,
    workspaces: workspaces.sort(),
  };
}

/** What `benchUser(i)` adds to the world: the account, its token and its workspaces (the first one administered). */
export function benchSeeds(index: number): { user: UserSeed; token: ApiTokenSeed; workspaces: WorkspaceSeed[] } {
  const account = benchUser(index);
  const random = new SeededRandom(`bench-user/${index}`);
  const user: UserSeed = {
    username: account.username,
    displayName: account.displayName,
    email: account.email,
    accountId: account.accountId,
    uuid: account.userUuid,
    createdOn: utc('2024-01-01') + random.int(0, 180) * day,
  };
  const token: ApiTokenSeed = {
    kind: 'api-token',
    name: account.apiTokenName,
    secret: account.apiToken,
    scopes: ALL_SCOPES,
    expired: false,
    owner: user,
  };
  const workspaces = account.workspaces.map((slug, order): WorkspaceSeed => {
    const workspaceRandom = new SeededRandom(`bench-workspace/${slug}`);
    const createdOn = user.createdOn + workspaceRandom.int(0, 60) * day;
    const created = new Date(createdOn).toISOString().slice(0, 10);
    return {
      slug,
      name: `Bench ${index} Workspace ${order + 1}`,
      uuid: seedUuid(`workspace:${slug}`),
      kind: 'team',
      members: [{ username: user.username, administrator: order === 0 }],
      createdOn,
      projects: [project(slug, 'BENCH', 'Bench', created)],
      generatedRepositories: workspaceRandom.int(3, 10),
    };
  });
  return { user, token, workspaces };
}

/** Repository `index` (1-based) of a bench workspace: the first is private, the second public, the rest either. */
function benchRepository(workspace: WorkspaceSeed, index: number): RepositoryRecord {
  const random = new SeededRandom(`${workspace.slug}/${index}`);
  const suffix = SERVICE_SUFFIXES[(index - 1) % SERVICE_SUFFIXES.length];
  const name = `repo-${index} ${suffix}`;
  const slug = slugify(name);
  const isPrivate = index === 1 ? true : index === 2 ? false : random.chance(0.5);
  const createdOn = workspace.createdOn + random.int(1, 300) * day;
  return {
    workspace: workspace.slug,
    slug,
    name,
    uuid: seedUuid(`repository:${workspace.slug}/${slug}`),
    description: `${random.pick(PURPOSES)} the ${suffix} domain of ${workspace.name}.`,
    isPrivate,
    projectKey: workspace.projects[0].key,
    language: random.pick(LANGUAGES),
    createdOn,
    updatedOn: Math.min(SEED_NOW, createdOn + random.int(1, 200) * day),
    size: random.int(20_000, 5_000_000),
    hasIssues: random.chance(0.3),
    hasWiki: false,
    forkPolicy: isPrivate ? 'no_public_forks' : 'allow_forks',
    mainBranch: 'main',
    website: '',
    content: 'readme',
  };
}
