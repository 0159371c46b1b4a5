/**
 * "Every file of a commit" on Data Center is its `files` resource, which lists file paths recursively, paged.
 * The Data Center sandbox has no `files` yet, so a small local server answers it here, over a real socket, in
 * the documented page shape; it also checks that pages follow `nextPageStart` as given, never a computed one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BitbucketError } from '../../src/bitbucket/errors';
import { DataCenterClient } from '../../src/datacenter/dataCenterClient';
import { DataCenterHost } from '../../src/datacenter/dataCenterHost';
import { startPlainServer } from './dataCenterFixture';

const COMMIT = '0123456789abcdef0123456789abcdef01234567';

/** Pages keyed by `start`; a page's `nextPageStart` deliberately is not start + limit. */
const PAGES: Record<string, unknown> = {
  '0': { values: ['README.md', 'src/main.ts'], size: 2, limit: 1000, start: 0, isLastPage: false, nextPageStart: 7 },
  '7': { values: ['src/deep/a b.ts'], size: 1, limit: 1000, start: 7, isLastPage: false, nextPageStart: 9 },
  '9': { values: ['.gitignore'], size: 1, limit: 1000, start: 9, isLastPage: true },
};

describe('DataCenterHost.allFiles', () => {
  it('yields every page of `files` at the commit, following nextPageStart', async () => {
    const seen: URL[] = [];
    const server = await startPlainServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      seen.push(url);
      const page =
        url.pathname === '/ctx/rest/api/1.0/projects/PLAT/repos/web-app/files' ? PAGES[url.searchParams.get('start') ?? '0'] : undefined;
      response.writeHead(page ? 200 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify(page ?? { errors: [{ context: null, message: 'No such page', exceptionName: null }] }));
    });
    try {
      const serverUrl = `${server.url}/ctx`;
      const host = new DataCenterHost(new DataCenterClient({ serverUrl, token: 'BBDC-t' }), {
        kind: 'dataCenterToken',
        serverUrl,
        token: 'BBDC-t',
      });
      const pages = [];
      for await (const page of host.allFiles({ container: 'PLAT', slug: 'web-app' }, COMMIT)) pages.push(page);
      assert.deepEqual(pages, [
        [
          { path: 'README.md', kind: 'file' },
          { path: 'src/main.ts', kind: 'file' },
        ],
        [{ path: 'src/deep/a b.ts', kind: 'file' }],
        [{ path: '.gitignore', kind: 'file' }],
      ]);
      assert.deepEqual(
        seen.map((url) => [url.searchParams.get('at'), url.searchParams.get('limit'), url.searchParams.get('start')]),
        [
          [COMMIT, '1000', null],
          [COMMIT, '1000', '7'],
          [COMMIT, '1000', '9'],
        ],
      );
    } finally {
      await server.close();
    }
  });

  it('stops with an error when a page says more follow but not where', async () => {
    const server = await startPlainServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ values: ['a'], size: 1, limit: 1000, start: 0, isLastPage: false }));
    });
    try {
      const host = new DataCenterHost(new DataCenterClient({ serverUrl: server.url, token: 't' }), {
        kind: 'dataCenterToken',
        serverUrl: server.url,
        token: 't',
      });
      const pages = host.allFiles({ container: 'PLAT', slug: 'web-app' }, COMMIT);
      assert.equal((await pages.next()).done, false);
      await assert.rejects(
        pages.next(),
        (error: unknown) => error instanceof BitbucketError && /did not say where the next page/.test(error.message),
      );
    } finally {
      await server.close();
    }
  });
});
