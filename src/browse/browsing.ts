/**
 * Repositories opened without cloning, once something needs them: the file system, the status bar item that
 * shows (and switches) the branch or tag a browsed repository shows, and the browse commands. A branch whose
 * head moves does not change under an open editor: "Refresh" moves to its new head. A bundle of its own
 * (dist/browse.js), loaded by `initializeBrowse` on first use: a window with nothing browsed never reads it.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { Commands } from '../common/commandIds';
import { pickRef } from '../features/refPicker';
import { BitbucketHost, RepositoryRef, SourceEntry, WebLocation } from '../host/types';
import { BrowseAccount, BrowseFileSystem, Browsed } from './browseFileSystem';
import { BROWSE_SCHEME } from './browseLocation';
import { BROWSING_CONTEXT_KEY } from './browseState';
import { AfterBrowsedClone, cloneBrowsed, moveEditorsPending } from './cloneBrowsed';
import { OpenHow, askHowToOpen, openBrowsedFolder, reveal, revealPending } from './openBrowsed';
import { resolveWebLocation } from './webLocations';
import { InvalidInputError } from '../common/invalidInputError';
import type { BrowseDeps } from './initializeBrowse';
import type * as DiskCacheModule from './diskCache';

/** The two settings of the disk cache, read when it is used. */
function readBrowseSettings(): { diskCache: boolean; diskCacheMegabytes: number } {
  const config = vscode.workspace.getConfiguration('bitbucket.browse');
  const megabytes = config.get<number>('diskCacheMegabytes') ?? 256;
  return { diskCache: config.get<boolean>('diskCache') ?? true, diskCacheMegabytes: Math.min(4096, Math.max(16, megabytes)) };
}

/** What the browse commands and events run; `initializeBrowse` registers them. */
export interface Browsing extends vscode.Disposable {
  readonly fileSystem: vscode.FileSystemProvider;
  readonly commands: Readonly<Record<BrowseCommand, (...args: never[]) => unknown>>;
  /** Draws the status bar item and sets the context key for the active editor and the workspace folders. */
  update(): Promise<void>;
  /** Offers to open a submodule's repository when the editor shows one. */
  activeEditorChanged(editor: vscode.TextEditor | undefined): void;
  /** Moves editors to a clone, and shows a file, that the last window left to do after its restart. */
  resumePending(): void;
  forgetMemory(): void;
  clearCaches(): Promise<void>;
  locate(uri: vscode.Uri): Promise<{ repository: RepositoryRef; commit: string; path: string; host: BitbucketHost }>;
  openRepository(accountId: string, repository: RepositoryRef, how: OpenHow | undefined): Promise<vscode.Uri | undefined>;
}

export type BrowseCommand =
  | typeof Commands.switchBranch
  | typeof Commands.refreshBrowsed
  | typeof Commands.goToFile
  | typeof Commands.openUrl
  | typeof Commands.cloneBrowsed;

