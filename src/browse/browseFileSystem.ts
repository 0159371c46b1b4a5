/**
 * A repository opened without cloning: a read-only file system over the host's `src` API. Each repository
 * (per account) is pinned to one commit, the main branch's head when first opened, kept in global state so
 * that a reload shows the same files; everything fetched for a commit is kept in memory and never asked twice.
 */
import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import { paletteTitle } from '../common/l10n';
import { BitbucketError } from '../bitbucket/errors';
import { Logger } from '../common/logger';
import { BitbucketHost, RepositoryRef, SourceEntry, SourceFile } from '../host/types';
import { absoluteSubmoduleUrl, submoduleUrl } from './gitmodules';
import { BROWSE_SCHEME, BrowseLocation, accountKey, browsePath, mountKey, parseBrowsePath } from './browseLocation';
import { BROWSE_MOUNTS_KEY } from './browseState';
import { SourceCache } from './sourceCache';

export interface Mount {
  readonly commit: string;
  /** The branch or tag the commit was taken from; undefined for the main branch's head when first opened. */
  readonly ref?: string;
  readonly refKind?: 'branch' | 'tag';
  /** A commit a link named on its own (a hash, a submodule's pin): of no branch the switcher should name. */
  readonly detached?: boolean;
}

/** A browsed repository as the branch switcher sees it. */
export interface Browsed {
  readonly root: vscode.Uri;
  readonly repository: RepositoryRef;
  readonly account: BrowseAccount;
  readonly mount: Mount;
}

/** A submodule of a browsed repository, as `.gitmodules` and its entry tell. */
export interface SubmoduleInfo {
  /** Its path in the superproject. */
  readonly path: string;
  /** The commit it pins, when the host told. */
  readonly commit?: string;
  /** Its `url` as `.gitmodules` writes it. */
  readonly written?: string;
  /** That URL made absolute, when it is http(s) (what Open Bitbucket URL takes). */
  readonly url?: string;
}

export interface BrowseAccount {
  readonly id: string;
  readonly label: string;
  host(): BitbucketHost;
}

/** What the file system keeps on disk between sessions; undefined when the setting turns it off. */
export interface PersistentCache {
  getFile(key: string): Promise<SourceFile | undefined>;
  putFile(key: string, file: SourceFile): Promise<void>;
  getDirectory(key: string): Promise<readonly SourceEntry[] | undefined>;
  putDirectory(key: string, entries: readonly SourceEntry[]): Promise<void>;
}

export interface BrowseDeps {
  /** Read at each miss of the memory cache, so turning the setting off takes effect at once. */
  readonly diskCache?: () => PersistentCache | undefined;
  /** The signed-in accounts, to find the one a URI's authority names. */
  readonly accounts: () => readonly BrowseAccount[];
  /** Resolves once the stored accounts are read: a window reopened on a browsed folder asks before that. */
  readonly ready: Promise<void>;
  readonly memento: vscode.Memento;
  readonly logger: Logger;
}

function readOnlyMessage(): string {
  return vscode.l10n.t('Repositories opened without cloning are read-only. Clone the repository to change its files.');
}

