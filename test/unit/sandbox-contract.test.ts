/**
 * Contract: real sandbox responses must match the committed subset of Bitbucket's official spec
 * (test/sandbox/spec/bitbucket-subset.json), so the sandbox cannot drift from the real API's shapes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { probe, ProbeOptions } from '../sandbox/probe';
import { DEMO, Sandbox, startSandbox } from '../sandbox/server';
import { loadBitbucketSubset, SchemaChecker } from '../sandbox/spec/json-schema';

const checker = new SchemaChecker(loadBitbucketSubset());
const user: ProbeOptions = { basic: { user: DEMO.email, password: DEMO.apiToken } };

function assertConforms(value: unknown, definition: string, what: string): void {
  const problems = checker.check(value, definition);
  assert.deepEqual(
    problems,
    [],
    `${what} does not match #/definitions/${definition}:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
  );
}

describe('sandbox contract with the Bitbucket spec subset', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.close());

  async function json(
    route: string,
    options: ProbeOptions = user,
    method = 'GET',
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const response = await probe(`${sandbox.apiUrl}${route}`, {
      ...options,
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: response.json() };
  }

  it('full repositories, signed in and anonymous, in every seeded workspace', async () => {
    const routes = [
      `/repositories/${DEMO.privateRepository.workspace}/${DEMO.privateRepository.slug}`,
      `/repositories/${DEMO.largestRepository.workspace}/${DEMO.largestRepository.slug}`,
      `/repositories/${DEMO.unicodeWorkspace}/th-garden`,
      '/repositories/acme/service-0050-worker.v2',
    ];
    for (const route of routes) {
      const { status, body } = await json(route);
      assert.equal(status, 200, route);
      assertConforms(body, 'repository', route);
    }
    const { workspace, slug } = DEMO.publicRepository;
    assertConforms((await json(`/repositories/${workspace}/${slug}`, {})).body, 'repository', 'anonymous repository');
  });

  it('paginated repository pages, including the last and an empty one', async () => {
    for (const route of [
      '/repositories/acme?pagelen=100',
      '/repositories/acme?pagelen=100&page=50',
      '/repositories/acme?page=2&sort=-updated_on',
      `/repositories/${DEMO.unicodeWorkspace}`,
      `/repositories/${DEMO.personalWorkspace}`,
      `/repositories/${DEMO.emptyWorkspace}`,
    ]) {
      const { status, body } = await json(route);
      assert.equal(status, 200, route);
      assertConforms(body, 'paginated_repositories', route);
    }
  });

  it('a repository created through the API', async () => {
    const created = await json('/repositories/acme/contract-check', user, 'POST', {
      scm: 'git',
      is_private: true,
      project: { key: 'WEB' },
    });
    assert.equal(created.status, 200);
    assertConforms(created.body, 'repository', 'created repository');
  });

  it('the current user, as user and as account', async () => {
    const { body } = await json('/user');
    assertConforms(body, 'user', '/user');
    assertConforms(body, 'account', '/user');
  });

  it('the second user: /user, its workspaces, its personal repositories and projects', async () => {
    const second: ProbeOptions = { basic: { user: DEMO.second.email, password: DEMO.second.apiToken } };
    const me = await json('/user', second);
    assert.equal((me.body as { nickname: string }).nickname, DEMO.second.username);
    assertConforms(me.body, 'user', 'second /user');
    assertConforms(me.body, 'account', 'second /user');
    assertConforms((await json('/user/workspaces', second)).body, 'paginated_workspace_access', 'second /user/workspaces');
    const { workspace, slug } = DEMO.second.privateRepository;
    assertConforms((await json(`/repositories/${workspace}`, second)).body, 'paginated_repositories', 'second-user repositories');
    assertConforms((await json(`/repositories/${workspace}/${slug}`, second)).body, 'repository', 'second-user private repository');
    assertConforms((await json(`/workspaces/${workspace}`, second)).body, 'workspace', 'second-user workspace');
    assertConforms((await json(`/workspaces/${workspace}/projects`, second)).body, 'paginated_projects', 'second-user projects');
  });

  it('workspaces and the workspace_access page of /user/workspaces', async () => {
    for (const slug of [...DEMO.workspaces, DEMO.foreignWorkspace]) {
      assertConforms((await json(`/workspaces/${slug}`)).body, 'workspace', slug);
    }
    assertConforms((await json('/user/workspaces')).body, 'paginated_workspace_access', '/user/workspaces');
  });

  it('project pages', async () => {
    for (const slug of DEMO.workspaces) {
      assertConforms((await json(`/workspaces/${slug}/projects`)).body, 'paginated_projects', `${slug} projects`);
    }
  });

  it('source listings: every page entry a commit_file or a commit_directory (checked as treeentry)', async () => {
    const special = `/repositories/${DEMO.specialRepository.workspace}/${DEMO.specialRepository.slug}`;
    const main = ((await json(`${special}/refs/branches/main`)).body as { target: { hash: string } }).target.hash;
    for (const route of [
      `${special}/src/main/?pagelen=100`,
      `${special}/src/${main}/many-files/?page=3`,
      `${special}/src/main/?max_depth=3&pagelen=100`,
      `${special}/src/main/?max_depth=3&q=${encodeURIComponent('attributes = "binary"')}`,
      `${special}/src/develop/many-files/?page=200`,
      '/repositories/demo-user/hello-world/src/main/',
    ]) {
      const { status, body } = await json(route);
      assert.equal(status, 200, route);
      assertConforms(body, 'paginated_treeentries', route);
      for (const entry of (body as { values: Array<{ type: string; path: string }> }).values) {
        assert.ok(['commit_file', 'commit_directory'].includes(entry.type), `${route}: ${entry.type}`);
        assertConforms(entry, entry.type === 'commit_file' ? 'commit_file' : 'treeentry', `${route}: ${entry.path}`);
      }
    }
  });

  it('file and directory metadata (format=meta), special entries included', async () => {
    const special = `/repositories/${DEMO.specialRepository.workspace}/${DEMO.specialRepository.slug}`;
    const files = [
      'README.md',
      'images/logo.png',
      'bin/data.bin',
      'assets/design.psd',
      'link-to-readme',
      'scripts/build.sh',
      'vendor/hello-world',
    ];
    for (const file of files) {
      const { status, body } = await json(`${special}/src/main/${file}?format=meta`);
      assert.equal(status, 200, file);
      assertConforms(body, 'commit_file', file);
    }
    for (const directory of ['', 'docs/', 'deep/level-01/']) {
      const { status, body } = await json(`${special}/src/main/${directory}?format=meta`);
      assert.equal(status, 200, directory);
      assert.equal((body as { type: string }).type, 'commit_directory');
      assertConforms(body, 'treeentry', directory || 'the root');
    }
  });

  it('branches and tags, one and paginated, in the special repository and a seeded one', async () => {
    const special = `/repositories/${DEMO.specialRepository.workspace}/${DEMO.specialRepository.slug}`;
    for (const repository of [special, `/repositories/${DEMO.publicRepository.workspace}/${DEMO.publicRepository.slug}`]) {
      const branches = await json(`${repository}/refs/branches`);
      assertConforms(branches.body, 'paginated_branches', `${repository} branches`);
      const tags = await json(`${repository}/refs/tags?sort=-name`);
      assertConforms(tags.body, 'paginated_tags', `${repository} tags`);
    }
    for (const name of ['main', 'develop', 'release/1.0']) {
      assertConforms((await json(`${special}/refs/branches/${name}`)).body, 'branch', name);
    }
    for (const name of ['v1.0', 'v0.9']) {
      assertConforms((await json(`${special}/refs/tags/${name}`)).body, 'tag', name);
    }
  });

  it('error bodies: 400, 401, 403, 404, 410, 429 and 5xx', async () => {
    const errors: Array<{ what: string; status: number; body: unknown }> = [];
    const record = async (what: string, expected: number, call: Promise<{ status: number; body: unknown }>): Promise<void> => {
      const { status, body } = await call;
      assert.equal(status, expected, what);
      errors.push({ what, status, body });
    };
    await record('bad pagelen', 400, json('/repositories/acme?pagelen=5'));
    await record('bad query', 400, json('/repositories/acme?q=nope'));
    await record('duplicate slug', 400, json(`/repositories/acme/${DEMO.privateRepository.slug}`, user, 'POST', { scm: 'git' }));
    await record('unknown project', 400, json('/repositories/acme/x-y', user, 'POST', { project: { key: 'NOPE' } }));
    await record('expired token', 401, json('/user', { basic: { user: DEMO.email, password: DEMO.expiredApiToken } }));
    await record('missing scope', 403, json('/user/workspaces', { basic: { user: DEMO.email, password: DEMO.noWorkspaceScopeApiToken } }));
    await record('wrong mechanism', 403, json('/user', { bearer: DEMO.accessToken.token }));
    await record('missing repository', 404, json('/repositories/acme/missing'));
    const special = `/repositories/${DEMO.specialRepository.workspace}/${DEMO.specialRepository.slug}`;
    await record('missing path', 404, json(`${special}/src/main/missing.txt`));
    await record('missing commit', 404, json(`${special}/src/${'0'.repeat(40)}/`));
    await record('missing branch', 404, json(`${special}/refs/branches/missing`));
    await record('bad max_depth', 400, json(`${special}/src/main/?max_depth=0`));
    await record('removed endpoint', 410, json('/workspaces'));
    sandbox.addFault({ kind: 'rate-limit' });
    await record('rate limit', 429, json('/user'));
    for (const status of [500, 502, 503]) {
      sandbox.addFault({ kind: 'status', status });
      await record(`fault ${status}`, status, json('/user'));
    }
    for (const error of errors) {
      assertConforms(error.body, 'error', error.what);
    }
  });

  it('catches the invalid-shape fault, so the checker is not a rubber stamp', async () => {
    for (const definition of [
      'paginated_repositories',
      'repository',
      'user',
      'paginated_workspace_access',
      'paginated_treeentries',
      'paginated_branches',
      'paginated_tags',
    ]) {
      sandbox.addFault({ kind: 'invalid-shape' });
      const { body } = await json('/repositories/acme');
      assert.notDeepEqual(checker.check(body, definition), [], definition);
    }
  });
});

describe('sandbox JSON-schema checker', () => {
  const document = {
    definitions: {
      object: { type: 'object', properties: { type: { type: 'string' } }, required: ['type'], discriminator: 'type' },
      link: {
        type: 'object',
        properties: { href: { type: 'string', format: 'uri' }, name: { type: 'string' } },
        additionalProperties: false,
      },
      pet: {
        allOf: [
          { $ref: '#/definitions/object' },
          { type: 'object', properties: { links: { type: 'object', properties: { self: { $ref: '#/definitions/link' } } } } },
        ],
      },
      cat: { allOf: [{ $ref: '#/definitions/pet' }, { type: 'object', properties: { lives: { type: 'integer', minimum: 0 } } }] },
      list: {
        type: 'object',
        properties: { values: { type: 'array', items: { $ref: '#/definitions/pet' }, uniqueItems: true } },
        additionalProperties: false,
      },
      status: { type: 'string', enum: ['a', 'b'] },
      when: { type: ['string', 'null'], format: 'date-time' },
    },
  };
  const local = new SchemaChecker(document);

  it('accepts conforming documents', () => {
    assert.deepEqual(local.check({ type: 'pet', links: { self: { href: 'http://x/y' } } }, 'pet'), []);
    assert.deepEqual(local.check({ values: [{ type: 'cat', lives: 9 }] }, 'list'), []);
    assert.deepEqual(local.check('git@host:a/b.git', 'link'), [{ path: '$', message: 'expected object, got string' }]);
    assert.deepEqual(local.check({ href: 'git@host:a/b.git' }, 'link'), []);
    assert.deepEqual(local.check(null, 'when'), []);
    assert.deepEqual(local.check('2013-11-08T01:11:03.222520+00:00', 'when'), []);
  });

  it('reports wrong types, missing required properties and extra link properties', () => {
    assert.equal(local.check({ links: {} }, 'pet').length, 1);
    assert.equal(local.check({ type: 3 }, 'pet').length, 1);
    assert.equal(local.check({ type: 'pet', links: { self: { href: 'x y', rel: 'no' } } }, 'pet').length, 2);
    assert.equal(local.check({ values: 'nope' }, 'list').length, 1);
    assert.equal(local.check({ values: [], extra: 1 }, 'list').length, 1);
    assert.equal(local.check('c', 'status').length, 1);
    assert.equal(local.check('yesterday', 'when').length, 1);
  });

  it('checks an object against the definition its type names when that derives from the expected one', () => {
    assert.equal(local.check({ values: [{ type: 'cat', lives: -1 }] }, 'list').length, 1);
    assert.equal(local.check({ values: [{ type: 'cat' }, { type: 'cat' }] }, 'list').length, 1);
  });
});
