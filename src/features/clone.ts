/**
 * "Clone" from the tree, the palette or automation: choose a folder, refuse one that is taken (offering
 * another name), run git with cancellable progress, then offer to open the result as VS Code's own
 * clone does.
 */
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { InvalidInputError } from '../common/invalidInputError';
import { Logger } from '../common/logger';
import { cloneUrl } from '../host/links';
import { BitbucketHost, GitAuth, HostedRepository, RepositoryRef } from '../host/types';
import { Settings } from '../config';
import { AskpassPrograms } from '../git/askpassServer';
import { cloneRepository, progressMessage } from '../git/gitClone';
import { cloneFolderName, isFreeTarget, targetTaken } from '../git/cloneTarget';
import { GitError } from '../git/gitErrors';
import { GitHosts } from '../git/gitHosts';
import { pickRef } from './refPicker';
import { isBranchName } from '../git/refNames';

/** What automation (and the integration tests) may pass instead of answering prompts. */
export interface CloneRequest {
  /** Only its container and slug are read: the clone link always comes from the host. */
  readonly repository: RepositoryRef;
  /** The folder to clone into; the repository's slug is appended. */
  readonly parentDirectory?: string;
  /** 'none' skips the "Open" question; otherwise it is asked. */
  readonly afterClone?: 'ask' | 'none';
  /**
   * The branch to check out. Without it a person is asked (the main branch first); automation, which
   * names the folder, gets the main branch.
   */
  readonly branch?: string;
}

/** The account a clone goes through: its host gives the link, its token goes to git. */
export interface CloneAccount {
  readonly label: string;
  host(): BitbucketHost;
}

export interface CloneDeps<A extends CloneAccount = CloneAccount> {
  readonly settings: () => Settings;
  readonly hosts: GitHosts;
  readonly logger: Logger;
  readonly askpass: () => Promise<AskpassPrograms>;
  /** Told after a clone, so that git goes on using the same account for the repository. */
  readonly cloned: (repository: HostedRepository, account: A) => Promise<void>;
}

/** Clones through an account and returns the new folder, or undefined when the user backed out. */
export async function cloneWithProgress<A extends CloneAccount>(
  deps: CloneDeps<A>,
  account: A,
  request: CloneRequest,
): Promise<string | undefined> {
  const host = account.host();
  const repository = await withCloneLinks(host, request.repository);
  const url = cloneUrl(repository, 'https');
  if (!url) throw new GitError('failed', vscode.l10n.t('Bitbucket gave no HTTPS clone link for {0}.', repository.fullName));
  deps.hosts.learnFrom(repository);

  // Asked before the folder: which branch is part of what to clone.
  let branch = request.branch;
  if (branch !== undefined && !isBranchName(branch)) {
    throw new InvalidInputError(vscode.l10n.t('{0} is not a branch name; nothing was cloned.', JSON.stringify(branch)));
  }
  if (branch === undefined && request.parentDirectory === undefined) {
    const chosen = await pickRef(host, repository, {
      title: vscode.l10n.t('Clone {0}: branch', repository.fullName),
      mainBranch: repository.mainBranch,
    });
    if (!chosen) return undefined;
    // The main branch is what a plain clone checks out; naming it changes nothing but the command line.
    branch = chosen.name === repository.mainBranch || chosen.name === '' ? undefined : chosen.name;
  }

  const parent = request.parentDirectory ?? (await chooseParentDirectory(deps.settings()));
  if (!parent) return undefined;
  const target = await chooseFreeTarget(
    parent,
    cloneFolderName(repository.slug, repository.fullName),
    request.parentDirectory !== undefined,
  );
  if (!target) return undefined;

  const askpass = await deps.askpass();
  deps.logger.info(`Cloning ${repository.fullName}${branch ? ` (branch ${branch})` : ''} from ${url} into ${target} as ${account.label}.`);
  const started = Date.now();
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Cloning {0}', repository.fullName), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      await cloneRepository({
        gitPath: gitPath(),
        url,
        target,
        ...gitCredentialsOf(host.gitAuth()),
        askpass,
        branch,
        signal: controller.signal,
        onProgress: (step) => {
          progress.report({ message: progressMessage(step), increment: Math.max(0, step.overall - reported) });
          reported = Math.max(reported, step.overall);
        },
      });
    },
  );
  deps.logger.info(`Cloned ${repository.fullName} in ${Date.now() - started} ms.`);
  await deps.cloned(repository, account);
  if (request.afterClone !== 'none') void offerToOpen(target);
  return target;
}