export class BrowseFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly mountChanged = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with a repository's root when it moved to another commit. */
  readonly onDidChangeMount = this.mountChanged.event;
  private cache = new SourceCache();
  /** Commits being looked up, so that the first burst of requests asks once. */
  private readonly resolving = new Map<string, Promise<Mount>>();

  constructor(private readonly deps: BrowseDeps) {}

  /** The URI of a repository's root as one account sees it. */
  static rootUri(accountId: string, repository: RepositoryRef): vscode.Uri {
    return vscode.Uri.from({ scheme: BROWSE_SCHEME, authority: accountKey(accountId), path: browsePath({ repository, path: '' }) });
  }

  /** The commit a repository is pinned to, resolving (and remembering) the main branch's head the first time. */
  async mount(uri: vscode.Uri): Promise<Mount> {
    const location = this.locate(uri);
    return this.mountOf(location, await this.accountFor(location));
  }

  /** The repository a URI is in, its account and the commit it is pinned to. */
  async browsed(uri: vscode.Uri): Promise<Browsed> {
    const location = this.locate(uri);
    const account = await this.accountFor(location);
    const mount = await this.mountOf(location, account);
    const root = vscode.Uri.from({ scheme: BROWSE_SCHEME, authority: location.accountKey, path: browsePath({ ...location, path: '' }) });
    return { root, repository: location.repository, account, mount };
  }

  /**
   * Moves a browsed repository to another commit (a branch switch, or a refresh to a branch's new head):
   * the Explorer and the open editors read it again.
   */
  async moveTo(uri: vscode.Uri, mount: Mount): Promise<void> {
    const location = this.locate(uri);
    const key = mountKey(location.accountKey, location.repository);
    await this.deps.memento.update(BROWSE_MOUNTS_KEY, { ...this.mounts(), [key]: mount });
    const root = vscode.Uri.from({ scheme: BROWSE_SCHEME, authority: location.accountKey, path: browsePath({ ...location, path: '' }) });
    const inside = (candidate: vscode.Uri) =>
      candidate.scheme === BROWSE_SCHEME &&
      candidate.authority === root.authority &&
      (candidate.path === root.path || candidate.path.startsWith(`${root.path}/`));
    const open = vscode.workspace.textDocuments.map((document) => document.uri).filter(inside);
    this.changed.fire([root, ...open].map((changed) => ({ type: vscode.FileChangeType.Changed, uri: changed })));
    this.mountChanged.fire(root);
    // The Explorer reads a folder again on entries created or deleted, not on a change to the folder itself:
    // ask it to read the tree again, so that it lists the new commit's files.
    if (vscode.workspace.getWorkspaceFolder(root)) {
      void Promise.resolve(vscode.commands.executeCommand('workbench.files.action.refreshFilesExplorer')).catch(() => undefined);
    }
  }

  /** Names the branch a mount's commit came from (the main branch, once its name is known), changing no file. */
  async nameRef(uri: vscode.Uri, ref: string, refKind: 'branch' | 'tag'): Promise<void> {
    const location = this.locate(uri);
    const key = mountKey(location.accountKey, location.repository);
    const known = this.mounts()[key];
    if (!known || known.ref) return;
    await this.deps.memento.update(BROWSE_MOUNTS_KEY, { ...this.mounts(), [key]: { ...known, ref, refKind } });
    this.mountChanged.fire(
      vscode.Uri.from({ scheme: BROWSE_SCHEME, authority: location.accountKey, path: browsePath({ ...location, path: '' }) }),
    );
  }

  /** Drops what is held in memory, as a restart does (the disk cache and the pinned commits stay). */
  forgetMemory(): void {
    this.cache = new SourceCache();
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined); // a commit never changes; a branch switch fires its own events
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const location = this.locate(uri);
    if (location.path === '') return directoryStat();
    const entry = await this.entryOf(location);
    return entry.kind === 'directory' ? directoryStat() : fileStat(entry);
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const location = this.locate(uri);
    const entries = await this.listing(location);
    return entries.map((entry) => [entry.path.split('/').pop() ?? entry.path, fileType(entry)]);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const location = this.locate(uri);
    if (location.path === '') throw vscode.FileSystemError.FileIsADirectory(uri);
    const entry = await this.entryOf(location);
    if (entry.kind === 'directory') throw vscode.FileSystemError.FileIsADirectory(uri);
    if (entry.kind === 'submodule') return new TextEncoder().encode(submoduleNote(await this.submodule(uri)));
    if (entry.lfs) {
      // Its bytes live on Bitbucket's media host, which gets no credential from here.
      const note = entry.size
        ? vscode.l10n.t(
            '{0} is stored with Git LFS ({1} bytes). Open it on Bitbucket, or clone the repository with git-lfs installed, to get its content.',
            location.path,
            entry.size.toLocaleString(vscode.env.language),
          )
        : vscode.l10n.t(
            '{0} is stored with Git LFS. Open it on Bitbucket, or clone the repository with git-lfs installed, to get its content.',
            location.path,
          );
      return new TextEncoder().encode(`${note}\n`);
    }
    const account = await this.accountFor(location);
    const { commit } = await this.mountOf(location, account);
    const key = this.cacheKey(location, commit);
    const cached = this.cache.file(key) ?? (await this.deps.diskCache?.()?.getFile(key));
    if (cached) {
      this.cache.putFile(key, cached);
      return cached.bytes;
    }
    const file = await this.ask(uri, () =>
      (entry.size ?? 0) < LARGE_FILE_BYTES
        ? account.host().file(location.repository, commit, location.path)
        : withDownloadProgress(location.path, entry.size ?? 0, (signal, onProgress) =>
            account.host().file(location.repository, commit, location.path, signal, onProgress),
          ),
    );
    this.cache.putFile(key, file);
    void this.deps.diskCache?.()?.putFile(key, file);
    return file.bytes;
  }

  /**
   * What a submodule is: the commit it pins and, from `.gitmodules`, where its repository is (absolute, when
   * it is an http(s) link). Undefined for anything that is not a submodule.
   */
  async submodule(uri: vscode.Uri): Promise<SubmoduleInfo | undefined> {
    const location = this.locate(uri);
    if (location.path === '' || (await this.entryOf(location)).kind !== 'submodule') return undefined;
    const account = await this.accountFor(location);
    const { commit } = await this.mountOf(location, account);
    const host = account.host();
    const read = async (path: string) => {
      try {
        return new TextDecoder().decode((await host.file(location.repository, commit, path)).bytes).trim();
      } catch (error) {
        this.deps.logger.debug(`Submodule ${location.path}: reading ${path || 'its commit'} failed: ${(error as Error).message}`);
        return undefined;
      }
    };
    const pinned = await read(location.path);
    const written = submoduleUrl((await read('.gitmodules')) ?? '', location.path);
    const superproject =
      written && !/^https?:/i.test(written) ? await host.repository(location.repository).catch(() => undefined) : undefined;
    return {
      path: location.path,
      commit: pinned && /^[0-9a-f]{40}$/i.test(pinned) ? pinned : undefined,
      written,
      url: written ? absoluteSubmoduleUrl(written, superproject?.cloneLinks?.https) : undefined,
    };
  }

  writeFile(): void {
    throw vscode.FileSystemError.NoPermissions(readOnlyMessage());
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions(readOnlyMessage());
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions(readOnlyMessage());
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions(readOnlyMessage());
  }

  dispose(): void {
    this.changed.dispose();
    this.mountChanged.dispose();
  }

  private locate(uri: vscode.Uri): BrowseLocation {
    const location = uri.scheme === BROWSE_SCHEME ? parseBrowsePath(uri.authority, uri.path) : undefined;
    if (!location) throw vscode.FileSystemError.FileNotFound(uri);
    return location;
  }

  private async accountFor(location: BrowseLocation): Promise<BrowseAccount> {
    await this.deps.ready;
    const account = this.deps.accounts().find((candidate) => accountKey(candidate.id) === location.accountKey);
    if (!account) {
      throw vscode.FileSystemError.Unavailable(
        vscode.l10n.t(
          'The Bitbucket account {0}/{1} was opened with is not signed in. Sign in with it, or open the repository again.',
          location.repository.container,
          location.repository.slug,
        ),
      );
    }
    return account;
  }

  private mountOf(location: BrowseLocation, account: BrowseAccount): Promise<Mount> {
    const key = mountKey(location.accountKey, location.repository);
    const known = this.mounts()[key];
    if (known) return Promise.resolve(known);
    let pending = this.resolving.get(key);
    if (!pending) {
      pending = (async () => {
        const uri = BrowseFileSystem.rootUri(account.id, location.repository);
        // The root listing comes with the commit: the Explorer asks for it next anyway.
        const { commit, entries } = await this.ask(uri, () => this.mainRoot(account, location.repository));
        const rootKey = this.cacheKey({ ...location, path: '' }, commit);
        this.cache.putDirectory(rootKey, entries);
        void this.deps.diskCache?.()?.putDirectory(rootKey, entries);
        const mount: Mount = { commit };
        await this.deps.memento.update(BROWSE_MOUNTS_KEY, { ...this.mounts(), [key]: mount });
        this.deps.logger.info(
          `Browsing ${location.repository.container}/${location.repository.slug} at ${commit.slice(0, 12)} as ${account.label}.`,
        );
        return mount;
      })().finally(() => this.resolving.delete(key));
      this.resolving.set(key, pending);
    }
    return pending;
  }

  /**
   * The main branch's head and root listing. A repository with no commit yet has neither, and the host says
   * "not found": said here as what it is, since the repository itself is there.
   */
  private async mainRoot(account: BrowseAccount, repository: RepositoryRef) {
    const host = account.host();
    try {
      return await host.mainRoot(repository);
    } catch (error) {
      if (!(error instanceof BitbucketError) || error.kind !== 'notFound') throw error;
      const found = await host.repository(repository).catch(() => undefined);
      if (!found) throw error;
      throw vscode.FileSystemError.Unavailable(
        vscode.l10n.t(
          '{0}/{1} is empty: it has no commit yet, so there is nothing to show. Push a first commit to it, or clone it to start.',
          repository.container,
          repository.slug,
        ),
      );
    }
  }

  private mounts(): Record<string, Mount> {
    const stored = this.deps.memento.get<unknown>(BROWSE_MOUNTS_KEY);
    return stored && typeof stored === 'object' ? (stored as Record<string, Mount>) : {};
  }

  /** A directory's entries at the mount's commit, from the cache or the host. */
  private async listing(location: BrowseLocation): Promise<readonly SourceEntry[]> {
    const account = await this.accountFor(location);
    const { commit } = await this.mountOf(location, account);
    const key = this.cacheKey(location, commit);
    const cached = this.cache.directory(key) ?? (await this.deps.diskCache?.()?.getDirectory(key));
    if (cached) {
      this.cache.putDirectory(key, cached);
      return cached;
    }
    const uri = vscode.Uri.from({ scheme: BROWSE_SCHEME, authority: location.accountKey, path: browsePath(location) });
    const entries = await this.ask(uri, () => account.host().directory(location.repository, commit, location.path));
    this.cache.putDirectory(key, entries);
    void this.deps.diskCache?.()?.putDirectory(key, entries);
    return entries;
  }

  /** What a path is: found in its parent's listing (which the Explorer has mostly fetched already). */
  private async entryOf(location: BrowseLocation): Promise<SourceEntry> {
    const slash = location.path.lastIndexOf('/');
    const parent = { ...location, path: slash < 0 ? '' : location.path.slice(0, slash) };
    const siblings = await this.listing(parent);
    const entry = siblings.find((candidate) => candidate.path === location.path);
    if (!entry) {
      throw vscode.FileSystemError.FileNotFound(
        vscode.Uri.from({ scheme: BROWSE_SCHEME, authority: location.accountKey, path: browsePath(location) }),
      );
    }
    return entry;
  }

  private cacheKey(location: BrowseLocation, commit: string): string {
    return `${mountKey(location.accountKey, location.repository)}@${commit}:${location.path}`;
  }

  /** Runs a host call; its typed error becomes the FileSystemError VS Code words for the Explorer and editors. */
  private async ask<T>(uri: vscode.Uri, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw toFileSystemError(error, uri, this.deps.logger);
    }
  }
}

