// Several accounts side by side in the real extension host against the sandbox: two API-token accounts
// (demo-user and second-user, who share acme) and acme's access token. Each lists, clones and pushes
// with its own token, as the sandbox sees it; one account's 401 leaves the others working; signing out of
// one removes its record and nothing else.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BitbucketRepositoriesApi } from '../../src/extension';
import { ACCOUNTS_KEY, accountKey } from '../../src/auth/accountStore';
import type { GitExtension } from '../../src/git/gitApi';
import type { TreeNode } from '../../src/tree/nodes';
import { DEMO } from '../sandbox/seed';
import { RequestLogEntry, clearRequests, getRequests, reset, revokeToken } from './sandbox-control';
import {
  allowGitOutsideWorkspace,
  children,
  eventually,
  extensionApi,
  labelOf,
  signInWithAccessToken,
  signInWithApiToken,
  signOut,
} from './extensionApi';

/** A private acme repository besides DEMO.privateRepository, for the access token's clone. */
const ANOTHER_PRIVATE_ACME_REPOSITORY = { workspace: 'acme', slug: 'service-0004-gateway' };

const slugOf = (node: TreeNode) => (node as unknown as { slug?: string }).slug;

/** The three accounts, in the order they are added, with the seed name of the token each one's requests carry. */
const ACCOUNTS = [
  { credential: 'demo-full-access', label: /Demo User/, workspaces: DEMO.workspaces },
  { credential: DEMO.second.apiTokenName, label: /Second User/, workspaces: DEMO.second.workspaces },
  { credential: DEMO.accessToken.name, label: /Access token for acme/, workspaces: [DEMO.accessToken.workspace] },
] as const;

async function accountRoots(api: BitbucketRepositoriesApi): Promise<TreeNode[]> {
  const roots = await children(api);
  assert.equal(roots.length, 3, `three account rows: ${roots.map((node) => labelOf(api, node)).join(', ')}`);
  return roots;
}

/** The requests of one kind the sandbox saw, with the credential each carried. */
async function requestsTo(part: string, git: boolean): Promise<RequestLogEntry[]> {
  return (await getRequests()).filter((entry) => entry.git === git && entry.path.includes(part));
}

