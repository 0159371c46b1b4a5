/**
 * What the editor knows of a Bitbucket host, whatever its kind: containers of repositories (a workspace on
 * Bitbucket Cloud, a project on Data Center), repositories with their links, and the operations on them.
 * Each host kind maps its own wire format to these types in one place (Cloud: bitbucket/cloudHost.ts);
 * nothing above this interface reads a wire field. No `vscode` import.
 */

/** Where repositories live: a workspace on Bitbucket Cloud, a project on Data Center. */
export interface RepositoryContainer {
  /** The key in URLs and API paths (a workspace slug). */
  readonly slug: string;
  /** The display name, when known. */
  readonly name?: string;
  /** Whether the account may administer it (create repositories there first). */
  readonly administrator: boolean;
}

/** A container's details that take a request of their own. */
export interface ContainerDetails {
  readonly name?: string;
  readonly webUrl?: string;
}

/** A repository as the tree, the commands and git use it. Holds no credential. */
export interface HostedRepository {
  /** Stable across renames where the host has an id; otherwise container/slug. */
  readonly id: string;
  readonly container: string;
  readonly slug: string;
  readonly name: string;
  /** container/slug, as people read and type it. */
  readonly fullName: string;
  readonly isPrivate: boolean;
  readonly description?: string;
  readonly language?: string;
  /** ISO 8601. */
  readonly updatedOn?: string;
  readonly project?: { readonly key?: string; readonly name?: string };
  readonly mainBranch?: string;
  /** The web page, as the host gave it: open it only through `webLink`. */
  readonly webUrl?: string;
  /** Clone links as the host gave them, when they were asked for: use them only through `cloneUrl`. */
  readonly cloneLinks?: { readonly https?: string; readonly ssh?: string };
}

/** Names a repository: what automation passes, and all a command needs to fetch the rest. */
export interface RepositoryRef {
  readonly container: string;
  readonly slug: string;
}

export interface RepositoryPage {
  readonly values: readonly HostedRepository[];
  /** The host's own link or cursor to the next page; absent on the last. */
  readonly next?: string;
  /** The total over all pages, when the host says. */
  readonly size?: number;
}

export type RepositorySort = 'updated' | 'name';

export interface ListOptions {
  readonly sort?: RepositorySort;
  /** Matches repository names containing this text, searched on the server. */
  readonly nameContains?: string;
  readonly pageSize?: number;
  /** Adds clone links, for lists whose every entry may be cloned ("Git: Clone"). */
  readonly withCloneLinks?: boolean;
  readonly signal?: AbortSignal;
}

export interface NewRepository {
  readonly name: string;
  readonly isPrivate: boolean;
  readonly description?: string;
  /** Without a key the repository goes into the container's default project. */
  readonly projectKey?: string;
}

export interface ProjectInfo {
  readonly key: string;
  readonly name?: string;
  readonly description?: string;
}

/** What a path in a repository is at a commit. */
export type SourceEntryKind = 'file' | 'directory' | 'symlink' | 'submodule';

/** One path of a repository at a commit, as the browse file system shows it. */
export interface SourceEntry {
  /** From the repository root, without a leading slash. */
  readonly path: string;
  readonly kind: SourceEntryKind;
  /** Bytes, for files. */
  readonly size?: number;
  readonly binary?: boolean;
  readonly executable?: boolean;
  /** A git-lfs pointer: the bytes are the pointer, not the large file. */
  readonly lfs?: boolean;
}

/** A file's content at a commit. */
export interface SourceFile {
  readonly bytes: Uint8Array;
  readonly contentType: string;
}

/** A branch or tag and the commit it points at now. */
export interface RefInfo {
  readonly name: string;
  readonly kind: 'branch' | 'tag';
  readonly commit: string;
  /** ISO 8601, the commit's date, when known. */
  readonly date?: string;
}

/** What a link to a repository's web page names: the repository, and where in it. */
export interface WebLocation {
  readonly repository: RepositoryRef;
  /**
   * A branch, tag or commit and the path below it, where the host's links run them together (Cloud's
   * `/src/{ref}/{path}`, whose branch may hold `/`): `splitRefAndPath` tells them apart with the host's refs.
   */
  readonly refAndPath?: string;
  /** A branch, tag or commit, where the link names it apart from the path (Data Center's `?at=`). */
  readonly ref?: string;
  /** Below the repository root, without leading slash, where the link names it apart. */
  readonly path?: string;
  /** 1-based, inclusive. */
  readonly lines?: { readonly start: number; readonly end: number };
}