export function startBrowsing(deps: BrowseDeps): Browsing {
  let disk: { budget: number; cache: DiskCacheModule.DiskCache } | undefined;
  /** The disk cache at the budget the settings give now, whether or not it is turned on. */
  const openDisk = (): DiskCacheModule.DiskCache => {
    const budget = readBrowseSettings().diskCacheMegabytes * 1024 * 1024;
    if (disk?.budget !== budget) {
      // Loaded on first use, from a bundle of its own (dist/diskCache.js): activation has no need of it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { DiskCache } = require('./diskCache') as typeof DiskCacheModule;
      disk = {
        budget,
        cache: new DiskCache({ directory: path.join(deps.storagePath, 'browse-cache'), budgetBytes: budget, logger: deps.logger }),
      };
    }
    return disk.cache;
  };
  const diskCache = () => (readBrowseSettings().diskCache ? openDisk() : undefined);
  const fileSystem = new BrowseFileSystem({
    accounts: deps.accounts,
    ready: deps.ready,
    memento: deps.memento,
    logger: deps.logger,
    diskCache,
  });
  const status = vscode.window.createStatusBarItem('bitbucket.browsedRef', vscode.StatusBarAlignment.Left, 10);
  status.name = vscode.l10n.t('Bitbucket: Browsed Branch');
  status.command = Commands.switchBranch;

  /** The browsed repository the person is looking at: the active editor's, else the first browsed folder. */
  const current = (): vscode.Uri | undefined => {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active?.scheme === BROWSE_SCHEME) return active;
    return vscode.workspace.workspaceFolders?.find((folder) => folder.uri.scheme === BROWSE_SCHEME)?.uri;
  };
  let updating = 0;
  /** Roots whose repository names no main branch: asked once, then shown by their commit. */
  const unnamed = new Set<string>();
  const update = async () => {
    const browsing = vscode.workspace.workspaceFolders?.some((folder) => folder.uri.scheme === BROWSE_SCHEME) ?? false;
    void vscode.commands.executeCommand('setContext', BROWSING_CONTEXT_KEY, browsing);
    const uri = current();
    if (!uri) {
      status.hide();
      return;
    }
    const mine = ++updating;
    try {
      const browsed = await fileSystem.browsed(uri);
      if (mine !== updating) return;
      if (!browsed.mount.ref && !browsed.mount.detached && !unnamed.has(browsed.root.toString())) {
        // Opened at the main branch's head: name the branch (one request, once), and draw again when named.
        const main = (await browsed.account.host().repository(browsed.repository)).mainBranch;
        if (mine !== updating) return;
        if (main) {
          await fileSystem.nameRef(browsed.root, main, 'branch');
          return;
        }
        unnamed.add(browsed.root.toString());
      }
      status.text = statusText(browsed);
      status.tooltip = vscode.l10n.t(
        '{0}/{1} on Bitbucket, read-only at {2}. Click to switch branch or tag.',
        browsed.repository.container,
        browsed.repository.slug,
        browsed.mount.commit.slice(0, 12),
      );
      status.accessibilityInformation = { label: statusLabel(browsed) };
      status.show();
    } catch (error) {
      deps.logger.debug(`No branch to show for ${uri.toString()}: ${(error as Error).message}`);
      status.hide();
    }
  };

  const target = async (uri?: vscode.Uri): Promise<Browsed> => {
    const chosen = uri?.scheme === BROWSE_SCHEME ? uri : current();
    if (!chosen) throw new vscode.CancellationError();
    return fileSystem.browsed(chosen);
  };

  const switchBranch = deps.funnel.wrap(
    Commands.switchBranch,
    async (uri?: vscode.Uri, automated?: { ref: string; kind?: 'branch' | 'tag' }) => {
      const browsed = await target(uri);
      const host = browsed.account.host();
      let chosen: { name: string; kind: 'branch' | 'tag'; commit: string } | undefined;
      if (automated && typeof automated.ref === 'string') {
        const kind = automated.kind ?? 'branch';
        chosen = (await host.refs(browsed.repository, kind, { nameContains: automated.ref })).find((ref) => ref.name === automated.ref);
        if (!chosen) {
          const { container, slug } = browsed.repository;
          throw new Error(
            kind === 'tag'
              ? vscode.l10n.t('{0}/{1} has no tag "{2}".', container, slug, automated.ref)
              : vscode.l10n.t('{0}/{1} has no branch "{2}".', container, slug, automated.ref),
          );
        }
      } else {
        const repository = await host.repository(browsed.repository);
        chosen = await pickRef(host, browsed.repository, {
          title: vscode.l10n.t('Browse {0}/{1} at…', browsed.repository.container, browsed.repository.slug),
          mainBranch: repository.mainBranch,
          withTags: true,
          current: browsed.mount.ref,
        });
      }
      if (!chosen || !chosen.name) return undefined;
      await fileSystem.moveTo(browsed.root, { commit: chosen.commit, ref: chosen.name, refKind: chosen.kind });
      deps.logger.info(
        `Browsing ${browsed.repository.container}/${browsed.repository.slug} at ${chosen.kind} ${chosen.name} (${chosen.commit.slice(0, 12)}).`,
      );
      return chosen.commit;
    },
  );

  const refresh = deps.funnel.wrap(Commands.refreshBrowsed, async (uri?: vscode.Uri) => {
    const browsed = await target(uri);
    const host = browsed.account.host();
    const { ref, refKind } = browsed.mount;
    const head =
      ref && refKind
        ? (await host.refs(browsed.repository, refKind, { nameContains: ref })).find((candidate) => candidate.name === ref)?.commit
        : await host.mainCommit(browsed.repository);
    const { container, slug } = browsed.repository;
    if (!head) {
      throw new Error(
        refKind === 'tag'
          ? vscode.l10n.t('{0}/{1} has no tag "{2}" any more.', container, slug, String(ref))
          : vscode.l10n.t('{0}/{1} has no branch "{2}" any more.', container, slug, String(ref)),
      );
    }
    if (head === browsed.mount.commit) {
      void vscode.window.showInformationMessage(
        ref
          ? vscode.l10n.t('{0}/{1} is up to date at {2}.', container, slug, ref)
          : vscode.l10n.t('{0}/{1} is up to date at the main branch.', container, slug),
      );
      return head;
    }
    await fileSystem.moveTo(browsed.root, { ...browsed.mount, commit: head });
    void vscode.window.showInformationMessage(
      ref
        ? vscode.l10n.t("{0}/{1} moved to {2}'s latest commit, {3}.", container, slug, ref, head.slice(0, 7))
        : vscode.l10n.t("{0}/{1} moved to the main branch's latest commit, {2}.", container, slug, head.slice(0, 7)),
    );
    return head;
  });

  /** Every file of a browsed commit, listed once per session. */
  const fileLists = new Map<string, SourceEntry[]>();
  const goToFile = deps.funnel.wrap(Commands.goToFile, async (uri?: vscode.Uri, automated?: { choose?: string }) => {
    const browsed = await target(uri);
    const key = `${browsed.root.toString()}@${browsed.mount.commit}`;
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { path: string }>();
    pick.title = vscode.l10n.t('Go to a file of {0}/{1}', browsed.repository.container, browsed.repository.slug);
    pick.placeholder = vscode.l10n.t('Type part of a file name or path');
    pick.matchOnDescription = true;
    const chosen = new Promise<string | undefined>((resolve) => {
      pick.onDidAccept(() => {
        resolve(pick.selectedItems[0]?.path);
        pick.hide();
      });
      pick.onDidHide(() => resolve(undefined));
    });
    const show = (files: readonly SourceEntry[]) => {
      pick.items = files.map((file) => {
        const slash = file.path.lastIndexOf('/');
        return {
          iconPath: vscode.ThemeIcon.File,
          label: file.path.slice(slash + 1),
          description: slash < 0 ? '' : file.path.slice(0, slash),
          path: file.path,
        };
      });
    };
    const controller = new AbortController();
    pick.onDidHide(() => controller.abort());
    let files = fileLists.get(key);
    if (!automated) pick.show();
    if (!files) {
      pick.busy = true;
      const listed: SourceEntry[] = [];
      try {
        for await (const page of browsed.account.host().allFiles(browsed.repository, browsed.mount.commit, controller.signal)) {
          listed.push(...page);
          show(listed);
        }
        files = listed;
        fileLists.set(key, files);
      } finally {
        pick.busy = false;
      }
    }
    show(files);
    const path = automated && deps.acceptAutomation ? automated.choose : await chosen;
    pick.dispose();
    if (!path) return files.length;
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.joinPath(browsed.root, path));
    return files.length;
  });

  /** The signed-in accounts whose host serves a link, with what it names. */
  const readersOf = (url: string): { account: BrowseAccount; location: WebLocation }[] =>
    deps.accounts().flatMap((account) => {
      const location = account.host().webLocation(url);
      return location ? [{ account, location }] : [];
    });

  /** `url` may come from anywhere (a submodule's notification, another extension): it is only opened, read-only, as asked. */
  const openUrl = deps.funnel.wrap(Commands.openUrl, async (argument?: { url?: string; at?: string; how?: OpenHow }) => {
    await deps.ready;
    const given = typeof argument?.url === 'string' ? argument.url : undefined;
    const url = given ?? (await askForUrl(readersOf, deps.accounts().length));
    if (!url) return undefined;
    const readers = readersOf(url);
    if (readers.length === 0) {
      throw new InvalidInputError(vscode.l10n.t('{0} is not a link to a repository on a Bitbucket you are signed in to.', url));
    }
    // The first account that can read the repository: where two reach the same workspace, either will do.
    let chosen: { account: BrowseAccount; location: WebLocation } | undefined;
    let refusal: unknown;
    for (const reader of readers) {
      try {
        await reader.account.host().repository(reader.location.repository);
        chosen = reader;
        break;
      } catch (error) {
        refusal ??= error;
      }
    }
    if (!chosen) throw refusal;
    const { account } = chosen;
    // `at`: a commit or ref named apart from the link (a submodule's pinned commit).
    const location: WebLocation =
      typeof argument?.at === 'string' && argument.at ? { repository: chosen.location.repository, ref: argument.at } : chosen.location;
    const host = account.host();
    const resolved = await resolveWebLocation(host, location);
    // A link naming no branch, tag or commit opens the main branch; a bare commit is of no branch.
    const isMain = location.ref === undefined && location.refAndPath === undefined;
    const kind = resolved.path ? (await host.entry(location.repository, resolved.commit, resolved.path)).kind : 'directory';
    const how =
      deps.acceptAutomation && argument?.how
        ? argument.how
        : await askHowToOpen({
            title: resolved.ref
              ? vscode.l10n.t('Open {0}/{1} at {2} without cloning', location.repository.container, location.repository.slug, resolved.ref)
              : vscode.l10n.t('Open {0}/{1} without cloning', location.repository.container, location.repository.slug),
            placeHolder: resolved.path
              ? vscode.l10n.t('Then show {0}', resolved.path)
              : vscode.l10n.t('Read-only; nothing is downloaded until you open it'),
            offerFile: kind === 'file',
          });
    if (!how) return undefined;
    const root = BrowseFileSystem.rootUri(account.id, location.repository);
    await fileSystem.moveTo(root, {
      commit: resolved.commit,
      ref: resolved.ref,
      refKind: resolved.refKind,
      detached: !resolved.ref && !isMain,
    });
    deps.logger.info(
      `Opening ${url.replace(/[?#].*$/, '')} as ${location.repository.container}/${location.repository.slug} at ${resolved.commit.slice(0, 12)} (${how}).`,
    );
    const target = resolved.path ? vscode.Uri.joinPath(root, resolved.path) : root;
    if (how !== 'file') await openBrowsedFolder(root, location.repository, how);
    if (resolved.path && how !== 'none') {
      await reveal(deps.memento, { uri: target, kind: kind === 'directory' ? 'directory' : 'file', lines: location.lines }, how);
    }
    return target.toString();
  });

  /** Opening a submodule offers to open its repository, at the commit it pins, when that is on a Bitbucket signed in to. */
  const offered = new Set<string>();
  const offerSubmodule = async (editor: vscode.TextEditor | undefined) => {
    const uri = editor?.document.uri;
    if (uri?.scheme !== BROWSE_SCHEME || offered.has(uri.toString())) return;
    const submodule = await fileSystem.submodule(uri);
    if (!submodule?.url || readersOf(submodule.url).length === 0) return;
    offered.add(uri.toString());
    const open = vscode.l10n.t('Open Without Cloning');
    const answer = await vscode.window.showInformationMessage(
      submodule.commit
        ? vscode.l10n.t('{0} is a submodule: {1} at {2}.', submodule.path, submodule.url, submodule.commit.slice(0, 7))
        : vscode.l10n.t('{0} is a submodule: {1}.', submodule.path, submodule.url),
      open,
    );
    if (answer === open) await vscode.commands.executeCommand(Commands.openUrl, { url: submodule.url, at: submodule.commit });
  };

  const cloneThis = deps.funnel.wrap(
    Commands.cloneBrowsed,
    async (uri?: vscode.Uri, automated?: { after?: AfterBrowsedClone; parentDirectory?: string }) =>
      cloneBrowsed(await target(uri), deps.memento, deps.acceptAutomation ? automated : undefined),
  );

  const offerSubmoduleSafely = (editor: vscode.TextEditor | undefined) =>
    offerSubmodule(editor).catch((error: unknown) => deps.logger.debug(`No submodule offer: ${(error as Error).message}`));
  const disposable = vscode.Disposable.from(
    fileSystem,
    status,
    fileSystem.onDidChangeMount(() => void update()),
  );
  return {
    fileSystem,
    commands: {
      [Commands.switchBranch]: switchBranch,
      [Commands.refreshBrowsed]: refresh,
      [Commands.goToFile]: goToFile,
      [Commands.openUrl]: openUrl,
      [Commands.cloneBrowsed]: cloneThis,
    },
    update,
    activeEditorChanged: (editor) => void offerSubmoduleSafely(editor),
    resumePending: () => {
      void moveEditorsPending(deps.memento).catch((error: unknown) => deps.funnel.report(Commands.cloneBrowsed, error));
      void deps.ready.then(() => revealPending(deps.memento)).catch((error: unknown) => deps.funnel.report(Commands.openUrl, error));
    },
    dispose: () => disposable.dispose(),
    forgetMemory: () => fileSystem.forgetMemory(),
    clearCaches: async () => {
      fileSystem.forgetMemory();
      // Also when the setting is off now: what an earlier session wrote goes too.
      await openDisk().clear();
    },
    locate: async (uri) => {
      const browsed = await fileSystem.browsed(uri);
      const inside = uri.path.slice(browsed.root.path.length).replace(/^\/+/, '');
      return { repository: browsed.repository, commit: browsed.mount.commit, path: inside, host: browsed.account.host() };
    },
    openRepository: async (accountId, repository, given) => {
      const how =
        given ??
        (await askHowToOpen({
          title: vscode.l10n.t('Open without cloning'),
          placeHolder: vscode.l10n.t('Read-only, at the main branch’s latest commit; nothing is downloaded until you open it'),
        }));
      if (!how) return undefined;
      const uri = BrowseFileSystem.rootUri(accountId, repository);
      await openBrowsedFolder(uri, repository, how);
      return uri;
    },
  };
}