describe('Several accounts', () => {
  let scratch: string;

  before(async () => {
    await reset();
    await signOut();
    await signInWithApiToken();
    await signInWithApiToken(DEMO.second.apiToken, DEMO.second.email);
    await signInWithAccessToken();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bitbucket-it-accounts-'));
  });

  after(async () => {
    await signOut();
    await reset();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('shows the accounts as roots, each with its own workspaces; acme under all three', async () => {
    const api = await extensionApi();
    assert.equal(api.accounts().length, 3);
    const roots = await accountRoots(api);
    for (const [index, expected] of ACCOUNTS.entries()) {
      assert.match(labelOf(api, roots[index]), expected.label);
      const workspaces = (await children(api, roots[index])).map(slugOf);
      assert.deepEqual(workspaces, [...expected.workspaces], `workspaces of ${labelOf(api, roots[index])}`);
    }
    // Once listed, each account row says what it reaches.
    await eventually('the account rows name their workspaces', async () => {
      const items = (await children(api)).map((node) => api.tree.getTreeItem(node));
      return items.every((item) => typeof item.description === 'string' && item.description.includes('acme'));
    });
  });

  it('lists acme under each account with that account’s own token', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('bitbucket.refresh');
    await clearRequests();
    const roots = await accountRoots(api);
    for (const root of roots) {
      const acme = (await children(api, root)).find((node) => slugOf(node) === 'acme');
      assert.ok(acme, `acme under ${labelOf(api, root)}`);
      assert.ok((await children(api, acme)).length > 0, `repositories of acme under ${labelOf(api, root)}`);
    }
    await eventually('each account listed acme', async () => {
      const carried = new Set((await requestsTo('/2.0/repositories/acme', false)).map((entry) => entry.credential));
      return ACCOUNTS.every((account) => carried.has(account.credential));
    });
    const listings = await requestsTo('/2.0/repositories/acme', false);
    assert.ok(
      listings.every((entry) => entry.status === 200),
      `every listing was accepted: ${JSON.stringify(listings.map((entry) => entry.status))}`,
    );
    const workspaceLists = await requestsTo('/2.0/user/workspaces', false);
    assert.ok(
      workspaceLists.every((entry) => entry.credential !== DEMO.accessToken.name),
      'the access token is never asked to list workspaces',
    );
  });

  // Private repositories only: a public one clones without any credential.
  const clones = [
    { account: 0, repository: DEMO.privateRepository },
    { account: 1, repository: DEMO.second.privateRepository },
    { account: 2, repository: ANOTHER_PRIVATE_ACME_REPOSITORY },
  ];
  for (const { account, repository } of clones) {
    const expected = ACCOUNTS[account];
    it(`clones ${repository.workspace}/${repository.slug} and pushes to it with ${expected.credential} only`, async function () {
      this.timeout(60_000);
      const api = await extensionApi();
      const { id } = api.accounts()[account];
      const parent = fs.mkdtempSync(path.join(scratch, `${expected.credential}-`));
      await clearRequests();
      const folder = await vscode.commands.executeCommand<string>('bitbucket.clone', {
        repository: { container: repository.workspace, slug: repository.slug },
        accountId: id,
        parentDirectory: parent,
        afterClone: 'none',
      });
      assert.ok(folder && fs.existsSync(path.join(folder, 'README.md')), 'the working tree arrived');
      const fetched = (await requestsTo(`/${repository.workspace}/${repository.slug}.git/`, true)).filter((entry) => entry.status === 200);
      assert.ok(fetched.length > 0, 'the clone reached the sandbox');
      assert.deepEqual([...new Set(fetched.map((entry) => entry.credential))], [expected.credential], 'the clone carried its token');
      const config = fs.readFileSync(path.join(folder, '.git', 'config'), 'utf8');
      assert.match(config, /usehttppath = true/i, 'git will name the repository when it asks');

      // A commit of its own, pushed by VS Code's git: our credentials provider picks the account.
      execFileSync('git', [
        '-C',
        folder,
        '-c',
        'user.name=Tester',
        '-c',
        'user.email=tester@example.com',
        'commit',
        '--allow-empty',
        '-m',
        `from ${expected.credential}`,
      ]);
      const gitExtension = vscode.extensions.getExtension<GitExtension>('vscode.git')!;
      const gitApi = (gitExtension.isActive ? gitExtension.exports : await gitExtension.activate()).getAPI(1);
      await clearRequests();
      await allowGitOutsideWorkspace(async () => {
        const local = await gitApi.openRepository(vscode.Uri.file(folder));
        assert.ok(local, 'VS Code git opened the clone');
        await local.push();
      });
      const pushes = (await requestsTo(`/${repository.workspace}/${repository.slug}.git/git-receive-pack`, true)).filter(
        (entry) => entry.status === 200,
      );
      assert.equal(pushes.length, 1, `one accepted push: ${JSON.stringify(await getRequests())}`);
      assert.equal(pushes[0].credential, expected.credential, 'the push carried the token of the account it was cloned with');
      for (const token of [DEMO.apiToken, DEMO.second.apiToken, DEMO.accessToken.token]) {
        assert.ok(!fs.readFileSync(path.join(folder, '.git', 'config'), 'utf8').includes(token), 'no token in .git/config');
      }
    });
  }

  it('one account’s revoked token turns only that account to "sign in again"; the others go on listing', async () => {
    const api = await extensionApi();
    await revokeToken(DEMO.second.apiToken);
    try {
      await vscode.commands.executeCommand('bitbucket.refresh');
      let roots = await accountRoots(api);
      // The second account finds out on its next request.
      await children(api, roots[1]);
      await eventually('the second account is expired', () => api.accounts()[1].state === 'expired');
      assert.deepEqual(
        api.accounts().map((account) => account.state),
        ['signedIn', 'expired', 'signedIn'],
      );
      assert.equal(api.authState(), 'signedIn', 'the other accounts still work');
      roots = await accountRoots(api);
      assert.equal(api.tree.getTreeItem(roots[1]).description, 'sign in again');
      const rows = await children(api, roots[1]);
      assert.equal(rows.length, 1);
      assert.match(labelOf(api, rows[0]), /no longer accepts this token/);
      assert.equal(api.tree.getTreeItem(rows[0]).command?.command, 'bitbucket.signIn', 'the row leads to signing in again');
      for (const index of [0, 2]) {
        const acme = (await children(api, roots[index])).find((node) => slugOf(node) === 'acme')!;
        const rows = await children(api, acme);
        const repositories = rows.filter((node) => (node as unknown as { repository?: unknown }).repository);
        const errors = rows.filter((node) => (node as unknown as { kind?: string }).kind === 'error');
        assert.ok(repositories.length > 1 && errors.length === 0, `${labelOf(api, roots[index])} still lists acme`);
      }
    } finally {
      await reset();
    }
    // Signing in again with the (now accepted) token revives that account alone.
    await signInWithApiToken(DEMO.second.apiToken, DEMO.second.email);
    assert.deepEqual(
      api.accounts().map((account) => account.state),
      ['signedIn', 'signedIn', 'signedIn'],
    );
    assert.equal(api.accounts().length, 3, 'signing in again updated the account rather than adding one');
  });

  it('tells VS Code (the Accounts menu) of every account, and of one signed out', async () => {
    const api = await extensionApi();
    const changes: string[] = [];
    const subscription = vscode.authentication.onDidChangeSessions((event) => changes.push(event.provider.id));
    try {
      await vscode.commands.executeCommand('bitbucket.signIn', {
        kind: 'accessToken',
        token: DEMO.second.accessToken.token,
        workspace: DEMO.second.accessToken.workspace,
      });
      await eventually('VS Code heard of the added account', () => changes.includes('bitbucket'));
      changes.length = 0;
      await vscode.commands.executeCommand('bitbucket.signOut', { accountId: api.accounts()[3].id });
      await eventually('VS Code heard of the account signed out', () => changes.includes('bitbucket'));
      assert.equal(api.accounts().length, 3);
    } finally {
      subscription.dispose();
    }
  });

  it('signs out of one account: its record goes, the others stay and keep listing', async () => {
    const api = await extensionApi();
    const secrets = api.secretsForTests!;
    const [demo, second, token] = api.accounts();
    await vscode.commands.executeCommand('bitbucket.signOut', { accountId: second.id });
    assert.deepEqual(
      api.accounts().map((account) => account.id),
      [demo.id, token.id],
    );
    assert.equal(await secrets.get(accountKey(second.id)), undefined, 'its secret is gone');
    assert.ok(await secrets.get(accountKey(demo.id)), 'the others keep theirs');
    assert.ok(await secrets.get(accountKey(token.id)));
    assert.deepEqual(JSON.parse((await secrets.get(ACCOUNTS_KEY))!), [demo.id, token.id]);
    const roots = await children(api);
    assert.deepEqual(
      roots.map((node) => labelOf(api, node)),
      [demo.label, token.label],
    );
    assert.ok((await children(api, roots[0])).some((node) => slugOf(node) === DEMO.personalWorkspace));
  });
});
