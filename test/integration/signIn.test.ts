// Sign in and out in the real extension host against the sandbox: each kind of credential, each failure
// leaving nothing stored, the Accounts menu's provider, and a token that stops working later.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BitbucketRepositoriesApi } from '../../src/extension';
import { ACCOUNTS_KEY, LEGACY_KEY, accountKey } from '../../src/auth/accountStore';
import { DEMO } from '../sandbox/seed';
import { addFault, clearFaults, reset } from './sandbox-control';
import {
  children,
  errorShownBy,
  eventually,
  extensionApi,
  labelOf,
  signInWithAccessToken,
  signInWithApiToken,
  signOut,
} from './extensionApi';

/** Makes the sandbox refuse the signed-in credential from now on, and lets the tree find out. */
async function expireTheCredential(api: BitbucketRepositoriesApi): Promise<void> {
  await vscode.commands.executeCommand('bitbucket.refresh');
  const acme = (await children(api)).find(
    (node) => labelOf(api, node).length > 0 && (node as unknown as { slug: string }).slug === DEMO.largeWorkspace,
  );
  assert.ok(acme);
  await addFault({ kind: 'status', status: 401, match: '/2.0/repositories/', times: Infinity });
  await vscode.commands.executeCommand('bitbucket.refresh');
  await children(api);
  const reloaded = (await children(api)).find((node) => (node as unknown as { slug: string }).slug === DEMO.largeWorkspace)!;
  await children(api, reloaded);
  await eventually('the state is expired', () => api.authState() === 'expired');
}

