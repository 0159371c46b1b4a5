// Sign in and out in the real extension host against the sandbox: each kind of credential, each failure
// leaving nothing stored, the Accounts menu's provider, and a token that stops working later.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEMO } from '../sandbox/seed';
import { addFault, clearFaults, reset } from './sandbox-control';
import { children, errorShownBy, eventually, extensionApi, labelOf, signInWithApiToken, signOut } from './extensionApi';

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
    assert.deepEqual(roots.map((node) => (node as unknown as { slug: string }).slug), [DEMO.accessToken.workspace]);
  });

  const failures: Array<[string, Record<string, string>, RegExp]> = [
    ['a wrong token', { kind: 'apiToken', email: DEMO.email, token: 'ATATT3xWrongToken' }, /email and API token/],
    ['a wrong email', { kind: 'apiToken', email: 'nobody@example.com', token: DEMO.apiToken }, /email and API token/],
    ['an expired token', { kind: 'apiToken', email: DEMO.email, token: DEMO.expiredApiToken }, /expired/],
    ['a removed app password', { kind: 'apiToken', email: DEMO.email, token: DEMO.appPassword }, /app password/],
    ['a token without read:workspace', { kind: 'apiToken', email: DEMO.email, token: DEMO.noWorkspaceScopeApiToken }, /read:workspace:bitbucket/],
    ['an access token for another workspace', { kind: 'accessToken', token: DEMO.accessToken.token, workspace: 'no-such-space' }, /no-such-space/],
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
    await vscode.commands.executeCommand('bitbucket.refresh');
    const roots = await children(api);
    const acme = roots.find((node) => labelOf(api, node).length > 0 && (node as unknown as { slug: string }).slug === DEMO.largeWorkspace)!;
    assert.ok(acme);
    await addFault({ kind: 'status', status: 401, match: '/2.0/repositories/', times: Infinity });
    await vscode.commands.executeCommand('bitbucket.refresh');
    await children(api);
    const reloaded = (await children(api)).find((node) => (node as unknown as { slug: string }).slug === DEMO.largeWorkspace)!;
    await children(api, reloaded);
    await eventually('the state is expired', () => api.authState() === 'expired');
    assert.deepEqual(await children(api), [], 'the tree gives way to the welcome view');
    assert.ok(api.account(), 'the credential is still stored');
    await clearFaults();
    await signInWithApiToken();
    assert.equal(api.authState(), 'signedIn');
  });
});