/**
 * The clipboard's text, or '' when it cannot be read at once. In a browser without clipboard permission VS Code
 * asks the person (a notification) and holds the answer until they reply: the link box must not wait for that.
 */
async function clipboardText(): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(''), 1_000)));
  try {
    return await Promise.race([Promise.resolve(vscode.env.clipboard.readText()).catch(() => ''), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Asks for a link, offering the one on the clipboard when it is one, and checking it as it is typed. */
async function askForUrl(readersOf: (url: string) => readonly unknown[], accountCount: number): Promise<string | undefined> {
  if (accountCount === 0) throw new InvalidInputError(vscode.l10n.t('Sign in to Bitbucket first: links open with a signed-in account.'));
  const clipboard = (await clipboardText()).trim();
  const answer = await vscode.window.showInputBox({
    title: vscode.l10n.t('Open Bitbucket URL'),
    prompt: vscode.l10n.t(
      'A link to a repository, branch, folder or file (with its lines) on Bitbucket. It opens read-only, without cloning.',
    ),
    // eslint-disable-next-line l10n/user-facing-strings -- an example link: a URL, not words to translate
    placeHolder: 'https://bitbucket.org/workspace/repository/src/main/README.md#lines-10:20',
    value: readersOf(clipboard).length > 0 ? clipboard : undefined,
    ignoreFocusOut: true,
    validateInput: (value) =>
      !value.trim() || readersOf(value.trim()).length > 0
        ? undefined
        : vscode.l10n.t('Not a link to a repository on a Bitbucket you are signed in to: paste the address from the browser.'),
  });
  return answer?.trim() || undefined;
}

/** What a screen reader reads for the status bar item: the kind of ref, its name, and what a click does. */
function statusLabel(browsed: Browsed): string {
  const { ref, refKind, commit } = browsed.mount;
  if (!ref) return vscode.l10n.t('Bitbucket commit {0}, switch branch or tag', commit.slice(0, 7));
  return refKind === 'tag'
    ? vscode.l10n.t('Bitbucket tag {0}, switch branch or tag', ref)
    : vscode.l10n.t('Bitbucket branch {0}, switch branch or tag', ref);
}

function statusText(browsed: Browsed): string {
  const { ref, refKind, commit } = browsed.mount;
  if (!ref) return `$(git-commit) ${commit.slice(0, 7)}`;
  return `$(${refKind === 'tag' ? 'tag' : 'git-branch'}) ${ref}`;
}
