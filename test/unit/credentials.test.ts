import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorizationHeader, gitUsername, tokenShape } from '../../src/bitbucket/credentials';

describe('credentials', () => {
  it('uses Basic with the Atlassian email for an API token', () => {
    const header = authorizationHeader({ kind: 'apiToken', email: 'ann@example.com', token: 'ATATT-secret' });
    assert.equal(header, `Basic ${Buffer.from('ann@example.com:ATATT-secret').toString('base64')}`);
  });

  it('uses Bearer for an access token', () => {
    assert.equal(authorizationHeader({ kind: 'accessToken', token: 'ATCTT-secret', workspace: 'acme' }), 'Bearer ATCTT-secret');
  });

  it('gives git the documented fixed user names, never the email', () => {
    assert.equal(gitUsername({ kind: 'apiToken', email: 'ann@example.com', token: 't' }), 'x-bitbucket-api-token-auth');
    assert.equal(gitUsername({ kind: 'accessToken', token: 't', workspace: 'acme' }), 'x-token-auth');
  });

  it('tells token shapes apart by prefix', () => {
    assert.equal(tokenShape('ATATT3xFfGF0abc'), 'apiToken');
    assert.equal(tokenShape('ATCTT3xFfGF0abc'), 'accessToken');
    assert.equal(tokenShape('hJ7sK2pQ9xLm4NvB8cRt'), 'appPasswordLike');
  });
});
