/**
 * The Bitbucket sandbox itself, over real sockets and with real git processes: authentication,
 * pagination, partial responses, filtering, creation, faults, the request log, rate limits and git.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, afterEach, before, describe, it } from 'node:test';
import { createGitProbe, GitProbe, probe, ProbeOptions, ProbeResponse } from '../sandbox/probe';
import { DEMO, Sandbox, startSandbox } from '../sandbox/server';

let sandbox: Sandbox;
let git: GitProbe;

before(async () => {
  sandbox = await startSandbox();
  git = await createGitProbe();
});
after(async () => {
  await sandbox.close();
  await git.dispose();
});
afterEach(() => sandbox.reset());

const user = { user: DEMO.email, password: DEMO.apiToken };
const INVALID_TOKEN_BODY = { type: 'error', error: { message: 'Token is invalid, expired, or not supported for this endpoint.' } };

function api(pathAndQuery: string, options: ProbeOptions = { basic: user }): Promise<ProbeResponse> {
  return probe(`${sandbox.apiUrl}${pathAndQuery}`, options);
}

function createRepository(workspace: string, slug: string, body: unknown, options: ProbeOptions = { basic: user }): Promise<ProbeResponse> {
  return api(`/repositories/${workspace}/${slug}`, {
    ...options,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function lastEntry(): Sandbox['requests'][number] {
  const entry = sandbox.requests.at(-1);
  assert.ok(entry, 'the request log is empty');
  return entry;
}

describe('sandbox: authentication', () => {
  it('accepts the account email with an API token and logs the nickname, not the secret', async () => {
    const response = await api('/user');
    assert.equal(response.status, 200);
    const body = response.json();
    assert.equal(body.nickname, DEMO.username);
    assert.equal(body.display_name, DEMO.displayName);
    assert.equal(body.uuid, DEMO.userUuid);
    assert.equal(lastEntry().auth, 'basic');
    assert.equal(lastEntry().user, DEMO.username);
  });

  it('refuses the username, an expired token and an app password with the same 401 body', async () => {
    for (const basic of [
      { user: DEMO.username, password: DEMO.apiToken },
      { user: DEMO.email, password: DEMO.expiredApiToken },
      { user: DEMO.email, password: DEMO.appPassword },
      { user: DEMO.email, password: 'ATATT-not-a-token' },
    ]) {
      const response = await api('/repositories/acme', { basic });
      assert.equal(response.status, 401, basic.password);
      assert.deepEqual(response.json(), INVALID_TOKEN_BODY);
      assert.equal(lastEntry().user, undefined);
    }
  });

  it('refuses an API token sent as Bearer, and an access token sent as Basic', async () => {
    assert.equal((await api('/repositories/acme', { bearer: DEMO.apiToken })).status, 401);
    const basic = { user: DEMO.accessTokenGitUsername, password: DEMO.accessToken.token };
    assert.equal((await api('/repositories/acme', { basic })).status, 401);
  });

  it('keeps access tokens off /user and /user/workspaces with 403', async () => {
    for (const route of ['/user', '/user/workspaces']) {
      const response = await api(route, { bearer: DEMO.accessToken.token });
      assert.equal(response.status, 403, route);
      assert.match(response.json().error.message, /not accessible by this authentication mechanism/);
    }
  });

  it('lets an access token into its own workspace only', async () => {
    const own = await api('/repositories/acme?pagelen=100', { bearer: DEMO.accessToken.token });
    assert.equal(own.status, 200);
    assert.equal(own.json().size, DEMO.largeWorkspaceRepositoryCount);
    assert.equal(lastEntry().auth, 'bearer');
    assert.equal(lastEntry().user, DEMO.accessToken.name);
    assert.equal((await api('/workspaces/acme', { bearer: DEMO.accessToken.token })).status, 200);
    assert.equal((await api('/workspaces/acme/projects', { bearer: DEMO.accessToken.token })).status, 200);
    const other = await api('/repositories/demo-user', { bearer: DEMO.accessToken.token });
    assert.equal(other.status, 403);
    assert.equal(other.json().type, 'error');
  });

  it('answers a missing scope with 403 and the granted and required scopes', async () => {
    const readOnly = { user: DEMO.email, password: DEMO.readOnlyApiToken };
    const response = await createRepository('acme', 'needs-admin', { scm: 'git' }, { basic: readOnly });
    assert.equal(response.status, 403);
    const error = response.json().error;
    assert.equal(error.message, 'Your credentials lack one or more required privilege scopes.');
    assert.deepEqual(error.detail.required, ['admin:repository:bitbucket']);
    assert.ok(error.detail.granted.includes('read:repository:bitbucket'));
    assert.equal(error.detail.granted.includes('admin:repository:bitbucket'), false);

    const noWorkspace = { basic: { user: DEMO.email, password: DEMO.noWorkspaceScopeApiToken } };
    const workspaces = await api('/user/workspaces', noWorkspace);
    assert.equal(workspaces.status, 403);
    assert.deepEqual(workspaces.json().error.detail.required, ['read:workspace:bitbucket']);
    assert.equal((await api('/repositories/acme', noWorkspace)).status, 200);
  });

  it('shows anonymous callers public repositories only', async () => {
    const list = await api('/repositories/acme?pagelen=100', {});
    assert.equal(list.status, 200);
    const page = list.json();
    assert.ok(page.size > 0 && page.size < DEMO.largeWorkspaceRepositoryCount);
    assert.ok(page.values.every((repository: { is_private: boolean }) => !repository.is_private));
    assert.equal(lastEntry().auth, 'none');

    const { workspace, slug } = DEMO.publicRepository;
    const publicRepository = await api(`/repositories/${workspace}/${slug}`, {});
    assert.equal(publicRepository.status, 200);
    assert.equal(publicRepository.json().links.clone[0].href, `${sandbox.url}/${workspace}/${slug}.git`);

    const privateRepository = DEMO.privateRepository;
    assert.equal((await api(`/repositories/${privateRepository.workspace}/${privateRepository.slug}`, {})).status, 404);
    assert.equal((await api('/user', {})).status, 401);
    assert.equal((await createRepository('acme', 'anonymous-repo', {}, {})).status, 401);
  });

  it('shows members everything and non-members only what is public', async () => {
    const foreign = await api(`/repositories/${DEMO.foreignWorkspace}`);
    assert.equal(foreign.status, 200);
    assert.deepEqual(
      foreign.json().values.map((repository: { slug: string }) => repository.slug),
      ['open-source-kit', 'website'],
    );
    assert.equal((await api(`/repositories/${DEMO.foreignWorkspace}/internal-tools`)).status, 403);
    assert.equal((await api('/repositories/no-such-workspace')).status, 404);
    assert.equal((await api('/repositories/acme/no-such-repository')).status, 404);
  });
});

describe('sandbox: workspaces, projects and removed endpoints', () => {
  it('lists the user workspaces as workspace_access objects sorted by slug', async () => {
    const response = await api('/user/workspaces');
    assert.equal(response.status, 200);
    const page = response.json();
    assert.deepEqual(
      page.values.map((access: { workspace: { slug: string } }) => access.workspace.slug),
      [...DEMO.workspaces],
    );
    const first = page.values[0];
    assert.equal(first.type, 'workspace_access');
    assert.equal(typeof first.administrator, 'boolean');
    assert.equal('name' in first.workspace, false);
    const descending = await api('/user/workspaces?sort=-slug');
    assert.equal(descending.json().values[0].workspace.slug, 'tea.house');
    assert.equal((await api('/user/workspaces?sort=name')).status, 400);
    const admins = await api('/user/workspaces?administrator=false');
    assert.deepEqual(
      admins.json().values.map((access: { workspace: { slug: string } }) => access.workspace.slug),
      ['acme'],
    );
  });

  it('gives each workspace its display name, unicode included', async () => {
    assert.equal((await api('/workspaces/acme')).json().name, 'Acme Corporation');
    const unicode = await api(`/workspaces/${DEMO.unicodeWorkspace}`);
    assert.equal(unicode.json().name, DEMO.unicodeWorkspaceName);
    const repositories = (await api(`/repositories/${DEMO.unicodeWorkspace}?pagelen=50`)).json();
    assert.ok(repositories.values.some((repository: { name: string }) => repository.name === 'Matcha 抹茶 Docs'));
    assert.equal((await api('/workspaces/nowhere')).status, 404);
  });

  it('lists projects, oldest first, hiding private ones from outsiders', async () => {
    const projects = (await api('/workspaces/acme/projects')).json();
    assert.equal(projects.size, 6);
    assert.equal(projects.values[0].key, 'PLAT');
    assert.ok(projects.values.every((project: { uuid: string }) => /^\{[0-9a-f-]{36}\}$/.test(project.uuid)));
    const anonymous = (await api('/workspaces/acme/projects', {})).json();
    assert.equal(anonymous.size, 5);
    const empty = (await api(`/workspaces/${DEMO.emptyWorkspace}/projects`)).json();
    assert.equal(empty.size, 1);
  });

  it('answers 410 Gone on the removed cross-workspace endpoints', async () => {
    for (const route of ['/workspaces', '/user/permissions/workspaces', '/repositories', '/repositories/']) {
      const response = await api(route);
      assert.equal(response.status, 410, route);
      assert.equal(response.json().type, 'error');
      assert.match(response.json().error.message, /CHANGE-2770/);
    }
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const response = await api('/snippets');
    assert.equal(response.status, 404);
    assert.equal(response.json().type, 'error');
  });
});

describe('sandbox: pagination', () => {
  it('defaults to 10 per page with size, page and an absolute next', async () => {
    const page = (await api('/repositories/acme')).json();
    assert.equal(page.pagelen, 10);
    assert.equal(page.values.length, 10);
    assert.equal(page.size, DEMO.largeWorkspaceRepositoryCount);
    assert.equal(page.page, 1);
    assert.equal(page.previous, undefined);
    const next = new URL(page.next);
    assert.equal(next.origin, sandbox.url);
    assert.equal(next.searchParams.get('page'), '2');
  });

  it('refuses pagelen outside 10..100 and bad page numbers', async () => {
    for (const query of ['pagelen=9', 'pagelen=101', 'pagelen=abc', 'pagelen=', 'page=0', 'page=x']) {
      const response = await api(`/repositories/acme?${query}`);
      assert.equal(response.status, 400, query);
      assert.match(response.json().error.message, /^Invalid page/);
    }
    assert.equal((await api('/repositories/acme?pagelen=9')).json().error.message, 'Invalid pagelen');
  });

  it('walks all 5,000 repositories by following next, keeping fields and pagelen', async () => {
    let url: string | undefined = `${sandbox.apiUrl}/repositories/acme?pagelen=100&fields=next,values.slug`;
    const slugs: string[] = [];
    let pages = 0;
    while (url) {
      const response: ProbeResponse = await probe(url, { basic: user });
      assert.equal(response.status, 200);
      const page = response.json();
      pages++;
      slugs.push(...page.values.map((repository: { slug: string }) => repository.slug));
      assert.deepEqual(Object.keys(page).sort(), page.next ? ['next', 'values'] : ['values']);
      if (page.next) {
        const next = new URL(page.next);
        assert.equal(next.searchParams.get('pagelen'), '100');
        assert.equal(next.searchParams.get('fields'), 'next,values.slug');
      }
      url = page.next;
    }
    assert.equal(pages, 50);
    assert.equal(new Set(slugs).size, DEMO.largeWorkspaceRepositoryCount);
  });

  it('links back with previous, and the last page has no next', async () => {
    const second = (await api('/repositories/acme?page=2&pagelen=25')).json();
    assert.equal(new URL(second.previous).searchParams.get('page'), '1');
    const last = (await api('/repositories/acme?page=50&pagelen=100')).json();
    assert.equal(last.next, undefined);
    assert.equal(last.values.length, 100);
    const beyond = (await api('/repositories/acme?page=51&pagelen=100')).json();
    assert.deepEqual(beyond.values, []);
  });

  it('serves an empty workspace as one empty page', async () => {
    const page = (await api(`/repositories/${DEMO.emptyWorkspace}`)).json();
    assert.deepEqual(page.values, []);
    assert.equal(page.size, 0);
    assert.equal(page.next, undefined);
  });
});

describe('sandbox: full objects and partial responses', () => {
  it('serves full repositories of a few KB with https and ssh clone links', async () => {
    const { workspace, slug } = DEMO.privateRepository;
    const response = await api(`/repositories/${workspace}/${slug}`);
    assert.ok(response.body.length > 2000, `only ${response.body.length} bytes`);
    const repository = response.json();
    assert.equal(repository.full_name, `${workspace}/${slug}`);
    assert.match(repository.uuid, /^\{[0-9a-f-]{36}\}$/);
    for (const link of [
      'self',
      'html',
      'avatar',
      'pullrequests',
      'commits',
      'forks',
      'watchers',
      'downloads',
      'hooks',
      'tags',
      'branches',
      'source',
    ]) {
      assert.equal(typeof repository.links[link].href, 'string', link);
    }
    const https = repository.links.clone.find((clone: { name: string }) => clone.name === 'https');
    const ssh = repository.links.clone.find((clone: { name: string }) => clone.name === 'ssh');
    assert.equal(https.href, `http://${DEMO.username}@${new URL(sandbox.url).host}/${workspace}/${slug}.git`);
    assert.match(ssh.href, /^git@/);
    assert.equal(repository.links.html.href, `${sandbox.url}/${workspace}/${slug}`);
    assert.equal(repository.mainbranch.type, 'branch');
    assert.equal(repository.project.type, 'project');
    assert.equal('parent' in repository, false);
  });

  it('keeps only the listed fields, and next only when asked', async () => {
    const trimmed = (await api('/repositories/acme?fields=next,values.slug,values.name,values.links.html.href')).json();
    assert.deepEqual(Object.keys(trimmed).sort(), ['next', 'values']);
    assert.deepEqual(Object.keys(trimmed.values[0]).sort(), ['links', 'name', 'slug']);
    assert.deepEqual(Object.keys(trimmed.values[0].links), ['html']);
    const withoutNext = (await api('/repositories/acme?fields=values.slug')).json();
    assert.deepEqual(Object.keys(withoutNext), ['values']);
    const nested = (await api('/repositories/acme?fields=values.project.name,values.links.clone')).json();
    assert.deepEqual(Object.keys(nested.values[0].project), ['name']);
    assert.equal(nested.values[0].links.clone.length, 2);
  });

  it('removes with -, adds with %2B and with an unencoded + alike', async () => {
    const { workspace, slug } = DEMO.privateRepository;
    const full = (await api(`/repositories/${workspace}/${slug}`)).json();
    const noLinks = (await api(`/repositories/${workspace}/${slug}?fields=-links`)).json();
    assert.equal('links' in noLinks, false);
    assert.equal(noLinks.slug, slug);
    assert.deepEqual((await api(`/repositories/${workspace}/${slug}?fields=%2Bowner`)).json(), full);
    assert.deepEqual((await api(`/repositories/${workspace}/${slug}?fields=+owner`)).json(), full);
    const fewer = await api('/repositories/acme?fields=-values.links,-values.owner,-values.workspace');
    const all = await api('/repositories/acme');
    assert.ok(fewer.body.length < all.body.length / 2);
  });
});

describe('sandbox: filtering and sorting', () => {
  const slugsOf = (page: { values: Array<{ slug: string }> }): string[] => page.values.map((repository) => repository.slug);

  it('filters with ~ case-insensitively and keeps q in next', async () => {
    const one = (await api(`/repositories/acme?q=${encodeURIComponent('name ~ "SERVICE-0042"')}`)).json();
    assert.deepEqual(slugsOf(one), ['service-0042-mobile']);
    const many = (await api(`/repositories/acme?q=${encodeURIComponent('name ~ "service-00"')}&pagelen=10`)).json();
    assert.equal(many.size, 99);
    assert.equal(new URL(many.next).searchParams.get('q'), 'name ~ "service-00"');
  });

  it('combines conditions on booleans, project keys, dates and languages', async () => {
    const query = 'is_private = false AND project.key = "PLAT" AND (language = "go" OR language = "rust")';
    const page = (await api(`/repositories/acme?pagelen=100&q=${encodeURIComponent(query)}`)).json();
    assert.ok(page.size > 0);
    for (const repository of page.values) {
      assert.equal(repository.is_private, false);
      assert.equal(repository.project.key, 'PLAT');
      assert.ok(['go', 'rust'].includes(repository.language));
    }
    const recent = (await api(`/repositories/acme?pagelen=100&q=${encodeURIComponent('updated_on >= 2026-01-01')}`)).json();
    assert.ok(recent.size > 0);
    assert.ok(recent.values.every((repository: { updated_on: string }) => repository.updated_on >= '2026-01-01'));
    const none = (await api(`/repositories/acme?q=${encodeURIComponent('name !~ "service"')}`)).json();
    assert.equal(none.size, 0);
  });

  it('answers a malformed query with 400', async () => {
    for (const q of ['name ~', 'bogus = "x"', 'name ~ "open', 'is_private = "yes"']) {
      const response = await api(`/repositories/acme?q=${encodeURIComponent(q)}`);
      assert.equal(response.status, 400, q);
      assert.equal(response.json().type, 'error');
    }
  });

  it('sorts by one field in either direction and refuses others', async () => {
    const newest = (await api('/repositories/acme?sort=-updated_on&pagelen=100&fields=values.updated_on')).json();
    const dates = newest.values.map((repository: { updated_on: string }) => repository.updated_on);
    assert.deepEqual(dates, [...dates].sort().reverse());
    const bySize = (await api('/repositories/acme?sort=size&pagelen=50&fields=values.size')).json();
    const sizes = bySize.values.map((repository: { size: number }) => repository.size);
    assert.deepEqual(
      sizes,
      [...sizes].sort((a, b) => a - b),
    );
    const byName = (await api(`/repositories/${DEMO.unicodeWorkspace}?sort=-name`)).json();
    assert.equal(byName.values[0].name, 'Ünicode · Tools');
    for (const sort of ['bogus', 'name,slug', '-']) {
      assert.equal((await api(`/repositories/acme?sort=${encodeURIComponent(sort)}`)).status, 400, sort);
    }
  });
});

describe('sandbox: creating repositories', () => {
  it('creates a repository that can be read, listed and cloned', async () => {
    const response = await createRepository('acme', 'brand-new', {
      scm: 'git',
      is_private: true,
      name: 'Brand New',
      description: 'Made by a test',
      project: { key: 'DATA' },
      fork_policy: 'no_forks',
      language: 'Go',
      has_issues: true,
      has_wiki: false,
    });
    assert.equal(response.status, 200);
    const created = response.json();
    assert.equal(created.slug, 'brand-new');
    assert.equal(created.name, 'Brand New');
    assert.equal(created.project.key, 'DATA');
    assert.equal(created.is_private, true);
    assert.equal(created.fork_policy, 'no_forks');
    assert.equal(created.language, 'go');
    assert.equal((await api('/repositories/acme/brand-new')).json().uuid, created.uuid);
    const listed = (await api(`/repositories/acme?q=${encodeURIComponent('slug = "brand-new"')}`)).json();
    assert.equal(listed.size, 1);
    assert.equal((await api('/repositories/acme')).json().size, DEMO.largeWorkspaceRepositoryCount + 1);
  });

  it('puts a repository without a project into the oldest project', async () => {
    const created = (await createRepository(DEMO.unicodeWorkspace, 'no-project', { scm: 'git', is_private: false })).json();
    assert.equal(created.project.key, 'TEA');
    const empty = (await createRepository(DEMO.emptyWorkspace, 'first', {})).json();
    assert.equal(empty.project.key, 'DEF');
    assert.equal(empty.name, 'first');
  });

  it('refuses a duplicate slug with Bitbucket’s body', async () => {
    const response = await createRepository('acme', DEMO.privateRepository.slug, { scm: 'git' });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json(), {
      type: 'error',
      error: {
        message: 'Repository with this Slug and Owner already exists.',
        fields: { name: ['Repository with this Slug and Owner already exists.'] },
      },
    });
  });

  it('refuses invalid slugs, unknown projects, public repositories in private projects and bad JSON', async () => {
    for (const slug of ['Upper-Case', 'a--b', 'trailing-', encodeURIComponent('has space'), 'x.git']) {
      const response = await createRepository('acme', slug, {});
      assert.equal(response.status, 400, slug);
      assert.ok(response.json().error.fields.slug, slug);
    }
    const unknown = await createRepository('acme', 'unknown-project', { project: { key: 'NOPE' } });
    assert.equal(unknown.status, 400);
    assert.ok(unknown.json().error.fields.project);
    const publicInPrivate = await createRepository('acme', 'leaky', { is_private: false, project: { key: 'SEC' } });
    assert.equal(publicInPrivate.status, 400);
    assert.ok(publicInPrivate.json().error.fields.is_private);
    const badJson = await api('/repositories/acme/bad-json', { basic: user, method: 'POST', body: '{"scm": ' });
    assert.equal(badJson.status, 400);
    assert.equal((await createRepository('nowhere', 'repo', {})).status, 404);
    assert.equal((await createRepository(DEMO.foreignWorkspace, 'not-mine', {})).status, 400);
  });

  it('lets the access token create in its workspace only', async () => {
    const options = { bearer: DEMO.accessToken.token };
    assert.equal((await createRepository('acme', 'by-token', { is_private: true }, options)).status, 200);
    assert.equal((await createRepository('demo-user', 'by-token', { is_private: true }, options)).status, 403);
  });

  it('forgets created repositories on reset', async () => {
    assert.equal((await createRepository('acme', 'short-lived', {})).status, 200);
    sandbox.reset();
    assert.equal((await api('/repositories/acme/short-lived')).status, 404);
    assert.equal((await createRepository('acme', 'short-lived', {})).status, 200);
  });
});

describe('sandbox: faults', () => {
  it('answers a status fault with a JSON error for as many requests as asked', async () => {
    sandbox.addFault({ kind: 'status', status: 503, match: '/repositories/acme', times: 2 });
    for (let i = 0; i < 2; i++) {
      const response = await api('/repositories/acme');
      assert.equal(response.status, 503);
      assert.equal(response.json().type, 'error');
    }
    assert.equal((await api('/repositories/acme')).status, 200);
    sandbox.addFault({ kind: 'status', status: 500 });
    const serverError = await api('/user');
    assert.equal(serverError.status, 500);
    assert.equal(typeof serverError.json().error.message, 'string');
  });

  it('matches on path substring and method', async () => {
    sandbox.addFault({ kind: 'status', status: 502, match: '/user', method: 'POST', times: Infinity });
    assert.equal((await api('/user')).status, 200);
    sandbox.addFault({ kind: 'status', status: 404, match: '/workspaces/acme' });
    assert.equal((await api('/repositories/acme')).status, 200);
    assert.equal((await api('/workspaces/acme')).status, 404);
  });

  it('rate-limits with and without Retry-After', async () => {
    sandbox.addFault({ kind: 'rate-limit' });
    const bare = await api('/repositories/acme');
    assert.equal(bare.status, 429);
    assert.equal(bare.headers['retry-after'], undefined);
    assert.equal(bare.json().error.message, 'Rate limit for this resource has been exceeded');
    sandbox.addFault({ kind: 'rate-limit', retryAfterSeconds: 7 });
    assert.equal((await api('/repositories/acme')).headers['retry-after'], '7');
  });

  it('serves an HTML page, malformed JSON or a wrong shape when asked', async () => {
    sandbox.addFault({ kind: 'html' });
    const html = await api('/user');
    assert.equal(html.status, 200);
    assert.match(String(html.headers['content-type']), /^text\/html/);
    assert.throws(() => html.json());
    sandbox.addFault({ kind: 'html', status: 403 });
    assert.equal((await api('/user')).status, 403);

    sandbox.addFault({ kind: 'malformed-json' });
    const malformed = await api('/repositories/acme');
    assert.match(String(malformed.headers['content-type']), /^application\/json/);
    assert.throws(() => malformed.json(), SyntaxError);

    sandbox.addFault({ kind: 'invalid-shape' });
    const shape = (await api('/repositories/acme')).json();
    assert.equal(typeof shape.values, 'string');
    assert.equal(typeof shape.slug, 'number');
  });

  it('drops the connection without a response', async () => {
    sandbox.addFault({ kind: 'drop', match: '/user' });
    await assert.rejects(api('/user'));
    assert.equal(lastEntry().status, 0);
    assert.equal((await api('/user')).status, 200);
  });

  it('delays and then answers normally, and stops after clearFaults', async () => {
    sandbox.addFault({ kind: 'delay', delayMs: 50 });
    assert.equal((await api('/user')).status, 200);
    sandbox.addFault({ kind: 'status', status: 500, times: Infinity });
    assert.equal((await api('/user')).status, 500);
    sandbox.clearFaults();
    assert.equal((await api('/user')).status, 200);
  });

  it('never touches git or control requests', async () => {
    sandbox.addFault({ kind: 'status', status: 500, times: Infinity });
    const refs = await probe(
      `${sandbox.url}/${DEMO.publicRepository.workspace}/${DEMO.publicRepository.slug}.git/info/refs?service=git-upload-pack`,
    );
    assert.equal(refs.status, 200);
    assert.equal((await probe(`${sandbox.url}/_sandbox/requests`)).status, 200);
  });
});

describe('sandbox: control API', () => {
  const control = (route: string, options: ProbeOptions = {}): Promise<ProbeResponse> => probe(`${sandbox.url}/_sandbox/${route}`, options);
  const post = (route: string, body: unknown): Promise<ProbeResponse> =>
    control(route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('adds and clears faults, "Infinity" included', async () => {
    assert.equal((await post('faults', { kind: 'status', status: 502, match: '/user', times: 'Infinity' })).status, 201);
    assert.equal((await api('/user')).status, 502);
    assert.equal((await api('/user')).status, 502);
    assert.equal((await control('faults', { method: 'DELETE' })).status, 204);
    assert.equal((await api('/user')).status, 200);
    assert.equal((await post('faults', { kind: 'explode' })).status, 400);
  });

  it('reports and clears the request log, without logging itself', async () => {
    await api('/user');
    const log = (await control('requests')).json();
    assert.equal(log.length, 1);
    assert.equal(log[0].path, '/2.0/user');
    assert.equal((await control('requests', { method: 'DELETE' })).status, 204);
    assert.deepEqual((await control('requests')).json(), []);
  });

  it('sets latency, resets, prepares a repository and describes itself', async () => {
    assert.equal((await post('latency', { ms: 20 })).status, 204);
    assert.equal((await api('/user')).status, 200);
    assert.equal((await post('latency', { ms: -1 })).status, 400);
    await createRepository('acme', 'before-reset', {});
    assert.equal((await post('reset', {})).status, 204);
    assert.equal(sandbox.requests.length, 0);
    assert.equal((await api('/repositories/acme/before-reset')).status, 404);
    assert.equal((await post('prepare', { workspace: 'acme', slug: 'service-0003-web' })).status, 204);
    assert.equal((await post('prepare', { workspace: 'acme', slug: 'nope' })).status, 400);
    const info = (await control('info')).json();
    assert.equal(info.apiUrl, sandbox.apiUrl);
    assert.equal(info.credentials.email, DEMO.email);
  });
});

describe('sandbox: request log', () => {
  it('records method, path, query, status, body bytes and identity, and never a secret', async () => {
    const response = await api('/repositories/acme?pagelen=20&fields=values.slug');
    await api('/user', { basic: { user: DEMO.email, password: DEMO.expiredApiToken } });
    await api('/repositories/acme', { bearer: DEMO.accessToken.token });
    await api('/user', { basic: { user: DEMO.email, password: DEMO.appPassword } });
    await api(`/repositories/acme?access_token=${DEMO.accessToken.token}`, {});
    const [first] = sandbox.requests;
    assert.equal(first.method, 'GET');
    assert.equal(first.path, '/2.0/repositories/acme');
    assert.deepEqual(first.query, { pagelen: '20', fields: 'values.slug' });
    assert.equal(first.status, 200);
    assert.equal(first.bytes, response.body.length);
    assert.equal(first.git, false);
    assert.equal(typeof first.time, 'number');
    assert.ok(first.durationMs >= 0);
    const everything = JSON.stringify(sandbox.requests);
    for (const secret of [DEMO.apiToken, DEMO.expiredApiToken, DEMO.accessToken.token, DEMO.appPassword, DEMO.readOnlyApiToken]) {
      assert.equal(everything.includes(secret), false);
    }
    assert.equal(sandbox.requests.length, 5);
  });
});

describe('sandbox: rate limits', () => {
  let limited: Sandbox;
  before(async () => {
    limited = await startSandbox({ rateLimitPerHour: 3 });
  });
  after(() => limited.close());

  it('limits /2.0/repositories/* per API token, without Retry-After or X-RateLimit headers', async () => {
    const get = (route: string): Promise<ProbeResponse> => probe(`${limited.apiUrl}${route}`, { basic: user });
    for (let i = 0; i < 3; i++) {
      assert.equal((await get('/repositories/acme')).status, 200);
    }
    const over = await get('/repositories/acme/service-0001-api');
    assert.equal(over.status, 429);
    assert.equal(over.json().error.message, 'Rate limit for this resource has been exceeded');
    assert.equal(over.headers['retry-after'], undefined);
    assert.equal(over.headers['x-ratelimit-limit'], undefined);
    assert.equal((await get('/user')).status, 200);
    const readOnly = await probe(`${limited.apiUrl}/repositories/acme`, { basic: { user: DEMO.email, password: DEMO.readOnlyApiToken } });
    assert.equal(readOnly.status, 200);
    limited.reset();
    assert.equal((await get('/repositories/acme')).status, 200);
  });

  it('gives access tokens ten times the limit and X-RateLimit headers', async () => {
    const get = (): Promise<ProbeResponse> => probe(`${limited.apiUrl}/repositories/acme`, { bearer: DEMO.accessToken.token });
    const first = await get();
    assert.equal(first.headers['x-ratelimit-limit'], '30');
    assert.equal(first.headers['x-ratelimit-resource'], 'api/repositories');
    for (let i = 1; i < 30; i++) {
      assert.equal((await get()).status, 200);
    }
    const over = await get();
    assert.equal(over.status, 429);
    assert.equal(over.headers['x-ratelimit-nearlimit'], 'true');
  });

  it('limits unauthenticated callers to 60 requests an hour', async () => {
    limited.reset();
    for (let i = 0; i < 60; i++) {
      assert.equal((await probe(`${limited.apiUrl}/workspaces/acme`)).status, 200);
    }
    assert.equal((await probe(`${limited.apiUrl}/workspaces/acme`)).status, 429);
  });
});

describe('sandbox: git over HTTP', () => {
  const gitUrl = (workspace: string, slug: string): string => `${sandbox.url}/${workspace}/${slug}.git`;
  const apiToken = (username: string = DEMO.gitUsername) => ({ user: username, password: DEMO.apiToken });
  const gitEntries = (): Sandbox['requests'] => sandbox.requests.filter((entry) => entry.git);

  async function readme(dir: string): Promise<string> {
    return fs.readFile(path.join(git.dir, dir, 'README.md'), 'utf8');
  }

  it('clones a private repository with x-bitbucket-api-token-auth after a 401 challenge', async () => {
    const { workspace, slug } = DEMO.privateRepository;
    const result = await git.run(['clone', '-q', gitUrl(workspace, slug), 'private-token'], apiToken());
    assert.equal(result.code, 0, result.stderr);
    assert.match(await readme('private-token'), /service-0001 api/);
    const entries = gitEntries();
    assert.equal(entries[0].status, 401);
    assert.ok(entries.some((entry) => entry.path.endsWith('/git-upload-pack') && entry.status === 200 && entry.user === DEMO.username));
    assert.ok(entries.every((entry) => entry.git));
  });

  it('clones with the Bitbucket username too, but never with the email', async () => {
    const { workspace, slug } = DEMO.privateRepository;
    const byUsername = await git.run(['clone', '-q', gitUrl(workspace, slug), 'private-username'], apiToken(DEMO.username));
    assert.equal(byUsername.code, 0, byUsername.stderr);
    const byEmail = await git.run(['clone', '-q', gitUrl(workspace, slug), 'private-email'], apiToken(DEMO.email));
    assert.notEqual(byEmail.code, 0);
    assert.match(byEmail.stderr, /Authentication failed/);
  });

  it('refuses a wrong token, an expired token and an app password with a Basic challenge', async () => {
    const { workspace, slug } = DEMO.privateRepository;
    for (const password of ['ATATT-wrong', DEMO.expiredApiToken, DEMO.appPassword]) {
      const result = await git.run(['clone', '-q', gitUrl(workspace, slug), 'refused'], { user: DEMO.gitUsername, password });
      assert.notEqual(result.code, 0, password);
      assert.match(result.stderr, /Authentication failed/);
    }
    const raw = await probe(`${gitUrl(workspace, slug)}/info/refs?service=git-upload-pack`, {
      basic: { user: DEMO.gitUsername, password: 'wrong' },
    });
    assert.equal(raw.status, 401);
    assert.equal(raw.headers['www-authenticate'], 'Basic realm="Bitbucket"');
  });

  it('clones public repositories anonymously but not private ones', async () => {
    const { workspace, slug } = DEMO.publicRepository;
    const anonymous = await git.run(['clone', '-q', gitUrl(workspace, slug), 'public-anonymous']);
    assert.equal(anonymous.code, 0, anonymous.stderr);
    const privateRepository = DEMO.privateRepository;
    const refused = await git.run(['clone', '-q', gitUrl(privateRepository.workspace, privateRepository.slug), 'private-anonymous']);
    assert.notEqual(refused.code, 0);
    assert.equal(gitEntries().at(-1)?.status, 401);
  });

  it('clones from the https link the API returns once its user info is replaced', async () => {
    const repository = (await api(`/repositories/${DEMO.unicodeWorkspace}/matcha-docs`)).json();
    const link = new URL(repository.links.clone.find((clone: { name: string }) => clone.name === 'https').href);
    assert.equal(link.username, DEMO.username);
    link.username = '';
    const result = await git.run(['clone', '-q', link.href, 'from-link'], apiToken());
    assert.equal(result.code, 0, result.stderr);
    assert.match(await readme('from-link'), /Matcha 抹茶 Docs/);
  });

  it('pushes to a repository created through the API, and only with write scope', async () => {
    assert.equal((await createRepository('demo-user', 'pushed', { is_private: true })).status, 200);
    const url = gitUrl('demo-user', 'pushed');
    const clone = await git.run(['clone', '-q', url, 'pushed'], apiToken());
    assert.equal(clone.code, 0, clone.stderr);
    const work = path.join(git.dir, 'pushed');
    await fs.writeFile(path.join(work, 'hello.txt'), 'hello\n');
    assert.equal((await git.run(['add', 'hello.txt'], { cwd: work })).code, 0);
    assert.equal((await git.run(['commit', '-q', '-m', 'Say hello'], { cwd: work })).code, 0);
    const readOnly = await git.run(['push', '-q', 'origin', 'HEAD:main'], {
      cwd: work,
      user: DEMO.gitUsername,
      password: DEMO.readOnlyApiToken,
    });
    assert.notEqual(readOnly.code, 0);
    assert.equal(gitEntries().at(-1)?.status, 403);
    const pushed = await git.run(['push', '-q', 'origin', 'HEAD:main'], { cwd: work, ...apiToken() });
    assert.equal(pushed.code, 0, pushed.stderr);
    const again = await git.run(['clone', '-q', url, 'pushed-again'], apiToken());
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await fs.readFile(path.join(git.dir, 'pushed-again', 'hello.txt'), 'utf8'), 'hello\n');
  });

  it('never lets anonymous callers push, even to public repositories', async () => {
    const { workspace, slug } = DEMO.publicRepository;
    const refs = await probe(`${gitUrl(workspace, slug)}/info/refs?service=git-receive-pack`);
    assert.equal(refs.status, 401);
  });

  it('lets the access token use x-token-auth in its own workspace only', async () => {
    const token = { user: DEMO.accessTokenGitUsername, password: DEMO.accessToken.token };
    const { workspace, slug } = DEMO.privateRepository;
    const own = await git.run(['clone', '-q', gitUrl(workspace, slug), 'access-token'], token);
    assert.equal(own.code, 0, own.stderr);
    assert.equal(gitEntries().at(-1)?.user, DEMO.accessToken.name);
    const other = await git.run(['clone', '-q', gitUrl('demo-user', 'playground'), 'access-token-other'], token);
    assert.notEqual(other.code, 0);
    assert.equal(gitEntries().at(-1)?.status, 403);
  });

  it('passes gzip-encoded protocol v2 requests to git http-backend', async () => {
    const { workspace, slug } = DEMO.publicRepository;
    const pkt = (line: string): string => `${(line.length + 4).toString(16).padStart(4, '0')}${line}`;
    const request = `${pkt('command=ls-refs\n')}0001${pkt('ref-prefix refs/heads/\n')}0000`;
    const response = await probe(`${gitUrl(workspace, slug)}/git-upload-pack`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-git-upload-pack-request',
        'content-encoding': 'gzip',
        'git-protocol': 'version=2',
      },
      body: gzipSync(request),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/x-git-upload-pack-result');
    assert.match(response.text, /refs\/heads\/main/);
  });

  it('answers unknown repositories with 404 when signed in, 401 when not', async () => {
    assert.equal((await probe(`${gitUrl('acme', 'nope')}/info/refs?service=git-upload-pack`, { basic: apiToken() })).status, 404);
    assert.equal((await probe(`${gitUrl('acme', 'nope')}/info/refs?service=git-upload-pack`)).status, 401);
  });

  it('clones the largest repository with its whole history', async () => {
    const { workspace, slug } = DEMO.largestRepository;
    const result = await git.run(['clone', '-q', gitUrl(workspace, slug), 'largest'], apiToken());
    assert.equal(result.code, 0, result.stderr);
    const count = await git.run(['rev-list', '--count', 'HEAD'], { cwd: path.join(git.dir, 'largest') });
    assert.equal(count.stdout.trim(), '400');
    const pack = gitEntries().find((entry) => entry.path.endsWith('/git-upload-pack') && entry.bytes > 1_000_000);
    assert.ok(pack, 'no upload-pack response over 1 MB');
  });
});

describe('sandbox: web pages', () => {
  it('serves the page links.html.href points at', async () => {
    const repository = (await api(`/repositories/${DEMO.unicodeWorkspace}/th-garden`)).json();
    const page = await probe(repository.links.html.href);
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.text, /Thé Garden/);
    assert.equal(sandbox.requests.filter((entry) => entry.path.includes('th-garden')).length, 1);
  });
});