describe('Sign in and out', () => {
  beforeEach(async () => {
    await reset();
    await signOut();
  });
  after(() => signOut());

  it('starts signed out with an empty tree, so the welcome view shows', async () => {
    const api = await extensionApi();
    assert.equal(api.authState(), 'signedOut');
    assert.deepEqual(await children(api), []);
  });

  it('signs in with an API token and shows the account', async () => {
    const api = await extensionApi();
    await signInWithApiToken();
    assert.equal(api.authState(), 'signedIn');
    assert.equal(api.account()?.kind, 'apiToken');
    assert.match(api.account()!.label, /Demo User/);
  });

  it('signs in with a workspace access token and shows that one workspace', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('bitbucket.signIn', {
      kind: 'accessToken',
      token: DEMO.accessToken.token,
      workspace: DEMO.accessToken.workspace,
    });
    assert.equal(api.authState(), 'signedIn');
    const roots = await children(api);
    assert.deepEqual(
      roots.map((node) => (node as unknown as { slug: string }).slug),
      [DEMO.accessToken.workspace],
    );
  });

  const failures: Array<[string, Record<string, string>, RegExp]> = [
    ['a wrong token', { kind: 'apiToken', email: DEMO.email, token: 'ATATT3xWrongToken' }, /email and API token/],
    ['a wrong email', { kind: 'apiToken', email: 'nobody@example.com', token: DEMO.apiToken }, /email and API token/],
    ['an expired token', { kind: 'apiToken', email: DEMO.email, token: DEMO.expiredApiToken }, /expired/],
    ['a removed app password', { kind: 'apiToken', email: DEMO.email, token: DEMO.appPassword }, /app password/],
    [
      'a token without read:workspace',
      { kind: 'apiToken', email: DEMO.email, token: DEMO.noWorkspaceScopeApiToken },
      /read:workspace:bitbucket/,
    ],
    [
      'an access token for another workspace',
      { kind: 'accessToken', token: DEMO.accessToken.token, workspace: 'no-such-space' },
      /no-such-space/,
    ],
    ['an email that is not an email', { kind: 'apiToken', email: 'demo', token: DEMO.apiToken }, /not an email/],
  ];
  for (const [what, request, expected] of failures) {
    it(`refuses ${what}, says why, and stores nothing`, async () => {
      const api = await extensionApi();
      const message = await errorShownBy(api, () => vscode.commands.executeCommand('bitbucket.signIn', request));
      assert.match(message ?? '(no message)', expected);
      assert.equal(api.authState(), 'signedOut');
      assert.equal(api.account(), undefined);
    });
  }

  it('keeps the previous credential when a new sign-in fails', async () => {
    const api = await extensionApi();
    await signInWithApiToken();
    await errorShownBy(api, () => signInWithApiToken('ATATT3xWrongToken'));
    assert.equal(api.authState(), 'signedIn');
    assert.match(api.account()!.label, /Demo User/);
  });

  it('signs out: the view returns to its welcome state and the credential is gone', async () => {
    const api = await extensionApi();
    await signInWithApiToken();
    assert.ok((await children(api)).length > 0);
    await signOut();
    assert.equal(api.authState(), 'signedOut');
    assert.deepEqual(await children(api), []);
    assert.equal(api.account(), undefined);
  });

  it('a 401 later turns the view to "sign in again" without deleting the credential', async () => {
    const api = await extensionApi();
    await signInWithApiToken();
    await expireTheCredential(api);
    assert.deepEqual(await children(api), [], 'the tree gives way to the welcome view');
    assert.ok(api.account(), 'the credential is still stored');
    await clearFaults();
    await signInWithApiToken();
    assert.equal(api.authState(), 'signedIn');
  });

  // Every window of the editor reads the same secret store, and a write in one reaches the others only as
  // SecretStorage's change event. The test writes the records past this window's account store, so that
  // event is the only way this window can learn of it.
  it('follows accounts added and removed by another window', async () => {
    const api = await extensionApi();
    const secrets = api.secretsForTests;
    assert.ok(secrets, 'the extension runs in Test mode');
    const slugs = async () => (await children(api)).map((node) => (node as unknown as { slug: string }).slug);
    await signInWithApiToken();
    await signInWithAccessToken();
    const [demo, token] = api.accounts();
    assert.equal(api.accounts().length, 2);
    const demoRecord = await secrets.get(accountKey(demo.id));
    const tokenRecord = await secrets.get(accountKey(token.id));
    assert.ok(demoRecord && tokenRecord && demoRecord !== tokenRecord);
    assert.deepEqual(JSON.parse((await secrets.get(ACCOUNTS_KEY))!), [demo.id, token.id]);

    // Another window signs out of the API token account.
    await secrets.store(ACCOUNTS_KEY, JSON.stringify([token.id]));
    await secrets.delete(accountKey(demo.id));
    await eventually('this window has the access token alone', () => api.accounts().length === 1);
    assert.equal(api.account()?.kind, 'accessToken');
    assert.deepEqual(await slugs(), [DEMO.accessToken.workspace], 'one account: its workspaces are the roots');

    // ... then out of the other.
    await secrets.store(ACCOUNTS_KEY, JSON.stringify([]));
    await secrets.delete(accountKey(token.id));
    await eventually('this window is signed out', () => api.authState() === 'signedOut');
    assert.deepEqual(await children(api), [], 'the welcome view shows');

    // ... then signs in, and adds the second account.
    await secrets.store(accountKey(demo.id), demoRecord);
    await secrets.store(ACCOUNTS_KEY, JSON.stringify([demo.id]));
    await eventually('this window is signed in', () => api.authState() === 'signedIn');
    assert.ok((await slugs()).includes(DEMO.largeWorkspace), "the tree lists the account's workspaces");
    await secrets.store(accountKey(token.id), tokenRecord);
    await secrets.store(ACCOUNTS_KEY, JSON.stringify([demo.id, token.id]));
    await eventually('this window has both accounts', () => api.accounts().length === 2);
    assert.deepEqual(
      (await children(api)).map((node) => labelOf(api, node)),
      [demo.label, token.label],
      'two accounts: the accounts are the roots',
    );
  });

  it('an upgrade from the single record of earlier versions keeps the person signed in', async () => {
    const api = await extensionApi();
    const secrets = api.secretsForTests!;
    await signInWithApiToken();
    const [demo] = api.accounts();
    const record = (await secrets.get(accountKey(demo.id)))!;
    await signOut();
    assert.equal(api.authState(), 'signedOut');
    // What an earlier version left (or an earlier version's window writes now): one record under the old key.
    await secrets.store(LEGACY_KEY, record);
    await eventually('this window is signed in from the old record', () => api.authState() === 'signedIn');
    assert.equal(api.account()?.id, demo.id);
    assert.match(api.account()!.label, /Demo User/);
    await eventually('the old key is gone', async () => (await secrets.get(LEGACY_KEY)) === undefined);
    assert.deepEqual(JSON.parse((await secrets.get(ACCOUNTS_KEY))!), [demo.id]);
    assert.equal(await secrets.get(accountKey(demo.id)), record);
    assert.ok((await children(api)).some((node) => (node as unknown as { slug: string }).slug === DEMO.largeWorkspace));
  });

  it('leaves "sign in again" when another window signs in with a new token', async () => {
    const api = await extensionApi();
    const secrets = api.secretsForTests!;
    await signInWithApiToken(DEMO.readOnlyApiToken);
    const [account] = api.accounts();
    const newTokenRecord = await secrets.get(accountKey(account.id));
    await signInWithApiToken();
    assert.equal(api.accounts().length, 1, 'the same account signed in again is updated, not added');
    await expireTheCredential(api);
    await clearFaults();
    await secrets.store(accountKey(account.id), newTokenRecord!);
    await eventually('this window is signed in again', () => api.authState() === 'signedIn');
    assert.ok((await children(api)).length > 0);
  });
});
