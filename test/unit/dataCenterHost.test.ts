/**
 * Bitbucket Data Center behind the host interface, against the Data Center sandbox over real sockets (context
 * path /bitbucket): containers per kind of token, paging the 5,000 repositories of PLAT by `nextPageStart`, the
 * prefix search, repositories with their links, creating, browsing, refs, and errors from the server and from
 * faults. The sandbox's request log is the witness of what went over the wire.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BitbucketError, BitbucketErrorKind } from '../../src/bitbucket/errors';
import type { HostedRepository, RepositoryPage } from '../../src/host/types';
import { DataCenterHost } from '../../src/datacenter/dataCenterHost';
import { DATACENTER } from '../sandbox/datacenter/server';
import { useDataCenterSandbox } from './dataCenterFixture';

const fixture = useDataCenterSandbox();
const WEB_APP = { container: 'APPS', slug: 'web-app' };

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

/** Every repository of a listing, following `next` to the end. */
async function everyPage(host: DataCenterHost, first: RepositoryPage): Promise<HostedRepository[]> {
  const all = [...first.values];
  for (let next = first.next; next;) {
    const page = await host.nextRepositories(next);
    all.push(...page.values);
    next = page.next;
  }
  return all;
}

describe('DataCenterHost: containers', () => {
  it("lists a personal token's projects, all of them, and the user's personal project found through X-AUSERNAME", async () => {
    const host = fixture.host('personal', { known: false });
    const containers = await host.containers();
    assert.deepEqual(containers, [
      { slug: '~DC-USER', name: 'DC User', administrator: true },
      { slug: 'APPS', name: 'Applications', administrator: false },
      { slug: 'TOOLS', name: 'Developer Tools', administrator: false },
      { slug: 'PUB', name: 'Open Source', administrator: false },
      { slug: 'PLAT', name: 'Platform', administrator: true },
    ]);
    assert.equal(host.onlyContainer, undefined);
    assert.deepEqual(
      fixture.requests('/users').map((entry) => entry.query.filter),
      [DATACENTER.user.name],
    );
    assert.ok(fixture.requests('/projects').some((entry) => entry.query.permission === 'REPO_CREATE'));
  });

  it('lists the one project of a project token and of a repository token', async () => {
    const project = fixture.host('project');
    assert.equal(project.onlyContainer, 'PLAT');
    assert.deepEqual(await project.containers(), [{ slug: 'PLAT', name: 'Platform', administrator: false }]);
    const repository = fixture.host('repository');
    assert.equal(repository.onlyContainer, 'APPS');
    assert.deepEqual(await repository.containers(), [{ slug: 'APPS', name: 'Applications', administrator: false }]);
    assert.deepEqual(await repository.containerDetails('APPS'), {
      name: 'Applications',
      webUrl: `${fixture.sandbox.url}/projects/APPS`,
    });
  });
});

