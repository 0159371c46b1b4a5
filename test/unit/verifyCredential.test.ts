/** The check a credential passes before it is kept, against the sandbox: each failure says what is wrong. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifyCredential } from '../../src/bitbucket/verifyCredential';
import { Credential } from '../../src/bitbucket/credentials';
import { BitbucketError } from '../../src/bitbucket/errors';
import { useSandbox } from './fixture';

const fixture = useSandbox();

function verify(credential: Credential) {
  return verifyCredential(credential, { baseUrl: fixture.sandbox.apiUrl, retry: { maxRetries: 0 } });
}

async function failure(credential: Credential): Promise<BitbucketError> {
  try {
    await verify(credential);
  } catch (error) {
    assert.ok(error instanceof BitbucketError, String(error));
    return error;
  }
  assert.fail('the credential was accepted');
}

describe('verifyCredential', () => {
  it('accepts the fixture.demo API token and names the account', async () => {
    const account = await verify({
      kind: 'apiToken',
      email: fixture.sandbox.credentials.email,
      token: fixture.sandbox.credentials.apiToken,
    });
    assert.equal(account.kind, 'apiToken');
    assert.match(account.label, /Demo User/);
    assert.ok(!account.label.includes(fixture.sandbox.credentials.apiToken));
  });

  it('accepts a workspace access token for its workspace', async () => {
    const { token, workspace } = fixture.sandbox.credentials.accessToken;
    const account = await verify({ kind: 'accessToken', token, workspace });
    assert.equal(account.workspace, workspace);
  });

  it('refuses a wrong email', async () => {
    const error = await failure({ kind: 'apiToken', email: 'someone@example.com', token: fixture.sandbox.credentials.apiToken });
    assert.equal(error.kind, 'unauthorized');
    assert.match(error.message, /email and API token/);
  });

  it('refuses an expired token', async () => {
    const error = await failure({
      kind: 'apiToken',
      email: fixture.sandbox.credentials.email,
      token: fixture.sandbox.credentials.expiredApiToken,
    });
    assert.match(error.message, /expired/);
  });

  it('recognises an app password and says how to replace it', async () => {
    const error = await failure({
      kind: 'apiToken',
      email: fixture.sandbox.credentials.email,
      token: fixture.sandbox.credentials.appPassword,
    });
    assert.equal(error.kind, 'appPasswordRemoved');
    assert.match(error.message, /app password.*Create an API token/s);
  });

  it('names a missing scope', async () => {
    const error = await failure({
      kind: 'apiToken',
      email: fixture.sandbox.credentials.email,
      token: fixture.sandbox.credentials.noWorkspaceScopeApiToken,
    });
    assert.equal(error.kind, 'missingScope');
    assert.match(error.message, /read:workspace:bitbucket/);
  });

  it('says when an access token names a workspace it cannot see', async () => {
    const error = await failure({ kind: 'accessToken', token: fixture.sandbox.credentials.accessToken.token, workspace: 'no-such-space' });
    assert.match(error.message, /no-such-space/);
  });
});
