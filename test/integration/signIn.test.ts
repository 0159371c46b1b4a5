// Sign in and out in the real extension host against the sandbox: each kind of credential, each failure
// leaving nothing stored, the Accounts menu's provider, and a token that stops working later.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BitbucketRepositoriesApi } from '../../src/extension';
import { SECRET_KEY } from '../../src/auth/credentialStore';
import { DEMO } from '../sandbox/seed';
import { addFault, clearFaults, reset } from './sandbox-control';
import { children, errorShownBy, eventually, extensionApi, labelOf, signInWithApiToken, signOut } from './extensionApi';

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
  // SecretStorage's change event. The test writes the record past this window's credential store, so that
  // event is the only way this window can learn of it.
  it('follows sign-in, a change of account and sign-out made by another window', async () => {
    const api = await extensionApi();
    const secrets = api.secretsForTests;
    assert.ok(secrets, 'the extension runs in Test mode');
    const slugs = async () => (await children(api)).map((node) => (node as unknown as { slug: string }).slug);
    await signInWithApiToken();
    const apiTokenRecord = await secrets.get(SECRET_KEY);
    await vscode.commands.executeCommand('bitbucket.signIn', {
      kind: 'accessToken',
      token: DEMO.accessToken.token,
      workspace: DEMO.accessToken.workspace,
    });
    const accessTokenRecord = await secrets.get(SECRET_KEY);
    assert.ok(apiTokenRecord && accessTokenRecord && apiTokenRecord !== accessTokenRecord);

    await secrets.delete(SECRET_KEY);
    await eventually('this window is signed out', () => api.authState() === 'signedOut');
    assert.equal(api.account(), undefined);
    assert.deepEqual(await children(api), [], 'the welcome view shows');

    await secrets.store(SECRET_KEY, apiTokenRecord);
    await eventually('this window is signed in', () => api.authState() === 'signedIn');
    assert.match(api.account()!.label, /Demo User/);
    assert.ok((await slugs()).includes(DEMO.largeWorkspace), "the tree lists the account's workspaces");

    await secrets.store(SECRET_KEY, accessTokenRecord);
    await eventually('this window uses the access token', () => api.account()?.kind === 'accessToken');
    assert.deepEqual(await slugs(), [DEMO.accessToken.workspace]);
  });

  it('leaves "sign in again" when another window signs in with a new token', async () => {
    const api = await extensionApi();
    const secrets = api.secretsForTests!;
    await signInWithApiToken(DEMO.readOnlyApiToken);
    const newTokenRecord = await secrets.get(SECRET_KEY);
    await signInWithApiToken();
    await expireTheCredential(api);
    await clearFaults();
    await secrets.store(SECRET_KEY, newTokenRecord!);
    await eventually('this window is signed in again', () => api.authState() === 'signedIn');
    assert.ok((await children(api)).length > 0);
  });
});
