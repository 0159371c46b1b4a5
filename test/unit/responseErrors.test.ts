import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorFromResponse } from '../../src/bitbucket/responseErrors';
import type { Credential } from '../../src/bitbucket/credentials';

const apiToken: Credential = { kind: 'apiToken', email: 'ann@example.com', token: 'ATATT-good' };
const appPassword: Credential = { kind: 'apiToken', email: 'ann@example.com', token: 'hJ7sK2pQ9xLm4NvB8cRt' };

function json(body: unknown) {
  return { contentType: 'application/json', bodyText: JSON.stringify(body) };
}

describe('errorFromResponse', () => {
  it('reads granted and required scopes from an object detail', () => {
    const error = errorFromResponse(
      {
        status: 403,
        endpoint: 'POST /repositories/acme/x',
        ...json({
          type: 'error',
          error: {
            message: 'Your credentials lack one or more required privilege scopes.',
            detail: { granted: ['read:repository:bitbucket'], required: ['admin:repository:bitbucket'] },
          },
        }),
      },
      apiToken,
    );
    assert.equal(error.kind, 'missingScope');
    assert.deepEqual(error.scopes, { granted: ['read:repository:bitbucket'], required: ['admin:repository:bitbucket'] });
    assert.match(error.message, /lacks the scope admin:repository:bitbucket, needed for POST \/repositories\/acme\/x/);
  });

  it('reads scopes from a sentence detail', () => {
    const error = errorFromResponse(
      {
        status: 403,
        endpoint: 'GET /user/workspaces',
        ...json({
          type: 'error',
          error: {
            message: 'Your credentials lack one or more required privilege scopes.',
            detail: 'The token has scopes read:user:bitbucket; required: read:workspace:bitbucket',
          },
        }),
      },
      apiToken,
    );
    assert.deepEqual(error.scopes, { granted: ['read:user:bitbucket'], required: ['read:workspace:bitbucket'] });
    assert.match(error.message, /read:workspace:bitbucket/);
  });

  it('calls a 401 for an app-password-shaped secret what it is', () => {
    const error = errorFromResponse(
      { status: 401, endpoint: 'GET /user', ...json({ type: 'error', error: { message: 'x' } }) },
      appPassword,
    );
    assert.equal(error.kind, 'appPasswordRemoved');
    assert.match(error.message, /app password/);
    assert.match(error.message, /API token/);
  });

  it('keeps field errors of a 400', () => {
    const error = errorFromResponse(
      {
        status: 400,
        endpoint: 'POST /repositories/acme/dup',
        ...json({
          type: 'error',
          error: {
            message: 'Repository with this Slug and Owner already exists.',
            fields: { name: ['Repository with this Slug and Owner already exists.'] },
          },
        }),
      },
      apiToken,
    );
    assert.equal(error.kind, 'badRequest');
    assert.deepEqual(error.fieldErrors, { name: ['Repository with this Slug and Owner already exists.'] });
  });

  it('describes an HTML error page by status and content type', () => {
    const error = errorFromResponse(
      { status: 502, endpoint: 'GET /user', contentType: 'text/html', bodyText: '<html>Bad gateway</html>' },
      apiToken,
    );
    assert.equal(error.kind, 'serverError');
    const page = errorFromResponse(
      { status: 403, endpoint: 'GET /user', contentType: 'text/html; charset=utf-8', bodyText: '<html>SSO</html>' },
      apiToken,
    );
    assert.equal(page.kind, 'forbidden');
    const teapot = errorFromResponse(
      { status: 418, endpoint: 'GET /user', contentType: 'text/html', bodyText: '<html>SSO</html>' },
      apiToken,
    );
    assert.equal(teapot.kind, 'notJson');
    assert.match(teapot.message, /HTTP 418, text\/html/);
  });

  it('never repeats the secret in a message', () => {
    for (const status of [400, 401, 403, 404, 410, 429, 500]) {
      const error = errorFromResponse({ status, endpoint: 'GET /user', ...json({ type: 'error', error: { message: 'no' } }) }, apiToken);
      assert.ok(!error.message.includes('ATATT-good'), `status ${status}`);
    }
  });
});
