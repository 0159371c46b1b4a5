// Reaches the extension under test through what `activate` returns, and signs in and out the way
// automation does (the prompts themselves are covered by the UI tests).
import * as vscode from 'vscode';
import type { BitbucketRepositoriesApi } from '../../src/extension';
import type { TreeNode } from '../../src/tree/nodes';
import { DEMO } from '../sandbox/seed';

export const EXTENSION_ID = 'bitbucket-repositories.bitbucket-repositories';

export async function extensionApi(): Promise<BitbucketRepositoriesApi> {
  const extension = vscode.extensions.getExtension<BitbucketRepositoriesApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  const api = extension.isActive ? extension.exports : await extension.activate();
  await api.ready;
  return api;
}

export async function signInWithApiToken(token: string = DEMO.apiToken, email: string = DEMO.email): Promise<void> {
  await vscode.commands.executeCommand('bitbucket.signIn', { kind: 'apiToken', email, token });
}

/** Signs out of every account (automation's form; people pick the account). */
export async function signOut(): Promise<void> {
  await vscode.commands.executeCommand('bitbucket.signOut', { all: true });
}

/** Signs in with an access token for its one workspace. */
export async function signInWithAccessToken(
  token: string = DEMO.accessToken.token,
  workspace: string = DEMO.accessToken.workspace,
): Promise<void> {
  await vscode.commands.executeCommand('bitbucket.signIn', { kind: 'accessToken', token, workspace });
}

/** Runs a command and returns the error message it showed, if any. */
export async function errorShownBy(api: BitbucketRepositoriesApi, run: () => Thenable<unknown>): Promise<string | undefined> {
  let message: string | undefined;
  const subscription = api.onDidReportError((reported) => (message ??= reported.message));
  try {
    await run();
  } finally {
    subscription.dispose();
  }
  return message;
}

/** A node's TreeItem label as text. */
export function labelOf(api: BitbucketRepositoriesApi, node: TreeNode): string {
  const label = api.tree.getTreeItem(node).label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

export async function children(api: BitbucketRepositoriesApi, node?: TreeNode): Promise<TreeNode[]> {
  return (await api.tree.getChildren(node)) ?? [];
}

/** Waits until `check` holds, polling; fails with `what` after `ms`. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting until ${what}`);
}

/** VS Code's git opens repositories outside the open folder only when told to; the tests' clones live in /tmp. */
export async function allowGitOutsideWorkspace<T>(run: () => Thenable<T>): Promise<T> {
  const git = vscode.workspace.getConfiguration('git');
  await git.update('openRepositoryInParentFolders', 'always', vscode.ConfigurationTarget.Global);
  try {
    return await run();
  } finally {
    await git.update('openRepositoryInParentFolders', undefined, vscode.ConfigurationTarget.Global);
  }
}
