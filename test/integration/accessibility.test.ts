// What a screen reader hears: every kind of row in the Bitbucket view carries an accessibility label that
// says what the row is, its name and its state (the row's icon and description say it only to the eye);
// quick-pick items built in src/ have words beside their $(icon).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/tree/nodes';
import { DEMO } from '../sandbox/seed';
import { addFault, clearFaults, reset, revokeToken } from './sandbox-control';
import { children, eventually, extensionApi, labelOf, signInWithApiToken, signOut } from './extensionApi';

type Api = Awaited<ReturnType<typeof extensionApi>>;

const REPO_ROOT = path.resolve(__dirname, '../../..');

/** The label a screen reader reads for a row; fails when the row has none. */
function spoken(api: Api, node: TreeNode): string {
  const item = api.tree.getTreeItem(node);
  const label = item.accessibilityInformation?.label ?? '';
  assert.ok(label.trim(), `the row "${labelOf(api, node)}" (${String(item.contextValue)}) has an accessibility label`);
  return label;
}

function kindOf(api: Api, node: TreeNode): string {
  return String(api.tree.getTreeItem(node).contextValue);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What each kind of row must be heard as, given what it shows. */
function expectedLabel(api: Api, node: TreeNode): RegExp {
  const shown = escape(labelOf(api, node));
  switch (kindOf(api, node)) {
    case 'account':
      return new RegExp(`^Account ${shown}, signed in(, \\d+ (workspace|project)s?)?$`);
    case 'account.expired':
      return new RegExp(`^Account ${shown}, no longer accepted, sign in again$`);
    case 'workspace':
      return new RegExp(`^Workspace ${shown}(, .+)?$`);
    case 'repository': {
      const fullName = (node as unknown as { repository: { fullName: string } }).repository.fullName;
      return new RegExp(`^(Private|Public) repository ${escape(fullName)}(, .+)?$`);
    }
    case 'loadMore':
      return /^Load more repositories of .+, \d+ (of [\d,]+ )?shown$/;
    case 'message':
      return new RegExp(`^(Note|Warning): ${shown}(, Enter to sign in again)?$`);
    case 'retryable':
      return new RegExp(`^(Error|Waiting): ${shown}, Enter to (retry|sign in again)$`);
    default:
      assert.fail(`a row of an unknown kind: ${kindOf(api, node)} ("${labelOf(api, node)}")`);
  }
}

function assertHeard(api: Api, node: TreeNode): void {
  assert.match(spoken(api, node), expectedLabel(api, node));
}

/** Every row of the tree, breadth first, expanding every node that has children. */
async function walk(api: Api): Promise<TreeNode[]> {
  const rows: TreeNode[] = [];
  const queue: (TreeNode | undefined)[] = [undefined];
  while (queue.length) {
    const parent = queue.shift();
    for (const node of await children(api, parent)) {
      rows.push(node);
      if (api.tree.getTreeItem(node).collapsibleState !== vscode.TreeItemCollapsibleState.None) queue.push(node);
    }
  }
  return rows;
}

const slugOf = (node: TreeNode) => (node as unknown as { slug?: string }).slug;

describe('Accessibility labels', () => {
  let api: Api;

  before(async () => {
    api = await extensionApi();
  });

  after(async () => {
    await clearFaults();
    await signOut();
    await reset();
  });

  it('every row of a signed-in account says what it is: workspace, repository, Load more, empty', async () => {
    await reset();
    await signOut();
    await signInWithApiToken();
    await eventually('the display names arrive', async () =>
      (await children(api)).some((node) => labelOf(api, node) === DEMO.unicodeWorkspaceName),
    );
    const rows = await walk(api);
    for (const row of rows) assertHeard(api, row);
    const kinds = new Set(rows.map((row) => kindOf(api, row)));
    for (const kind of ['workspace', 'repository', 'loadMore', 'message']) assert.ok(kinds.has(kind), `the walk met a ${kind} row`);
    const heard = rows.map((row) => spoken(api, row));
    assert.ok(heard.includes('Workspace Acme Corporation, acme'), JSON.stringify(heard.slice(0, 4)));
    assert.ok(heard.includes('Load more repositories of Acme Corporation, 50 of 5,000 shown'));
    assert.ok(heard.includes('Note: No repositories in this workspace.'));
  });

  it('error and rate-limit rows say so, and what Enter does', async () => {
    await reset();
    await signOut();
    await signInWithApiToken();
    const acme = async () => (await children(api)).find((node) => slugOf(node) === DEMO.largeWorkspace)!;
    await addFault({ kind: 'status', status: 503, match: '/2.0/repositories/acme', times: 4 });
    const [error] = await children(api, await acme());
    assertHeard(api, error);
    assert.match(spoken(api, error), /^Error: .*HTTP 503.*, Enter to retry$/);
    await clearFaults();
    await vscode.commands.executeCommand('bitbucket.refresh');
    await addFault({ kind: 'rate-limit', retryAfterSeconds: 3600, match: '/2.0/repositories/acme' });
    const [waiting] = await children(api, await acme());
    assert.match(spoken(api, waiting), /^Waiting: Bitbucket's rate limit is reached\. .*, Enter to retry$/);
    await clearFaults();
  });

  it('a workspace list that failed is heard as an error in place of the workspaces', async () => {
    await reset();
    await signOut();
    await signInWithApiToken();
    await addFault({ kind: 'status', status: 404, match: '/2.0/user/workspaces' });
    await vscode.commands.executeCommand('bitbucket.refresh');
    const [rootError, ...rest] = await children(api);
    assert.equal(rest.length, 0);
    assertHeard(api, rootError);
    assert.match(spoken(api, rootError), /^Error: .*found nothing.*, Enter to retry$/);
    await clearFaults();
  });

  it('a missing scope is heard as an error whose row signs in again', async () => {
    await reset();
    await signOut();
    await signInWithApiToken(DEMO.noRepositoryScopeApiToken);
    const acme = (await children(api)).find((node) => slugOf(node) === DEMO.largeWorkspace)!;
    const [error] = await children(api, acme);
    assertHeard(api, error);
    assert.match(spoken(api, error), /^Error: .*read:repository:bitbucket.*, Enter to sign in again$/);
  });

  it('account rows say whose they are and whether they still work, and so do their rows', async function () {
    this.timeout(60_000);
    await reset();
    await signOut();
    await signInWithApiToken();
    await signInWithApiToken(DEMO.second.apiToken, DEMO.second.email);
    await eventually('each account row counts its workspaces', async () =>
      (await children(api)).every((node) => /, \d+ workspaces?$/.test(spoken(api, node))),
    );
    const [first, second] = await children(api);
    assert.match(spoken(api, first), /^Account Demo User.*, signed in, 4 workspaces$/);
    assert.match(spoken(api, second), /^Account Second User.*, signed in, 2 workspaces$/);
    for (const row of await walk(api)) assertHeard(api, row);

    await revokeToken(DEMO.second.apiToken);
    await vscode.commands.executeCommand('bitbucket.refresh');
    await children(api, (await children(api))[1]);
    await eventually('the second account is expired', () => api.accounts()[1]?.state === 'expired');
    const expired = (await children(api))[1];
    assertHeard(api, expired);
    assert.match(spoken(api, expired), /^Account Second User.*, no longer accepted, sign in again$/);
    const [message] = await children(api, expired);
    assertHeard(api, message);
    assert.match(spoken(api, message), /^Warning: Bitbucket no longer accepts this token\..*, Enter to sign in again$/);
  });

  // Read from the source: a quick pick's items exist only while it is open, out of the tests' reach.
  // VS Code reads a `$(icon)` in a label aloud by its name ("key API token"); an item's iconPath is not read.
  it('quick-pick items built in src/ take their icon from iconPath, not from a $(icon) in the label', () => {
    const files = fs.readdirSync(path.join(REPO_ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    const iconLabel = /\blabel:\s*(?:vscode\.l10n\.t\(\s*)?(['"`])\$\(/g;
    const withIcon: string[] = [];
    let iconPaths = 0;
    for (const file of files) {
      const text = fs.readFileSync(path.join(REPO_ROOT, 'src', file), 'utf8');
      for (const match of text.matchAll(iconLabel)) withIcon.push(`${file}: ${text.slice(match.index, text.indexOf('\n', match.index))}`);
      iconPaths += [...text.matchAll(/\biconPath: (?:new vscode\.ThemeIcon\(|vscode\.ThemeIcon\.)/g)].length;
    }
    assert.ok(iconPaths >= 15, `the scan found the items' icons: ${iconPaths}`);
    assert.deepEqual(withIcon, [], 'labels read out with an icon name');
  });

  // A status bar item's text is an icon and a branch name; it is read out by its accessibility label.
  it('every status bar item built in src/ has an accessibility label', () => {
    const files = fs
      .readdirSync(path.join(REPO_ROOT, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => ({ file, text: fs.readFileSync(path.join(REPO_ROOT, 'src', file), 'utf8') }))
      .filter(({ text }) => text.includes('createStatusBarItem('));
    assert.ok(files.length > 0, 'the scan found the status bar item of browsing');
    for (const { file, text } of files) {
      assert.match(text, /\.accessibilityInformation = \{\s*label: /, `${file} labels its status bar item`);
    }
    // Browsing's item says what it is and what Enter does, in words rather than the icon's name.
    const browsing = files.find(({ file }) => file.endsWith('browsing.ts'));
    for (const kind of ['branch', 'tag', 'commit']) {
      assert.ok(browsing?.text.includes(`vscode.l10n.t('Bitbucket ${kind} {0}, switch branch or tag'`), `the ${kind} label`);
    }
  });
});
