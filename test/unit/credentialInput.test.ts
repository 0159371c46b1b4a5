import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateEmail, validateToken, validateWorkspace } from '../../src/auth/credentialInput';

describe('sign-in input checks', () => {
  it('accepts an email and refuses what is not one', () => {
    assert.equal(validateEmail('ann@example.com'), undefined);
    assert.match(validateEmail('')!, /Enter the email/);
    assert.match(validateEmail('ann')!, /not an email/);
    assert.match(validateEmail('ann@example')!, /not an email/);
  });

  it('refuses an empty token and one with spaces', () => {
    assert.match(validateToken('   ', 'apiToken')!, /cannot be empty/);
    assert.match(validateToken('ATATT abc', 'apiToken')!, /no spaces/);
  });

  it('points at the other kind when the prefix says so', () => {
    assert.match(validateToken('ATCTT3xabc', 'apiToken')!, /access token/);
    assert.match(validateToken('ATATT3xabc', 'accessToken')!, /API token/);
    assert.equal(validateToken('ATATT3xabc', 'apiToken'), undefined);
  });

  it('lets an app-password-shaped token through to the server, which explains the 401', () => {
    assert.equal(validateToken('hJ7sK2pQ9xLm4NvB8cRt', 'apiToken'), undefined);
  });

  it('checks a workspace slug', () => {
    assert.equal(validateWorkspace('acme'), undefined);
    assert.equal(validateWorkspace('tea.house'), undefined);
    assert.match(validateWorkspace('')!, /workspace slug/);
    assert.match(validateWorkspace('my workspace')!, /only letters/);
  });
});