/** What cloneRepository takes for each way a host authenticates git. */
function gitCredentialsOf(auth: GitAuth): { username: string; password: string; bearerToken?: string } {
  return auth.scheme === 'basic'
    ? { username: auth.username, password: auth.password }
    : { username: '', password: '', bearerToken: auth.token };
}

/**
 * The repository as the host describes it now, with its clone links. Tree entries carry none (lists trim
 * them), and links handed in from elsewhere are never trusted: the token goes only where Bitbucket says.
 */
export function withCloneLinks(host: BitbucketHost, repository: RepositoryRef): Promise<HostedRepository> {
  return host.repository({ container: repository.container, slug: repository.slug });
}

/** The git binary: VS Code's `git.path` setting when set, else git on PATH. */
function gitPath(): string {
  const configured = vscode.workspace.getConfiguration('git').get<string | string[] | null>('path');
  const first = Array.isArray(configured) ? configured[0] : configured;
  return first && first.trim() ? first : 'git';
}

async function chooseParentDirectory(settings: Settings): Promise<string | undefined> {
  const configured = settings.cloneDirectory;
  if (configured) return expandHome(configured);
  const gitDefault = vscode.workspace.getConfiguration('git').get<string>('defaultCloneDirectory');
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: vscode.l10n.t('Select as Repository Destination'),
    title: vscode.l10n.t('Choose a folder to clone into'),
    defaultUri: vscode.Uri.file(gitDefault ? expandHome(gitDefault) : os.homedir()),
  });
  return picked?.[0]?.fsPath;
}

/** The folder named after the repository when it is free; otherwise asks for another name, or refuses when nobody can be asked. */
async function chooseFreeTarget(parent: string, folderName: string, unattended: boolean): Promise<string | undefined> {
  const first = path.join(parent, folderName);
  if (await isFreeTarget(first)) return first;
  if (unattended) throw targetTaken(first);
  let suggestion = `${folderName}-2`;
  for (let n = 3; !(await isFreeTarget(path.join(parent, suggestion))) && n < 100; n++) suggestion = `${folderName}-${n}`;
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('That folder is taken'),
    prompt: vscode.l10n.t('{0} already exists. Clone into a new folder named:', first),
    value: suggestion,
    ignoreFocusOut: true,
    validateInput: async (value) => {
      const trimmed = value.trim();
      if (!trimmed) return vscode.l10n.t('Enter a folder name.');
      if (/[\\/]/.test(trimmed) || trimmed === '.' || trimmed === '..') return vscode.l10n.t('A folder name, not a path.');
      return (await isFreeTarget(path.join(parent, trimmed))) ? undefined : vscode.l10n.t('{0} exists too.', trimmed);
    },
  });
  return name ? path.join(parent, name.trim()) : undefined;
}

async function offerToOpen(folder: string): Promise<void> {
  const uri = vscode.Uri.file(folder);
  const open = vscode.l10n.t({ message: 'Open', comment: ['Button: opens the cloned folder in this window'] });
  const openInNewWindow = vscode.l10n.t('Open in New Window');
  const addToWorkspace = vscode.l10n.t('Add to Workspace');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('Cloned into {0}. Open it?', folder),
    open,
    openInNewWindow,
    addToWorkspace,
  );
  if (choice === open) await vscode.commands.executeCommand('vscode.openFolder', uri, { forceReuseWindow: true });
  else if (choice === openInNewWindow) await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
  else if (choice === addToWorkspace) {
    vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri });
  }
}

function expandHome(folder: string): string {
  return folder.startsWith('~') ? path.join(os.homedir(), folder.slice(1)) : folder;
}
