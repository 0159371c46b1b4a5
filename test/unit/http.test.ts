/**
 * The request builder's own logic with fetch stood in for: what it sends, and what it does with an answer
 * before reading it. Nothing here is about I/O; client.test.ts proves that through real sockets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BitbucketClient } from '../../src/bitbucket/client';
import { BitbucketError } from '../../src/bitbucket/errors';
import { BitbucketHttp, FetchFunction } from '../../src/bitbucket/http';
import { schemas } from '../../src/bitbucket/schemas';
import { SentRequest, standInFetch } from './fixture';

const header = (sent: SentRequest, name: string) => (sent.init.headers as Record<string, string>)[name];

describe('requests as sent', () => {
  it('presents an API token as Basic email:token and an access token as Bearer, never in the URL', async () => {
    const api = standInFetch();
    await new BitbucketClient({ fetch: api.fetch, credential: { kind: 'apiToken', email: 'ann@example.com', token: 'ATATT-x' } })
      .listRepositories('acme')
      .next();
    assert.equal(header(api.sent[0], 'Authorization'), `Basic ${Buffer.from('ann@example.com:ATATT-x').toString('base64')}`);
    const access = standInFetch();
    await new BitbucketClient({ fetch: access.fetch, credential: { kind: 'accessToken', token: 'ATCTT-y', workspace: 'acme' } })
      .listRepositories('acme')
      .next();
    assert.equal(header(access.sent[0], 'Authorization'), 'Bearer ATCTT-y');
    for (const { url } of [...api.sent, ...access.sent]) {
      assert.ok(!url.includes('ATATT') && !url.includes('ATCTT'), url);
      assert.match(url, /^https:\/\/api\.bitbucket\.org\/2\.0\/repositories\/acme\?/);
    }
    assert.equal(api.sent[0].init.redirect, 'manual', 'redirects are never followed with the credential');
  });

  it('refuses an answer whose Content-Length is over the cap without reading its body', async () => {
    const huge = standInFetch({ headers: { 'content-length': String(64 * 1024 * 1024) } });
    const client = new BitbucketClient({ fetch: huge.fetch, maxResponseBytes: 1024 });
    await assert.rejects(client.getCurrentUser(), (error: unknown) => error instanceof BitbucketError && error.kind === 'invalidResponse');
    assert.equal(huge.reads(), 0, 'the body was not read');
    assert.equal(huge.sent.length, 1, 'nor asked for again');
  });

  it('never repeats a POST, even after a server error', async () => {
    const failing = standInFetch({ status: 503, body: '{"type": "error", "error": {"message": "Service unavailable"}}' });
    const client = new BitbucketClient({ fetch: failing.fetch, retry: { baseDelayMs: 1, maxDelayMs: 1 } });
    await assert.rejects(client.createRepository('acme', 'new', { name: 'New', isPrivate: true }));
    assert.equal(failing.sent.length, 1);
    await assert.rejects(client.getCurrentUser());
    assert.equal(failing.sent.length, 1 + 1 + 3, 'a GET is retried (three times by default)');
  });
});

describe('redirects and raw bytes', () => {
  const api = 'https://api.bitbucket.org/2.0';
  const credential = { kind: 'apiToken', email: 'ann@example.com', token: 'ATATT-x' } as const;
  const client = (fetch: FetchFunction) => new BitbucketHttp({ baseUrl: api, fetch, credential, retry: { maxRetries: 0 } });
  const redirect = (location: string, status = 302) => ({ status, headers: { location, 'content-type': 'text/html' }, body: '' });

  it('follows a GET redirect to the API itself, with the credential, and reads the bytes as they are', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const { fetch, sent } = standInFetch(redirect('/2.0/repositories/acme/api/src/abc123/logo.png'), {
      headers: { 'content-type': 'image/png' },
      body: png,
    });
    const answer = await client(fetch).getBytes('repositories/acme/api/src/main/logo.png');
    assert.deepEqual(answer.bytes, png);
    assert.equal(answer.contentType, 'image/png');
    assert.deepEqual(
      sent.map((request) => request.url),
      [`${api}/repositories/acme/api/src/main/logo.png`, `${api}/repositories/acme/api/src/abc123/logo.png`],
    );
    assert.ok(header(sent[1], 'Authorization'), 'the credential goes to the API itself');
  });

  for (const [what, location] of [
    ['another host', 'https://evil.example/2.0/repositories/acme/api/src/abc/x'],
    ['another scheme', 'http://api.bitbucket.org/2.0/repositories/acme/api/src/abc/x'],
    ['a path outside the API', 'https://api.bitbucket.org/login?next=/2.0'],
  ] as const) {
    it(`refuses a redirect to ${what}, sending nothing there`, async () => {
      const { fetch, sent } = standInFetch(redirect(location));
      await assert.rejects(client(fetch).getBytes('repositories/acme/api/src/main/x'), (error: BitbucketError) => {
        assert.equal(error.kind, 'invalidResponse');
        assert.match(error.message, /with a redirect \(HTTP 302\)/);
        return true;
      });
      assert.equal(sent.length, 1);
    });
  }

  it('stops after three redirects', async () => {
    const { fetch, sent } = standInFetch(redirect('/2.0/repositories/acme/api/src/a/'));
    await assert.rejects(client(fetch).getBytes('repositories/acme/api/src'), /with a redirect/);
    assert.equal(sent.length, 4, 'the request and three redirects, then no more');
  });

  it('never follows a redirect of a POST', async () => {
    const { fetch, sent } = standInFetch(redirect('/2.0/repositories/acme/api', 307));
    await assert.rejects(client(fetch).post('repositories/acme/api', {}, schemas().repository), /with a redirect \(HTTP 307\)/);
    assert.equal(sent.length, 1);
  });
});
