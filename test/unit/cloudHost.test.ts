/** Bitbucket Cloud behind the host interface: what it maps, with fetch stood in (no socket proves more here). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BitbucketClient } from '../../src/bitbucket/client';
import { CloudHost } from '../../src/bitbucket/cloudHost';
import { Credential } from '../../src/bitbucket/credentials';
import { BitbucketError } from '../../src/bitbucket/errors';
import { standInFetch } from './fixture';

function hostAnswering(status: number, body: unknown, credential: Credential) {
  const { fetch, sent } = standInFetch({ status, body });
  return {
    host: new CloudHost(new BitbucketClient({ fetch, credential }), credential),
    get urls() {
      return sent.map((request) => request.url);
    },
  };
}

const apiToken: Credential = { kind: 'apiToken', email: 'ann@example.com', token: 'ATATT-x' };

describe('CloudHost', () => {
  it("names a refused create's field errors as NewRepository does", async () => {
    const refusal = {
      type: 'error',
      error: {
        message: 'Bad request',
        fields: { is_private: ['Private repositories are not allowed.'], slug: ['Taken.'], name: ['Too long.'] },
      },
    };
    const { host } = hostAnswering(400, refusal, apiToken);
    const error = await host.createRepository('acme', 'x', { name: 'x', isPrivate: true }).then(
      () => assert.fail('created'),
      (failure: unknown) => failure,
    );
    assert.ok(error instanceof BitbucketError && error.kind === 'badRequest', String(error));
    assert.deepEqual(error.fieldErrors, { isPrivate: ['Private repositories are not allowed.'], name: ['Taken.', 'Too long.'] });
  });

  it("lists an access token's one workspace without asking, and an API token's from the API", async () => {
    const access = hostAnswering(500, {}, { kind: 'accessToken', token: 'ATCTT-y', workspace: 'acme' });
    assert.deepEqual(await access.host.containers(), [{ slug: 'acme', administrator: false }]);
    assert.deepEqual(access.urls, []);
    const page = { values: [{ administrator: true, workspace: { slug: 'tea.house', uuid: '{t}' } }] };
    const api = hostAnswering(200, page, apiToken);
    assert.deepEqual(await api.host.containers(), [{ slug: 'tea.house', administrator: true }]);
    assert.match(api.urls[0], /\/2\.0\/user\/workspaces\?/);
  });

  it('gives git the user name Bitbucket documents for each kind of token, with the token', () => {
    assert.deepEqual(hostAnswering(200, {}, apiToken).host.gitCredentials(), {
      username: 'x-bitbucket-api-token-auth',
      password: 'ATATT-x',
    });
    const access = hostAnswering(200, {}, { kind: 'accessToken', token: 't', workspace: 'acme' }).host;
    assert.deepEqual(access.gitCredentials(), { username: 'x-token-auth', password: 't' });
  });
});