describe('DataCenterHost: repository lists', () => {
  for (const pageSize of [1000, 400]) {
    it(`pages through PLAT's 5,000 repositories in ceil(5000/${pageSize}) requests by nextPageStart`, async () => {
      const host = fixture.host('personal');
      const first = await host.repositories('PLAT', { pageSize, sort: 'updated' });
      assert.equal(first.size, undefined, "Data Center's size counts one page, so none is given");
      const all = await everyPage(host, first);
      assert.equal(all.length, DATACENTER.bigProject.size);
      assert.equal(new Set(all.map((repository) => repository.id)).size, all.length);
      const names = all.map((repository) => repository.name.toLowerCase());
      assert.deepEqual(names, [...names].sort(), 'by name, the only order Data Center has');
      const log = fixture.requests('/projects/PLAT/repos');
      assert.equal(log.length, Math.ceil(DATACENTER.bigProject.size / pageSize));
      assert.ok(log.every((entry) => entry.query.limit === String(pageSize)));
      assert.deepEqual(
        log.map((entry) => entry.query.start ?? '0'),
        log.map((_, index) => String(index * pageSize)),
      );
    });
  }

  it('searches names by prefix, in any case, within the project, and pages the search too', async () => {
    const host = fixture.host('personal');
    const found = await host.repositories('PLAT', { nameContains: ' service-004 ' });
    assert.deepEqual(
      found.values.map((repository) => repository.slug),
      Array.from(
        { length: 10 },
        (_, index) =>
          `service-004${index}-${['billing', 'catalog', 'identity', 'search', 'ledger', 'gateway', 'metrics', 'orders', 'routing', 'storage'][(39 + index) % 10]}`,
      ),
    );
    const search = fixture.requests('/rest/api/1.0/repos').at(-1);
    assert.deepEqual(search?.query, { projectkey: 'PLAT', name: 'service-004', limit: '50' });
    assert.equal((await host.repositories('PLAT', { nameContains: 'SERVICE 0050' })).values[0]?.name, 'Service 0050 STORAGE Edge');
    assert.deepEqual((await host.repositories('PLAT', { nameContains: 'billing' })).values, [], 'a prefix, not anywhere in the name');
    const paged = await everyPage(host, await host.repositories('PLAT', { nameContains: 'service-0', pageSize: 100 }));
    assert.equal(paged.length, 999 - 19, 'service-0001 … service-0999 but the 19 named "Service 00x0 …"');
    assert.ok(paged.every((repository) => repository.container === 'PLAT' && repository.name.startsWith('service-0')));
  });
});

describe('DataCenterHost: repositories', () => {
  it('maps a repository with its links and its default branch', async () => {
    const { url } = fixture.sandbox;
    const repository = await fixture.host('personal').repository(WEB_APP);
    assert.match(repository.id, /^dc:\d+$/);
    assert.deepEqual(
      { ...repository, id: undefined },
      {
        id: undefined,
        container: 'APPS',
        slug: 'web-app',
        name: 'web-app',
        fullName: 'APPS/web-app',
        isPrivate: true,
        description: 'The web front end',
        project: { key: 'APPS', name: 'Applications' },
        webUrl: `${url}/projects/APPS/repos/web-app/browse`,
        cloneLinks: {
          https: `${url.replace('//', '//dc-user@')}/scm/apps/web-app.git`,
          ssh: 'ssh://git@127.0.0.1:7999/apps/web-app.git',
        },
        mainBranch: 'main',
      },
    );
  });

  it('names a personal repository by the personal project, and a public project as not private', async () => {
    const host = fixture.host('personal');
    const diary = await host.repository({ container: '~dc-user', slug: 'diary' });
    assert.equal(diary.container, '~DC-USER');
    assert.equal(diary.webUrl, `${fixture.sandbox.url}/users/dc-user/repos/diary/browse`);
    assert.equal(diary.isPrivate, true);
    assert.equal((await host.repository({ container: 'PUB', slug: 'docs-site' })).isPrivate, false);
  });

  it('keeps a repository token to its repository and says what is missing elsewhere', async () => {
    const host = fixture.host('repository');
    assert.equal((await host.repository(WEB_APP)).fullName, 'APPS/web-app');
    await rejectsWith(
      host.repository({ container: 'APPS', slug: 'mobile-app' }),
      'forbidden',
      /Data Center refused .*lacks the permission/,
    );
    await rejectsWith(
      host.repository({ container: 'PLAT', slug: 'no-such-repo' }),
      'notFound',
      /found nothing at GET \/projects\/PLAT\/repos\/no-such-repo: Repository PLAT\/no-such-repo does not exist/,
    );
  });

  it('creates a repository, refuses a taken name as a field error, and an invalid one', async () => {
    const host = fixture.host('personal');
    const created = await host.createRepository('PLAT', 'ignored', {
      name: 'My New Service',
      isPrivate: true,
      description: 'Made by a test',
    });
    assert.equal(created.slug, 'my-new-service');
    assert.equal(created.fullName, 'PLAT/my-new-service');
    assert.equal(created.isPrivate, true);
    assert.equal(created.description, 'Made by a test');
    assert.match(created.cloneLinks?.https ?? '', /\/scm\/plat\/my-new-service\.git$/);
    const post = fixture.requests('/projects/PLAT/repos').find((entry) => entry.method === 'POST');
    assert.equal(post?.status, 201);
    const taken = await rejectsWith(
      host.createRepository('PLAT', 'x', { name: 'my new service', isPrivate: true }),
      'badRequest',
      /PLAT already has a repository named like "my new service"/,
    );
    assert.equal(taken.status, 409);
    assert.deepEqual(Object.keys(taken.fieldErrors ?? {}), ['name']);
    const invalid = await rejectsWith(
      host.createRepository('PLAT', 'x', { name: '!!!', isPrivate: true }),
      'badRequest',
      /Repository names must/,
    );
    assert.match(invalid.fieldErrors?.name?.[0] ?? '', /start with a letter or number/);
    const open = await host.createRepository('~DC-USER', 'x', { name: 'open-notes', isPrivate: false });
    assert.equal(open.isPrivate, false);
    assert.equal(open.container, '~DC-USER');
  });

  it('says which permission creating takes when the token lacks it', async () => {
    const host = fixture.host('readOnly');
    await rejectsWith(
      host.createRepository('PLAT', 'x', { name: 'nope', isPrivate: true }),
      'forbidden',
      /may not create repositories in PLAT: it takes the "Create repository"/,
    );
  });

  it('has no projects inside a project', async () => {
    const pages = [];
    for await (const page of fixture.host('personal').projects('PLAT')) pages.push(page);
    assert.deepEqual(pages, []);
  });
});

