/**
 * The Bitbucket client against the sandbox over real sockets: paging, trimming, filtering, every error
 * kind, retries, cancellation and transport safety. The sandbox's request log is the witness.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BitbucketClient, nameContains } from '../../src/bitbucket/client';
import { Credential } from '../../src/bitbucket/credentials';
import { BitbucketError, BitbucketErrorKind } from '../../src/bitbucket/errors';
import { HttpOptions } from '../../src/bitbucket/http';
import { Page, Repository } from '../../src/bitbucket/schemas';
import * as z from 'zod/mini';
import { useSandbox } from './fixture';

const fixture = useSandbox({ retry: { baseDelayMs: 5, maxDelayMs: 20 } });
const client = (options: HttpOptions = {}) => fixture.client(options);

async function collect<T>(pages: AsyncIterable<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page.values);
  return all;
}

async function rejectsWith(promise: Promise<unknown>, kind: BitbucketErrorKind, message?: RegExp): Promise<BitbucketError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof BitbucketError, `expected a BitbucketError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    if (message) assert.match(error.message, message);
    return error;
  }
  assert.fail(`expected a ${kind} error`);
}

function apiRequests(pathPart: string) {
  return fixture.sandbox.requests.filter((entry) => !entry.git && entry.path.includes(pathPart));
}

describe('listing', () => {
  it('pages through the largest workspace by following next, each repository once, in order', async () => {
    const bitbucket = client();
    const pages: Page<Repository>[] = [];
    for await (const page of bitbucket.listRepositories(fixture.sandbox.credentials.largeWorkspace, { pageSize: 100, sort: 'name' })) {
      pages.push(page);
    }
    const all = pages.flatMap((page) => page.values);
    const total = pages[0].size;
    assert.ok(total !== undefined && total >= 1_000, `size ${total}`);
    assert.equal(all.length, total);
    assert.equal(new Set(all.map((repo) => repo.slug)).size, all.length);
    const smallerPages = await collect(
      bitbucket.listRepositories(fixture.sandbox.credentials.largeWorkspace, { pageSize: 50, sort: 'name' }),
    );
    assert.deepEqual(
      smallerPages.map((repo) => repo.slug),
      all.map((repo) => repo.slug),
      'the same order whatever the page size',
    );
    const log = apiRequests(`/repositories/${fixture.sandbox.credentials.largeWorkspace}`).filter((entry) => entry.query.pagelen === '100');
    assert.equal(log.length, Math.ceil(total / 100));
    assert.equal(bitbucket.http.stats.requests, log.length + Math.ceil(total / 50));
    for (const entry of log) {
      assert.equal(entry.query.pagelen, '100');
      assert.match(entry.query.fields, /(^|,)next(,|$)/);
      assert.match(entry.query.fields, /values\.slug/);
    }
    assert.deepEqual(
      log.map((entry) => entry.query.page ?? '1'),
      log.map((_, index) => String(index + 1)),
    );
  });

  it('trims objects with fields to a fraction of the full size', async () => {
    const bitbucket = client();
    const first = await bitbucket.listRepositories(fixture.sandbox.credentials.largeWorkspace, { pageSize: 50 }).next();
    assert.equal(first.done, false);
    const trimmedBytes = fixture.sandbox.requests.at(-1)!.bytes;
    const full = await fetchJson(`${fixture.sandbox.apiUrl}/repositories/${fixture.sandbox.credentials.largeWorkspace}?pagelen=50`);
    const fullBytes = fixture.sandbox.requests.at(-1)!.bytes;
    assert.equal(full.values.length, 50);
    assert.ok(trimmedBytes * 3 < fullBytes, `trimmed ${trimmedBytes} bytes vs full ${fullBytes}`);
    const repo = first.value!.values[0];
    assert.ok(repo.links?.html?.href);
    assert.equal(repo.links?.clone, undefined, 'clone links are fetched for the one repository being cloned');
    const one = await bitbucket.getRepository(fixture.sandbox.credentials.largeWorkspace, repo.slug);
    assert.ok(one.links?.clone?.some((link) => link.name === 'https'));
  });

  it('sends q and sort to the server and shows only matches', async () => {
    const bitbucket = client();
    const found = await collect(bitbucket.listRepositories(fixture.sandbox.credentials.largeWorkspace, { query: nameContains('0042') }));
    assert.ok(found.length >= 1);
    for (const repo of found) assert.match(repo.name, /0042/);
    const entry = apiRequests(`/repositories/${fixture.sandbox.credentials.largeWorkspace}`).at(-1)!;
    assert.equal(entry.query.q, 'name ~ "0042"');
    assert.equal(entry.query.sort, '-updated_on');
    const dates = found.map((repo) => Date.parse(repo.updated_on!));
    assert.deepEqual(
      dates,
      [...dates].sort((a, b) => b - a),
    );
  });

  it('escapes quotes in a name filter', () => {
    assert.equal(nameContains('a "b" \\c'), 'name ~ "a \\"b\\" \\\\c"');
  });

  it('reads the user, workspaces, a workspace and its projects', async () => {
    const bitbucket = client();
    const user = await bitbucket.getCurrentUser();
    assert.equal(user.display_name, fixture.sandbox.credentials.displayName);
    const workspaces = await collect(bitbucket.listWorkspaces({ pageSize: 10 }));
    const slugs = workspaces.map((access) => access.workspace.slug);
    assert.ok(slugs.includes(fixture.sandbox.credentials.largeWorkspace));
    assert.ok(slugs.includes(fixture.sandbox.credentials.emptyWorkspace));
    const workspace = await bitbucket.getWorkspace(fixture.sandbox.credentials.largeWorkspace);
    assert.equal(workspace.slug, fixture.sandbox.credentials.largeWorkspace);
    assert.ok(workspace.name.length > 0);
    const projects = await collect(bitbucket.listProjects(fixture.sandbox.credentials.largeWorkspace));
    assert.ok(projects.length >= 1);
    assert.ok(projects.every((project) => project.key.length > 0));
  });

  it('lists an empty workspace as one empty page', async () => {
    const pages: Page<Repository>[] = [];
    for await (const page of client().listRepositories(fixture.sandbox.credentials.emptyWorkspace)) pages.push(page);
    assert.equal(pages.length, 1);
    assert.deepEqual(pages[0].values, []);
  });

  it('lists with a workspace access token over Bearer', async () => {
    const { token, workspace } = fixture.sandbox.credentials.accessToken;
    const bitbucket = client({ credential: { kind: 'accessToken', token, workspace } });
    const first = await bitbucket.listRepositories(workspace, { pageSize: 10 }).next();
    assert.equal(first.value!.values.length, 10);
    assert.equal(fixture.sandbox.requests.at(-1)!.auth, 'bearer');
    await assert.rejects(bitbucket.getCurrentUser(), BitbucketError);
  });
});

describe('errors', () => {
  it('401 for a wrong token says the email or token is wrong', async () => {
    const bitbucket = client({
      credential: { kind: 'apiToken', email: fixture.sandbox.credentials.email, token: 'ATATT-not-a-real-token' },
    });
    const error = await rejectsWith(bitbucket.getCurrentUser(), 'unauthorized', /email and API token/);
    assert.equal(error.status, 401);
    assert.equal(error.needsNewCredentials, true);
  });

  it('401 for an expired token', async () => {
    const bitbucket = client({ credential: { ...fixture.demo, token: fixture.sandbox.credentials.expiredApiToken } as Credential });
    await rejectsWith(bitbucket.getCurrentUser(), 'unauthorized', /expired/);
  });

  it('401 for a removed app password says so and what to do', async () => {
    const bitbucket = client({ credential: { ...fixture.demo, token: fixture.sandbox.credentials.appPassword } as Credential });
    await rejectsWith(bitbucket.getCurrentUser(), 'appPasswordRemoved', /app password.*API token/s);
  });

  it('403 for a missing scope names the scope', async () => {
    const bitbucket = client({ credential: { ...fixture.demo, token: fixture.sandbox.credentials.readOnlyApiToken } as Credential });
    const error = await rejectsWith(
      bitbucket.createRepository(fixture.sandbox.credentials.largeWorkspace, 'needs-admin', { name: 'needs-admin', isPrivate: true }),
      'missingScope',
      /admin:repository:bitbucket/,
    );
    assert.ok(error.scopes!.required.includes('admin:repository:bitbucket'));
  });

  it('403 for listing workspaces without read:workspace names that scope', async () => {
    const bitbucket = client({
      credential: { ...fixture.demo, token: fixture.sandbox.credentials.noWorkspaceScopeApiToken } as Credential,
    });
    await rejectsWith(collect(bitbucket.listWorkspaces()), 'missingScope', /read:workspace:bitbucket/);
  });

  it('404 for a workspace that does not exist', async () => {
    await rejectsWith(client().getWorkspace('no-such-workspace'), 'notFound', /no-such-workspace/);
  });

  it('410 for an endpoint Bitbucket removed', async () => {
    await rejectsWith(client().http.get('repositories', z.unknown()), 'gone', /GET \/repositories.*410/);
  });

  it('429 with Retry-After is waited out and retried', async () => {
    const slug = await firstSlug();
    fixture.sandbox.addFault({ kind: 'rate-limit', retryAfterSeconds: 1, match: '/repositories/' });
    const page = await client().getRepository(fixture.sandbox.credentials.largeWorkspace, slug);
    assert.ok(page.slug);
    const log = apiRequests('/repositories/').slice(-2);
    assert.deepEqual(
      log.map((entry) => entry.status),
      [429, 200],
    );
    assert.ok(log[1].time - log[0].time >= 900, 'waited for Retry-After');
  });

  it('429 without Retry-After backs off, then gives up with a message', async () => {
    fixture.sandbox.addFault({ kind: 'rate-limit', match: '/user', times: Infinity });
    const error = await rejectsWith(client().getCurrentUser(), 'rateLimited', /rate limit/);
    assert.equal(error.retryAfterSeconds, undefined);
    assert.equal(apiRequests('/2.0/user').length, 4, 'one try and three retries');
  });

  it('a long Retry-After is not waited out but reported', async () => {
    fixture.sandbox.addFault({ kind: 'rate-limit', retryAfterSeconds: 3600, match: '/user' });
    await rejectsWith(client().getCurrentUser(), 'rateLimited', /60 minutes/);
    assert.equal(apiRequests('/2.0/user').length, 1);
  });

  it('5xx on a GET is retried until it succeeds', async () => {
    fixture.sandbox.addFault({ kind: 'status', status: 503, match: '/user', times: 2 });
    const user = await client().getCurrentUser();
    assert.equal(user.display_name, fixture.sandbox.credentials.displayName);
    assert.deepEqual(
      apiRequests('/2.0/user').map((entry) => entry.status),
      [503, 503, 200],
    );
  });

  it('5xx that persists ends in a server error', async () => {
    fixture.sandbox.addFault({ kind: 'status', status: 500, match: '/user', times: Infinity });
    await rejectsWith(client().getCurrentUser(), 'serverError', /HTTP 500/);
  });

  it('a POST is never retried', async () => {
    fixture.sandbox.addFault({ kind: 'status', status: 502, method: 'POST', match: '/repositories/' });
    await rejectsWith(
      client().createRepository(fixture.sandbox.credentials.largeWorkspace, 'post-once', { name: 'post-once', isPrivate: true }),
      'serverError',
    );
    assert.equal(fixture.sandbox.requests.filter((entry) => entry.method === 'POST').length, 1);
  });

  it('an HTML page instead of JSON names the status and content type', async () => {
    fixture.sandbox.addFault({ kind: 'html', status: 200, match: '/user' });
    await rejectsWith(client().getCurrentUser(), 'notJson', /HTTP 200, text\/html/);
  });

  it('a malformed JSON body is reported as not JSON', async () => {
    fixture.sandbox.addFault({ kind: 'malformed-json', match: '/user' });
    await rejectsWith(client().getCurrentUser(), 'notJson');
  });

  it('a body that fails validation names the field and the endpoint', async () => {
    fixture.sandbox.addFault({ kind: 'invalid-shape', match: `/repositories/${fixture.sandbox.credentials.largeWorkspace}` });
    const error = await rejectsWith(client().listRepositories(fixture.sandbox.credentials.largeWorkspace).next(), 'invalidResponse');
    assert.match(error.message, new RegExp(`GET /repositories/${fixture.sandbox.credentials.largeWorkspace}`));
    assert.match(error.message, /at "values/);
  });

  it('a dropped connection is retried, then reported as a network failure', async () => {
    fixture.sandbox.addFault({ kind: 'drop', match: '/user', times: Infinity });
    await rejectsWith(client().getCurrentUser(), 'network', /Could not reach Bitbucket/);
  });

  it('a server that does not answer in time gives a timeout', async () => {
    fixture.sandbox.addFault({ kind: 'delay', delayMs: 2_000, match: '/user' });
    await rejectsWith(client({ timeoutMs: 200 }).getCurrentUser(), 'timeout', /did not answer/);
  });

  it('a redirect is refused, not followed with the credential', async () => {
    fixture.sandbox.addFault({ kind: 'status', status: 302, match: '/user' });
    await rejectsWith(client().getCurrentUser(), 'invalidResponse', /redirect \(HTTP 302\).*bitbucket\.apiUrl/);
  });

  it('stops when a server hands back a page link it gave before', async () => {
    const { createServer } = await import('node:http');
    const loop = createServer((request, response) => {
      const self = `http://127.0.0.1:${(loop.address() as { port: number }).port}${request.url}`;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ values: [], next: self.includes('page=2') ? self : `${self}&page=2` }));
    });
    await new Promise<void>((resolve) => loop.listen(0, '127.0.0.1', resolve));
    try {
      const port = (loop.address() as { port: number }).port;
      const bitbucket = new BitbucketClient({ baseUrl: `http://127.0.0.1:${port}/2.0`, credential: fixture.demo });
      await rejectsWith(collect(bitbucket.listRepositories('acme')), 'invalidResponse', /repeated a page link/);
    } finally {
      loop.close();
    }
  });

  it('an answer larger than the cap is refused unread when its Content-Length says so, and not retried', async () => {
    fixture.sandbox.addFault({ kind: 'oversized', match: '/user', bytes: 4 * 1024 * 1024, times: Infinity });
    const bitbucket = client({ maxResponseBytes: 1024 * 1024 });
    await rejectsWith(bitbucket.getCurrentUser(), 'invalidResponse', /unexpectedly large answer to GET \/user \(4\.0 MB\)/);
    assert.equal(apiRequests('/user').length, 1, 'one request: a flood is not fetched again');
  });

  it('a chunked answer is cut off at the cap and refused, not taken for a network failure', async () => {
    fixture.sandbox.addFault({ kind: 'oversized', match: '/user', bytes: 4 * 1024 * 1024, contentLength: false, times: Infinity });
    const bitbucket = client({ maxResponseBytes: 1024 * 1024 });
    await rejectsWith(bitbucket.getCurrentUser(), 'invalidResponse', /unexpectedly large answer to GET \/user/);
    assert.equal(apiRequests('/user').length, 1);
  });

  it('the default cap still reads a whole page of 100 repositories', async () => {
    const page = await client().listRepositories(fixture.sandbox.credentials.largeWorkspace, { pageSize: 100 }).next();
    assert.equal(page.value?.values.length, 100);
  });

  it('a malformed next link is an invalid answer, not a crash', async () => {
    const { createServer } = await import('node:http');
    const bad = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      const port = (bad.address() as { port: number }).port;
      // Same origin, so it passes the host check; the escape %E0%A4%A is not valid UTF-8.
      const first = request.url?.startsWith('/2.0/repositories/acme?');
      response.end(JSON.stringify({ values: [], next: first ? `http://127.0.0.1:${port}/2.0/repositories/%E0%A4%A?page=2` : undefined }));
    });
    await new Promise<void>((resolve) => bad.listen(0, '127.0.0.1', resolve));
    try {
      const port = (bad.address() as { port: number }).port;
      const bitbucket = new BitbucketClient({
        baseUrl: `http://127.0.0.1:${port}/2.0`,
        credential: fixture.demo,
        retry: { maxRetries: 0 },
      });
      await rejectsWith(collect(bitbucket.listRepositories('acme')), 'invalidResponse', /malformed page link/);
      await rejectsWith(
        bitbucket.nextRepositoryPage('http://127.0.0.1:notaport/2.0/repositories/acme?page=2'),
        'invalidResponse',
        /malformed page link/,
      );
      assert.equal(bitbucket.http.stats.requests, 1, 'neither link was requested');
    } finally {
      bad.close();
    }
  });

  it('refuses a workspace or repository name that is a dot segment, before any request', async () => {
    const bitbucket = client();
    for (const name of ['..', '.', '']) {
      await rejectsWith(bitbucket.getRepository(name, 'x'), 'invalidName', /not a Bitbucket workspace or repository name/);
      await rejectsWith(bitbucket.getRepository('acme', name), 'invalidName');
      await rejectsWith(collect(bitbucket.listRepositories(name)), 'invalidName');
    }
    assert.equal(bitbucket.http.stats.requests, 0);
    assert.equal(apiRequests('/').length, 0);
  });

  it('a refused connection is a network failure', async () => {
    const bitbucket = new BitbucketClient({ baseUrl: 'http://127.0.0.1:9/2.0', credential: fixture.demo, retry: { maxRetries: 0 } });
    await rejectsWith(bitbucket.getCurrentUser(), 'network', /ECONNREFUSED/);
  });

  it('create reports a duplicate slug with its field error', async () => {
    const bitbucket = client();
    const created = await bitbucket.createRepository(fixture.sandbox.credentials.largeWorkspace, 'brand-new', {
      name: 'Brand New',
      isPrivate: true,
    });
    assert.equal(created.slug, 'brand-new');
    assert.equal(created.is_private, true);
    const error = await rejectsWith(
      bitbucket.createRepository(fixture.sandbox.credentials.largeWorkspace, 'brand-new', { name: 'brand-new', isPrivate: false }),
      'badRequest',
      /already exists/,
    );
    assert.ok(error.fieldErrors?.name?.length);
  });
});

describe('cancellation and transport', () => {
  it('stops paging when cancelled, after the page in flight', async () => {
    const controller = new AbortController();
    const bitbucket = client();
    let pages = 0;
    await rejectsWith(
      (async () => {
        for await (const _page of bitbucket.listRepositories(fixture.sandbox.credentials.largeWorkspace, {
          pageSize: 10,
          signal: controller.signal,
        })) {
          pages++;
          if (pages === 2) controller.abort();
        }
      })(),
      'cancelled',
    );
    assert.equal(pages, 2);
    assert.equal(apiRequests(`/repositories/${fixture.sandbox.credentials.largeWorkspace}`).length, 2);
  });

  it('cancels a request in flight', async () => {
    fixture.sandbox.addFault({ kind: 'delay', delayMs: 5_000, match: '/user' });
    const controller = new AbortController();
    const pending = client().getCurrentUser(controller.signal);
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await rejectsWith(pending, 'cancelled');
    assert.ok(Date.now() - started < 4_000);
  });

  it('refuses to send credentials over plain http to a host that is not loopback', async () => {
    const bitbucket = new BitbucketClient({ baseUrl: 'http://bitbucket.example.com/2.0', credential: fixture.demo });
    await rejectsWith(bitbucket.getCurrentUser(), 'insecureUrl', /plain http/);
  });

  it('does not follow a next link to another host', async () => {
    await rejectsWith(
      client().nextRepositoryPage('https://elsewhere.example.com/2.0/repositories/acme?page=2'),
      'invalidResponse',
      /another host/,
    );
  });

  it('never puts the token in a URL it requests', async () => {
    await collect(client().listWorkspaces());
    for (const entry of fixture.sandbox.requests) {
      assert.ok(!JSON.stringify(entry).includes(fixture.sandbox.credentials.apiToken));
    }
  });
});

async function firstSlug(): Promise<string> {
  const first = await client().listRepositories(fixture.sandbox.credentials.largeWorkspace, { pageSize: 10 }).next();
  fixture.sandbox.clearRequests();
  return first.value!.values[0].slug;
}

async function fetchJson(url: string): Promise<{ values: unknown[] }> {
  const auth = Buffer.from(`${fixture.sandbox.credentials.email}:${fixture.sandbox.credentials.apiToken}`).toString('base64');
  const response = await fetch(url, { headers: { Authorization: `Basic ${auth}` } });
  return (await response.json()) as { values: unknown[] };
}