/** Files from this size on are read with a progress notification that can cancel the download. */
export const LARGE_FILE_BYTES = 2 * 1024 * 1024;

/** A size in megabytes, one decimal: the number only, the unit goes in the message. */
const megabytes = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);

/** Downloads a large file with a cancellable notification that says how much has arrived. */
function withDownloadProgress(
  path: string,
  size: number,
  download: (signal: AbortSignal, onProgress: (received: number, total: number | undefined) => void) => Promise<SourceFile>,
): Promise<SourceFile> {
  return Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading {0} from Bitbucket', path), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        let reported = 0;
        return download(controller.signal, (received, total) => {
          const whole = total ?? size;
          const percent = whole > 0 ? Math.min(100, (received / whole) * 100) : 0;
          progress.report({
            message: vscode.l10n.t('{0} MB of {1} MB', megabytes(received), megabytes(whole)),
            increment: Math.max(0, percent - reported),
          });
          reported = Math.max(reported, percent);
        });
      },
    ),
  );
}

/** What opening a submodule shows: what it is, where it comes from, and how to read it. */
function submoduleNote(info: SubmoduleInfo | undefined): string {
  if (!info) return `${vscode.l10n.t('A git submodule: another repository, pinned at a commit of its own.')}\n`;
  return [
    info.commit
      ? vscode.l10n.t('{0} is a git submodule: another repository, pinned at commit {1}.', info.path, info.commit)
      : vscode.l10n.t('{0} is a git submodule: another repository.', info.path),
    info.written
      ? vscode.l10n.t('Its repository: {0}', info.url ?? info.written)
      : vscode.l10n.t('Its repository is not named in .gitmodules at this commit.'),
    info.url
      ? vscode.l10n.t(
          'To read it, choose {0} in the notification, or run "{1}" with that link.',
          vscode.l10n.t('Open Without Cloning'),
          paletteTitle(Commands.openUrl),
        )
      : '',
    '',
  ].join('\n');
}