describe('DataCenterHost: browsing', () => {
  it("opens the main branch's root, a folder, an entry and a file's bytes at one commit", async () => {
    const host = fixture.host('personal');
    const { commit, entries } = await host.mainRoot(WEB_APP);
    assert.match(commit, /^[0-9a-f]{40}$/);
    assert.equal(await host.mainCommit(WEB_APP), commit);
    const byPath = new Map(entries.map((entry) => [entry.path, entry]));
    assert.deepEqual([...byPath.keys()].sort(), ['.gitignore', 'README.md', 'src']);
    assert.equal(byPath.get('src')?.kind, 'directory');
    const readme = await host.file(WEB_APP, commit, 'README.md');
    assert.match(Buffer.from(readme.bytes).toString('utf8'), /^# web-app\n/);
    assert.match(readme.contentType, /^text\/plain/);
    assert.deepEqual(byPath.get('README.md'), { path: 'README.md', kind: 'file', size: readme.bytes.length });
    assert.deepEqual(await host.entry(WEB_APP, commit, 'README.md'), { path: 'README.md', kind: 'file', size: readme.bytes.length });
    assert.deepEqual(await host.entry(WEB_APP, commit, '/src/'), { path: 'src', kind: 'directory' });
    const src = await host.directory(WEB_APP, commit, 'src');
    assert.equal(src.length, 1);
    assert.match(src[0].path, /^src\/main\.\w+$/);
    assert.ok(fixture.requests('/browse').every((entry) => entry.query.at === commit || entry.query.at === undefined));
  });

  it('browses another ref than main and refuses paths that are not there', async () => {
    const host = fixture.host('personal');
    const develop = (await host.refs(WEB_APP, 'branch', { nameContains: 'develop' }))[0];
    const entries = await host.directory(WEB_APP, develop.commit, '');
    assert.ok(entries.some((entry) => entry.path === 'CHANGELOG.md'));
    const main = await host.mainCommit(WEB_APP);
    await rejectsWith(host.file(WEB_APP, main, 'CHANGELOG.md'), 'notFound', /Data Center found nothing.*CHANGELOG\.md/);
    await rejectsWith(host.directory(WEB_APP, main, 'README.md'), 'badRequest', /is a file/);
  });

  it('says an empty repository has no commits yet', async () => {
    const host = fixture.host('personal');
    await host.createRepository('PLAT', 'x', { name: 'empty-one', isPrivate: true });
    await rejectsWith(host.mainCommit({ container: 'PLAT', slug: 'empty-one' }), 'notFound', /no commits on its default branch/);
  });

  it('lists branches and tags newest first, filtered on the server', async () => {
    const host = fixture.host('personal');
    const branches = await host.refs(WEB_APP, 'branch');
    assert.deepEqual(
      branches.map((ref) => ref.name),
      ['develop', 'main'],
    );
    assert.ok(branches.every((ref) => ref.kind === 'branch' && /^[0-9a-f]{40}$/.test(ref.commit)));
    assert.deepEqual(
      (await host.refs(WEB_APP, 'branch', { nameContains: 'DEV' })).map((ref) => ref.name),
      ['develop'],
    );
    const tags = await host.refs(WEB_APP, 'tag', { nameContains: 'rc' });
    assert.deepEqual(
      tags.map((ref) => [ref.name, ref.commit]),
      [['v1.1.0-rc1', branches[0].commit]],
      "an annotated tag's commit, not the tag object",
    );
    const log = fixture.requests('/repos/web-app/tags').at(-1);
    assert.deepEqual(log?.query, { filterText: 'rc', orderBy: 'MODIFICATION', limit: '100' });
  });
});

describe('DataCenterHost: errors', () => {
  it('retries a 429 after its Retry-After, and reports it with the time once retries are used up', async () => {
    const host = fixture.host('personal');
    fixture.sandbox.addFault({ kind: 'rate-limit', match: '/projects/APPS/repos/web-app', retryAfterSeconds: 1 });
    assert.equal((await host.repository(WEB_APP)).slug, 'web-app');
    assert.equal(fixture.requests('/projects/APPS/repos/web-app').filter((entry) => entry.status === 429).length, 1);
    fixture.sandbox.addFault({ kind: 'rate-limit', match: '/projects/PLAT/repos', retryAfterSeconds: 1, times: Infinity });
    const error = await rejectsWith(
      fixture.host('personal', { retry: { maxRetries: 0 } }).repositories('PLAT'),
      'rateLimited',
      /Data Center is limiting how many requests your token may make\. Try again in 1 second\./,
    );
    assert.equal(error.retryAfterSeconds, 1);
  });

  it('retries a 5xx and then reports it', async () => {
    fixture.sandbox.addFault({ kind: 'status', status: 503, match: '/projects/PLAT/repos', times: 1 });
    assert.equal((await fixture.host('personal').repositories('PLAT', { pageSize: 10 })).values.length, 10);
    fixture.sandbox.addFault({ kind: 'status', status: 502, match: '/projects/PLAT/repos', times: Infinity });
    await rejectsWith(
      fixture.host('personal', { retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2 } }).repositories('PLAT'),
      'serverError',
      /Data Center had a server error \(HTTP 502\) on GET \/projects\/PLAT\/repos/,
    );
  });

  it('reports a login page or proxy page as not JSON, and a refused token as such', async () => {
    fixture.sandbox.addFault({ kind: 'html', match: '/projects/PLAT', times: Infinity });
    await rejectsWith(
      fixture.host('personal').repositories('PLAT'),
      'notJson',
      /not JSON \(HTTP 200, text\/html; charset=utf-8\): a login page/,
    );
    let rejected: BitbucketError | undefined;
    const expired = fixture.host('expired', { onCredentialRejected: (error) => (rejected = error) });
    await rejectsWith(expired.containers(), 'unauthorized', /did not accept the token: it is wrong, expired or revoked/);
    assert.equal(rejected?.kind, 'unauthorized');
    await rejectsWith(fixture.host('personal').repositories('SECRET'), 'forbidden', /lacks the permission it needs/);
    assert.ok(fixture.requests('/projects').every((entry) => entry.auth === 'bearer'));
  });
});
