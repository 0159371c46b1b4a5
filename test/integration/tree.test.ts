// The repositories tree in the real extension host against the sandbox: one request per page, Load more
// that touches one workspace, errors and empty results as nodes with Retry, and the cache.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/tree/nodes';
import { DEMO } from '../sandbox/seed';
import { addFault, clearFaults, clearRequests, getRequests, reset, setLatency } from './sandbox-control';
import { children, eventually, extensionApi, labelOf, signInWithApiToken, signOut } from './extensionApi';

type Api = Awaited<ReturnType<typeof extensionApi>>;

function slugOf(node: TreeNode): string | undefined {
  return (node as unknown as { slug?: string }).slug;
}

function contextOf(api: Api, node: TreeNode): string | undefined {
  return api.tree.getTreeItem(node).contextValue as string | undefined;
}

async function workspaceNode(api: Api, slug: string): Promise<TreeNode> {
  const node = (await children(api)).find((candidate) => slugOf(candidate) === slug);
  assert.ok(node, `workspace ${slug} is not in the tree`);
  return node;
}

async function repositoryRequests(workspace: string) {
  return (await getRequests()).filter((entry) => !entry.git && entry.path === `/2.0/repositories/${workspace}`);
}

describe('Repositories tree', () => {
  let api: Api;

  before(async () => {
    api = await extensionApi();
  });

  beforeEach(async () => {
    await reset();
    await signOut();
    await signInWithApiToken();
    await clearRequests();
  });

  after(async () => {
    await clearFaults();
    await signOut();
  });

  it('lists the workspaces as roots, with display names filled in afterwards', async () => {
    const roots = await children(api);
    assert.deepEqual(roots.map(slugOf), DEMO.workspaces);
    await eventually('the unicode display name arrives', async () =>
      (await children(api)).some((node) => labelOf(api, node) === DEMO.unicodeWorkspaceName),
    );
    assert.ok(roots.every((node) => contextOf(api, node) === 'workspace'));
  });

  it('expanding the largest workspace makes exactly one trimmed repositories request', async () => {
    const acme = await workspaceNode(api, DEMO.largeWorkspace);
    await clearRequests();
    const items = await children(api, acme);
    const requests = await repositoryRequests(DEMO.largeWorkspace);
    assert.equal(requests.length, 1);
    assert.equal(requests[0].query.pagelen, '50');
    assert.match(requests[0].query.fields, /(^|,)next(,|$)/);
    assert.equal(requests[0].query.sort, '-updated_on');
    assert.equal(items.filter((node) => contextOf(api, node) === 'repository').length, 50);
    const last = items.at(-1)!;
    assert.equal(contextOf(api, last), 'loadMore');
    assert.match(String(api.tree.getTreeItem(last).description), /50 of 5,000/);
    const first = api.tree.getTreeItem(items[0]) as vscode.TreeItem;
    assert.ok((first.iconPath as vscode.ThemeIcon).id === 'lock' || (first.iconPath as vscode.ThemeIcon).id === 'repo');
    assert.ok(first.tooltip, 'repositories have a tooltip');
  });

  it('Load more fetches one more page of that workspace only and appends it', async () => {
    const acme = await workspaceNode(api, DEMO.largeWorkspace);
    const before = await children(api, acme);
    await clearRequests();
    await vscode.commands.executeCommand('bitbucket.loadMore', acme);
    const after = await children(api, acme);
    const requests = (await getRequests()).filter((entry) => !entry.git);
    assert.equal(requests.length, 1, JSON.stringify(requests.map((entry) => entry.path)));
    assert.equal(requests[0].path, `/2.0/repositories/${DEMO.largeWorkspace}`);
    assert.equal(requests[0].query.page, '2');
    const repositories = after.filter((node) => contextOf(api, node) === 'repository');
    assert.equal(repositories.length, 100);
    assert.deepEqual(repositories.slice(0, 50), before.slice(0, 50), 'what was shown stays, the same nodes');
  });

  it('says "No repositories" for an empty workspace', async () => {
    const empty = await workspaceNode(api, DEMO.emptyWorkspace);
    const items = await children(api, empty);
    assert.equal(items.length, 1);
    assert.match(labelOf(api, items[0]), /No repositories/);
  });

  const errorCases: Array<[string, Parameters<typeof addFault>[0], RegExp]> = [
    ['a server error', { kind: 'status', status: 503, match: '/2.0/repositories/acme', times: 4 }, /server error \(HTTP 503\)/],
    ['an HTML page', { kind: 'html', status: 200, match: '/2.0/repositories/acme' }, /not JSON \(HTTP 200, text\/html/],
    ['a malformed body', { kind: 'invalid-shape', match: '/2.0/repositories/acme' }, /unexpected shape/],
    ['a 404', { kind: 'status', status: 404, match: '/2.0/repositories/acme' }, /found nothing/],
    ['a 410', { kind: 'status', status: 410, match: '/2.0/repositories/acme' }, /no longer offers/],
    ['a dropped connection', { kind: 'drop', match: '/2.0/repositories/acme', times: 4 }, /Could not reach Bitbucket/],
  ];
  for (const [what, fault, expected] of errorCases) {
    it(`shows ${what} as an error node under the workspace, and Retry recovers`, async () => {
      const acme = await workspaceNode(api, DEMO.largeWorkspace);
      await addFault(fault);
      const items = await children(api, acme);
      assert.equal(items.length, 1);
      assert.match(labelOf(api, items[0]), expected);
      assert.equal(contextOf(api, items[0]), 'retryable');
      const command = api.tree.getTreeItem(items[0]).command;
      assert.equal(command?.command, 'bitbucket.retry');
      await clearFaults();
      await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
      const recovered = await children(api, acme);
      assert.equal(recovered.filter((node) => contextOf(api, node) === 'repository').length, 50);
    });
  }

  it('the inline Retry button, given the error row itself, resumes the workspace where Load more failed', async () => {
    const acme = await workspaceNode(api, DEMO.largeWorkspace);
    await children(api, acme);
    await addFault({ kind: 'status', status: 404, match: '/2.0/repositories/acme' });
    await vscode.commands.executeCommand('bitbucket.loadMore', acme);
    const failed = await children(api, acme);
    const errorRow = failed[failed.length - 1];
    assert.equal(contextOf(api, errorRow), 'retryable');
    assert.equal(failed.filter((node) => contextOf(api, node) === 'repository').length, 50);
    await clearFaults();
    // What VS Code passes to a `view/item/context` command: the row it was clicked on.
    await vscode.commands.executeCommand('bitbucket.retry', errorRow);
    const recovered = await children(api, acme);
    assert.equal(recovered.filter((node) => contextOf(api, node) === 'repository').length, 100);
  });

  it('the inline Retry button on a failed workspace list lists the workspaces again', async () => {
    await addFault({ kind: 'status', status: 404, match: '/2.0/user/workspaces' });
    await vscode.commands.executeCommand('bitbucket.refresh');
    const [errorRow, ...rest] = await children(api);
    assert.equal(rest.length, 0);
    assert.match(labelOf(api, errorRow), /found nothing/);
    await clearFaults();
    await vscode.commands.executeCommand('bitbucket.retry', errorRow);
    assert.ok((await children(api)).some((node) => slugOf(node) === DEMO.largeWorkspace));
  });

  it('a missing scope says which, and its row leads to signing in again rather than a retry that fails again', async () => {
    await signInWithApiToken(DEMO.noRepositoryScopeApiToken);
    const acme = await workspaceNode(api, DEMO.largeWorkspace);
    const [errorRow] = await children(api, acme);
    assert.match(labelOf(api, errorRow), /read:repository:bitbucket/);
    assert.equal(api.tree.getTreeItem(errorRow).command?.command, 'bitbucket.signIn');
    assert.equal(api.authState(), 'signedIn', 'a missing scope is not an expired credential');
  });

  it('an unusable bitbucket.apiUrl is said in the tree, not thrown', async () => {
    const settings = vscode.workspace.getConfiguration('bitbucket');
    const apiUrl = settings.get<string>('apiUrl');
    await settings.update('apiUrl', 'not a web address', vscode.ConfigurationTarget.Global);
    try {
      const roots = await children(api);
      assert.equal(roots.length, 1);
      assert.match(labelOf(api, roots[0]), /bitbucket\.apiUrl setting is not a web address/);
    } finally {
      await settings.update('apiUrl', apiUrl, vscode.ConfigurationTarget.Global);
    }
    assert.ok(
      (await children(api)).some((node) => slugOf(node) === DEMO.largeWorkspace),
      'the tree recovers',
    );
  });

  it('shows a rate limit as a node that says when it tries again', async () => {
    const acme = await workspaceNode(api, DEMO.largeWorkspace);
    await addFault({ kind: 'rate-limit', retryAfterSeconds: 3600, match: '/2.0/repositories/acme' });
    const items = await children(api, acme);
    assert.match(labelOf(api, items[0]), /rate limit.*Trying again at/);
  });

  it('a timeout ends in an error node, never an endless spinner', async function () {
    this.timeout(30_000);
    const settings = vscode.workspace.getConfiguration('bitbucket');
    await settings.update('requestTimeoutSeconds', 5, vscode.ConfigurationTarget.Global);
    try {
      const acme = await workspaceNode(api, DEMO.largeWorkspace);
      await addFault({ kind: 'delay', delayMs: 15_000, match: '/2.0/repositories/acme' });
      const items = await children(api, acme);
      assert.match(labelOf(api, items[0]), /did not answer .* within 5 seconds/);
    } finally {
      await settings.update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('shows the cached tree before any request after a reload, then revalidates it', async () => {
    const acme = await workspaceNode(api, DEMO.largeWorkspace);
    const loaded = await children(api, acme);
    await clearRequests();
    await setLatency(1_000);
    await vscode.commands.executeCommand('bitbucket.refresh');
    const roots = await children(api);
    const cachedAcme = roots.find((node) => slugOf(node) === DEMO.largeWorkspace)!;
    const cached = await children(api, cachedAcme);
    assert.equal((await repositoryRequests(DEMO.largeWorkspace)).filter((entry) => entry.status).length, 0, 'no answered request yet');
    assert.deepEqual(
      cached.map((node) => labelOf(api, node)),
      loaded.map((node) => labelOf(api, node)),
    );
    assert.match(String(api.tree.getTreeItem(cachedAcme).description), /cached/);
    await setLatency(0);
    await eventually(
      'the cached marker goes once fresh data is in',
      () => !/cached/.test(String(api.tree.getTreeItem(cachedAcme).description)),
      15_000,
    );
  });

  it('loads a 5,000-repository workspace fully with Load more: every repository once, in order', async function () {
    this.timeout(120_000);
    await vscode.workspace.getConfiguration('bitbucket').update('pageSize', 100, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('bitbucket.refresh');
      const acme = await workspaceNode(api, DEMO.largeWorkspace);
      let items = await children(api, acme);
      while (items.length > 0 && contextOf(api, items.at(-1)!) === 'loadMore') {
        await vscode.commands.executeCommand('bitbucket.loadMore', acme);
        items = await children(api, acme);
      }
      const names = items.map((node) => (api.tree.getTreeItem(node) as vscode.TreeItem).id);
      assert.equal(names.length, DEMO.largeWorkspaceSize);
      assert.equal(new Set(names).size, names.length);
      const requests = await repositoryRequests(DEMO.largeWorkspace);
      assert.equal(requests.filter((entry) => entry.status === 200).length >= DEMO.largeWorkspaceSize / 100, true);
      const pages = requests.map((entry) => Number(entry.query.page ?? 1)).filter((page) => page > 1);
      assert.deepEqual(
        pages,
        [...pages].sort((a, b) => a - b),
        'pages in order',
      );
    } finally {
      await vscode.workspace.getConfiguration('bitbucket').update('pageSize', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