function toFileSystemError(error: unknown, uri: vscode.Uri, logger: Logger): vscode.FileSystemError {
  if (error instanceof vscode.FileSystemError) return error;
  const message = error instanceof Error ? error.message : String(error);
  logger.warn(`Browsing ${uri.path}: ${message}`);
  if (!(error instanceof BitbucketError)) return vscode.FileSystemError.Unavailable(message);
  switch (error.kind) {
    case 'notFound':
      return vscode.FileSystemError.FileNotFound(uri);
    case 'forbidden':
    case 'missingScope':
    case 'unauthorized':
    case 'appPasswordRemoved':
      return vscode.FileSystemError.NoPermissions(message);
    default:
      return vscode.FileSystemError.Unavailable(message);
  }
}

function directoryStat(): vscode.FileStat {
  return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0, permissions: vscode.FilePermission.Readonly };
}

function fileStat(entry: SourceEntry): vscode.FileStat {
  return { type: fileType(entry), ctime: 0, mtime: 0, size: entry.size ?? 0, permissions: vscode.FilePermission.Readonly };
}

function fileType(entry: SourceEntry): vscode.FileType {
  switch (entry.kind) {
    case 'directory':
      return vscode.FileType.Directory;
    case 'symlink':
      return vscode.FileType.File | vscode.FileType.SymbolicLink;
    default:
      return vscode.FileType.File;
  }
}
