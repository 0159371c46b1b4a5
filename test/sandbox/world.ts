import {
  ACCESS_TOKENS,
  AccessTokenSeed,
  API_TOKENS,
  ApiTokenSeed,
  benchSeeds,
  MAX_EXTRA_USERS,
  USERS,
  UserSeed,
  WORKSPACES,
  WorkspaceSeed,
} from './seed';

/**
 * One sandbox's accounts, tokens and workspaces: the fixed seed (demo-user and second-user) plus the
 * bench users `SandboxOptions.extraUsers` asks for. Read-only once built; lookups are indexed, so a
 * world with thousands of bench users answers as fast as the default one.
 */
export interface WorkspaceAccess {
  workspace: WorkspaceSeed;
  administrator: boolean;
}

export class SeedWorld {
  readonly users: readonly UserSeed[];
  private readonly workspaceList: readonly WorkspaceSeed[];
  /** By slug and by `{uuid}`. */
  private readonly workspaceIndex = new Map<string, WorkspaceSeed>();
  /** Per username, sorted by slug as /user/workspaces lists them. */
  private readonly accessIndex = new Map<string, WorkspaceAccess[]>();
  private readonly apiTokens = new Map<string, ApiTokenSeed>();
  private readonly accessTokens = new Map<string, AccessTokenSeed>();

  /** `extraUsers` bench users (`bench-user-1` ... `bench-user-N`) on top of the fixed seed. */
  constructor(readonly extraUsers = 0) {
    if (!Number.isInteger(extraUsers) || extraUsers < 0 || extraUsers > MAX_EXTRA_USERS) {
      throw new RangeError(`extraUsers must be a whole number from 0 to ${MAX_EXTRA_USERS}; got ${extraUsers}`);
    }
    const users = [...USERS];
    const workspaces = [...WORKSPACES];
    const apiTokens = [...API_TOKENS];
    for (let index = 1; index <= extraUsers; index++) {
      const bench = benchSeeds(index);
      users.push(bench.user);
      apiTokens.push(bench.token);
      workspaces.push(...bench.workspaces);
    }
    this.users = users;
    this.workspaceList = workspaces;
    for (const workspace of workspaces) {
      this.workspaceIndex.set(workspace.slug, workspace);
      this.workspaceIndex.set(workspace.uuid, workspace);
      for (const member of workspace.members) {
        let list = this.accessIndex.get(member.username);
        if (!list) {
          list = [];
          this.accessIndex.set(member.username, list);
        }
        list.push({ workspace, administrator: member.administrator });
      }
    }
    for (const list of this.accessIndex.values()) {
      list.sort((a, b) => (a.workspace.slug < b.workspace.slug ? -1 : a.workspace.slug > b.workspace.slug ? 1 : 0));
    }
    apiTokens.forEach((token) => this.apiTokens.set(token.secret, token));
    ACCESS_TOKENS.forEach((token) => this.accessTokens.set(token.secret, token));
  }

  workspaces(): readonly WorkspaceSeed[] {
    return this.workspaceList;
  }

  /** A workspace by slug or by `{uuid}`, as the API accepts both. */
  workspace(id: string): WorkspaceSeed | undefined {
    return this.workspaceIndex.get(id);
  }

  /** The workspaces the account belongs to with its administrator flag in each, sorted by slug. */
  workspacesOf(user: UserSeed): readonly WorkspaceAccess[] {
    return this.accessIndex.get(user.username) ?? [];
  }

  /** Any API token with this secret, expired ones included. */
  apiToken(secret: string): ApiTokenSeed | undefined {
    return this.apiTokens.get(secret);
  }

  accessToken(secret: string): AccessTokenSeed | undefined {
    return this.accessTokens.get(secret);
  }
}