/** One signed-in account on one host. Every method throws the client's typed errors. */
export interface BitbucketHost {
  /** The one container the account reaches when it cannot list any (a Cloud access token's workspace). */
  readonly onlyContainer?: string;
  /** The containers the account reaches, all pages of them. */
  containers(signal?: AbortSignal): Promise<RepositoryContainer[]>;
  containerDetails(container: string, signal?: AbortSignal): Promise<ContainerDetails>;
  /** The first page of a container's repositories; `nextRepositories` follows `next`. */
  repositories(container: string, options?: ListOptions): Promise<RepositoryPage>;
  nextRepositories(next: string, signal?: AbortSignal): Promise<RepositoryPage>;
  /** One repository, with its clone links. */
  repository(ref: RepositoryRef, signal?: AbortSignal): Promise<HostedRepository>;
  /** A refusal's field errors are keyed by NewRepository's field names (and `project`). */
  createRepository(container: string, slug: string, input: NewRepository, signal?: AbortSignal): Promise<HostedRepository>;
  projects(container: string, signal?: AbortSignal): AsyncGenerator<readonly ProjectInfo[]>;
  /** The repository a git URL's path names on this host (`/workspace/slug.git` on Cloud), if it names one. */
  refFromGitPath(path: string): RepositoryRef | undefined;
  /** The commit the repository's main branch points at now. */
  mainCommit(ref: RepositoryRef, signal?: AbortSignal): Promise<string>;
  /** The main branch's head and its root directory at once (what opening a repository needs first). */
  mainRoot(ref: RepositoryRef, signal?: AbortSignal): Promise<{ readonly commit: string; readonly entries: SourceEntry[] }>;
  /** Every entry of a directory at a commit, all pages of it. */
  directory(ref: RepositoryRef, commit: string, path: string, signal?: AbortSignal): Promise<SourceEntry[]>;
  /**
   * Every file of a repository at a commit, as pages arrive (directories listed many levels at once):
   * what a "Go to File" picker searches.
   */
  allFiles(ref: RepositoryRef, commit: string, signal?: AbortSignal): AsyncGenerator<SourceEntry[]>;
  /** What one path is at a commit. */
  entry(ref: RepositoryRef, commit: string, path: string, signal?: AbortSignal): Promise<SourceEntry>;
  /** A file's bytes at a commit; `onProgress` hears of the bytes as they arrive (large files stream). */
  file(
    ref: RepositoryRef,
    commit: string,
    path: string,
    signal?: AbortSignal,
    onProgress?: (received: number, total: number | undefined) => void,
  ): Promise<SourceFile>;
  /** Branches or tags, newest first, searched by name on the server; one page. */
  refs(ref: RepositoryRef, kind: 'branch' | 'tag', options?: { nameContains?: string; signal?: AbortSignal }): Promise<RefInfo[]>;
  /**
   * The web page of a file at a commit, with its lines selected when given (1-based, inclusive), or
   * undefined when the repository has no usable web link.
   */
  fileWebLink(repository: HostedRepository, commit: string, path: string, lines?: { start: number; end: number }): string | undefined;
  /** What a web page's link names on this host (repository, branch, folder, file, lines), or undefined when it is not this host's. */
  webLocation(url: string): WebLocation | undefined;
  /** The repository a git remote URL names on this host (https, ssh or scp-like), if it names one here. */
  refFromRemoteUrl(url: string): RepositoryRef | undefined;
  /** What git presents for this account: the user name the host documents for its token, and the token. */
  gitCredentials(): { readonly username: string; readonly password: string };
  /** How git authenticates: Basic as `gitCredentials`, or a Bearer header where the host refuses Basic. */
  gitAuth(): GitAuth;
}

/** How git proves who it is: a user name and password (through the askpass), or a Bearer header only. */
export type GitAuth =
  | { readonly scheme: 'basic'; readonly username: string; readonly password: string }
  | { readonly scheme: 'bearer'; readonly token: string };

/** Who a credential belongs to, as shown in the Accounts menu and the view. Never holds the secret. */
export interface AccountSummary {
  /** Stable id: the account's uuid, or `workspace:<slug>` for an access token. */
  readonly id: string;
  readonly label: string;
  /** Which kind of credential it signed in with. */
  readonly kind: 'apiToken' | 'accessToken' | 'dataCenterToken';
  /** For an access token, the one workspace it can see. */
  readonly workspace?: string;
  /** For Data Center: the server, and which kind of HTTP access token. */
  readonly serverUrl?: string;
  readonly tokenScope?: 'personal' | 'project' | 'repository';
}
