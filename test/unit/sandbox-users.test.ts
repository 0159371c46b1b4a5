/**
 * The sandbox's accounts, over real sockets and with real git processes: demo-user and second-user
 * share `acme` and keep their other workspaces to themselves; every API token answers as its own
 * account; the request log names the account and the credential of each request; the second access
 * token is held to its workspace; and the `extraUsers` option seeds bench users `bench-user-1..N`.
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { createGitProbe, GitProbe, probe, ProbeOptions, ProbeResponse } from '../sandbox/probe';
import { benchUser, DEMO, Sandbox, startSandbox } from '../sandbox/server';
import { loadBitbucketSubset, SchemaChecker } from '../sandbox/spec/json-schema';

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

const SECOND = DEMO.second;
const demo: ProbeOptions = { basic: { user: DEMO.email, password: DEMO.apiToken } };
const second: ProbeOptions = { basic: { user: SECOND.email, password: SECOND.apiToken } };

function api(pathAndQuery: string, options: ProbeOptions, on: Sandbox = sandbox): Promise<ProbeResponse> {
  return probe(`${on.apiUrl}${pathAndQuery}`, options);
}

function createRepository(workspace: string, slug: string, options: ProbeOptions): Promise<ProbeResponse> {
  return api(`/repositories/${workspace}/${slug}`, {
    ...options,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scm: 'git', is_private: true }),
  });
}

function lastEntry(on: Sandbox = sandbox): Sandbox['requests'][number] {
  const entry = on.requests.at(-1);
  assert.ok(entry, 'the request log is empty');
  return entry;
}

type Page<T> = { size: number; values: T[]; next?: string };
const slugs = (page: Page<{ slug: string }>): string[] => page.values.map((repository) => repository.slug);
const workspaceSlugs = (page: Page<{ workspace: { slug: string } }>): string[] => page.values.map((access) => access.workspace.slug);

describe('sandbox users: the seeded second user', () => {
  it('has its own identity, a distinct API token and a distinct access token', () => {
    assert.equal(SECOND.username, 'second-user');
    assert.equal(SECOND.displayName, 'Second User');
    assert.equal(SECOND.email, 'second@example.com');
    assert.deepEqual([...SECOND.workspaces], ['acme', 'second-user']);
    assert.notEqual(SECOND.accountId, DEMO.accountId);
    assert.notEqual(SECOND.userUuid, DEMO.userUuid);
    assert.match(SECOND.apiToken, /^ATATT3xFfGF0[A-Za-z]+0sandbox[0-9a-f]{32}=[0-9A-F]{8}$/);
    assert.match(SECOND.accessToken.token, /^ATCTT3xFfGF0[A-Za-z]+0sandbox[0-9a-f]{32}=[0-9A-F]{8}$/);
    const secrets = [
      DEMO.apiToken,
      DEMO.readOnlyApiToken,
      DEMO.noWorkspaceScopeApiToken,
      DEMO.noRepositoryScopeApiToken,
      DEMO.expiredApiToken,
      DEMO.accessToken.token,
      SECOND.apiToken,
      SECOND.accessToken.token,
    ];
    assert.equal(new Set(secrets).size, secrets.length);
    assert.equal(DEMO.accessToken.workspace, 'acme');
    assert.equal(SECOND.accessToken.workspace, SECOND.personalWorkspace);
  });

  it('answers /user for whichever account the token belongs to', async () => {
    const mine = await api('/user', second);
    assert.equal(mine.status, 200);
    const body = mine.json();
    assert.equal(body.nickname, SECOND.username);
    assert.equal(body.username, SECOND.username);
    assert.equal(body.display_name, SECOND.displayName);
    assert.equal(body.uuid, SECOND.userUuid);
    assert.equal(body.account_id, SECOND.accountId);
    const theirs = (await api('/user', demo)).json();
    assert.equal(theirs.nickname, DEMO.username);
    assert.equal(theirs.uuid, DEMO.userUuid);
  });

  it('needs the token owner’s email: another account’s email is a 401', async () => {
    for (const basic of [
      { user: DEMO.email, password: SECOND.apiToken },
      { user: SECOND.email, password: DEMO.apiToken },
      { user: SECOND.username, password: SECOND.apiToken },
    ]) {
      const response = await api('/user', { basic });
      assert.equal(response.status, 401, `${basic.user} with ${basic.password.slice(0, 20)}`);
      assert.equal(lastEntry().user, undefined);
    }
    assert.equal((await api('/user', { basic: { user: SECOND.email.toUpperCase(), password: SECOND.apiToken } })).status, 200);
  });

  it('lists each account’s own workspaces with its own administrator flag', async () => {
    const mine = (await api('/user/workspaces', second)).json();
    assert.deepEqual(workspaceSlugs(mine), [...SECOND.workspaces]);
    assert.equal(mine.size, SECOND.workspaces.length);
    const admin = (access: { administrator: boolean; workspace: { slug: string } }): string =>
      `${access.workspace.slug}:${access.administrator}`;
    assert.deepEqual(mine.values.map(admin), ['acme:true', 'second-user:true']);
    assert.deepEqual(workspaceSlugs((await api('/user/workspaces?administrator=false', second)).json()), []);
    const theirs = (await api('/user/workspaces', demo)).json();
    assert.deepEqual(workspaceSlugs(theirs), [...DEMO.workspaces]);
    assert.equal(theirs.values.find((access: { workspace: { slug: string } }) => access.workspace.slug === 'acme').administrator, false);
    assert.equal(workspaceSlugs(theirs).includes(SECOND.personalWorkspace), false);
  });

  it('shares acme: both accounts see its private repositories, each in its own clone link', async () => {
    const { workspace, slug } = DEMO.privateRepository;
    for (const [options, username] of [
      [second, SECOND.username],
      [demo, DEMO.username],
    ] as const) {
      const response = await api(`/repositories/${workspace}/${slug}`, options);
      assert.equal(response.status, 200, username);
      const https = response.json().links.clone.find((clone: { name: string }) => clone.name === 'https');
      assert.equal(new URL(https.href).username, username);
    }
    const listing = (await api('/repositories/acme?pagelen=10', second)).json();
    assert.equal(listing.size, DEMO.largeWorkspaceRepositoryCount);
    const projects = (await api('/workspaces/acme/projects', second)).json();
    assert.equal(projects.size, 6);
  });

  it('serves the personal workspace as second-user’s, owned by second-user', async () => {
    const workspace = (await api(`/workspaces/${SECOND.personalWorkspace}`, second)).json();
    assert.equal(workspace.name, SECOND.displayName);
    assert.equal(workspace.uuid, SECOND.userUuid);
    const page = (await api(`/repositories/${SECOND.personalWorkspace}`, second)).json();
    assert.equal(page.size, SECOND.personalRepositoryCount);
    assert.ok(page.size >= 3 && page.size <= 5);
    assert.ok(page.values.some((repository: { is_private: boolean }) => repository.is_private));
    const { slug } = SECOND.privateRepository;
    const repository = (await api(`/repositories/${SECOND.personalWorkspace}/${slug}`, second)).json();
    assert.equal(repository.is_private, true);
    assert.equal(repository.owner.nickname, SECOND.username);
    assert.equal(repository.owner.uuid, SECOND.userUuid);
    const byOwner = await api(
      `/repositories/${SECOND.personalWorkspace}?q=${encodeURIComponent(`owner.uuid = "${SECOND.userUuid}"`)}`,
      second,
    );
    assert.equal(byOwner.json().size, SECOND.personalRepositoryCount);
  });

  it('keeps second-user’s private repositories from demo-user (403) and from anonymous callers (404)', async () => {
    const { workspace, slug } = SECOND.privateRepository;
    const listed = (await api(`/repositories/${workspace}?pagelen=100`, demo)).json();
    assert.ok(listed.size > 0 && listed.size < SECOND.personalRepositoryCount);
    assert.ok(listed.values.every((repository: { is_private: boolean }) => !repository.is_private));
    assert.ok(slugs(listed).includes(SECOND.publicRepository.slug));
    assert.equal(slugs(listed).includes(slug), false);
    assert.equal((await api(`/repositories/${workspace}/${slug}`, demo)).status, 403);
    assert.equal((await api(`/repositories/${workspace}/${slug}`, {})).status, 404);
    assert.equal((await api(`/repositories/${workspace}/${SECOND.publicRepository.slug}`, demo)).status, 200);
  });

  it('keeps demo-user’s personal, tea.house and empty-space private content from second-user', async () => {
    const personal = (await api(`/repositories/${DEMO.personalWorkspace}?pagelen=100`, second)).json();
    assert.deepEqual(slugs(personal), ['dotfiles', 'hello-world', 'advent-of-code-2025']);
    const { workspace, slug } = DEMO.largestRepository;
    assert.equal((await api(`/repositories/${workspace}/${slug}`, second)).status, 403);
    const tea = (await api(`/repositories/${DEMO.unicodeWorkspace}?pagelen=100`, second)).json();
    assert.ok(tea.size > 0);
    assert.ok(tea.values.every((repository: { is_private: boolean }) => !repository.is_private));
    assert.equal((await api(`/repositories/${DEMO.unicodeWorkspace}/th-garden`, second)).status, 403);
    assert.equal((await api(`/repositories/${DEMO.unicodeWorkspace}/th-garden`, demo)).status, 200);
    assert.equal((await api(`/repositories/${DEMO.emptyWorkspace}`, second)).json().size, 0);
    assert.equal((await createRepository(DEMO.emptyWorkspace, 'second-here', second)).status, 400);
  });

  it('lets each account create only where it is a member, and narrows role=admin and role=owner to it', async () => {
    assert.equal((await createRepository(SECOND.personalWorkspace, 'made-by-second', second)).status, 200);
    assert.equal((await createRepository('acme', 'made-by-second', second)).status, 200);
    assert.equal((await createRepository(SECOND.personalWorkspace, 'made-by-demo', demo)).status, 400);
    assert.equal((await createRepository(DEMO.personalWorkspace, 'made-by-second', second)).status, 400);
    const created = (await api(`/repositories/${SECOND.personalWorkspace}/made-by-second`, second)).json();
    assert.equal(created.owner.nickname, SECOND.username);
    assert.equal((await api(`/repositories/${SECOND.personalWorkspace}/made-by-second`, demo)).status, 403);

    assert.ok((await api('/repositories/acme?role=admin', second)).json().size > 0);
    assert.equal((await api('/repositories/acme?role=admin', demo)).json().size, 0);
    assert.equal(
      (await api(`/repositories/${SECOND.personalWorkspace}?role=owner`, second)).json().size,
      SECOND.personalRepositoryCount + 1,
    );
    assert.equal((await api(`/repositories/${SECOND.personalWorkspace}?role=owner`, demo)).json().size, 0);
    assert.equal((await api(`/repositories/${DEMO.personalWorkspace}?role=owner`, second)).json().size, 0);
  });
});

describe('sandbox users: the second access token', () => {
  const secondCi: ProbeOptions = { bearer: SECOND.accessToken.token };

  it('reads its own workspace, private repositories included, and nothing else', async () => {
    const own = await api(`/repositories/${SECOND.personalWorkspace}`, secondCi);
    assert.equal(own.status, 200);
    assert.equal(own.json().size, SECOND.personalRepositoryCount);
    assert.equal(lastEntry().user, SECOND.accessToken.name);
    assert.equal(lastEntry().credential, SECOND.accessToken.name);
    const { workspace, slug } = SECOND.privateRepository;
    assert.equal((await api(`/repositories/${workspace}/${slug}`, secondCi)).status, 200);
    for (const route of [
      '/repositories/acme',
      `/repositories/${DEMO.privateRepository.workspace}/${DEMO.privateRepository.slug}`,
      '/workspaces/acme',
    ]) {
      assert.equal((await api(route, secondCi)).status, 403, route);
    }
    assert.equal((await createRepository('acme', 'by-second-ci', secondCi)).status, 403);
    assert.equal((await createRepository(SECOND.personalWorkspace, 'by-second-ci', secondCi)).status, 200);
    for (const route of ['/user', '/user/workspaces']) {
      assert.equal((await api(route, secondCi)).status, 403, route);
    }
  });

  it('keeps the acme access token out of second-user', async () => {
    const { workspace, slug } = SECOND.privateRepository;
    assert.equal((await api(`/repositories/${workspace}/${slug}`, { bearer: DEMO.accessToken.token })).status, 403);
    assert.equal((await api('/repositories/acme', { bearer: DEMO.accessToken.token })).status, 200);
  });
});

describe('sandbox users: the request log names the credential', () => {
  it('names the account and the token of every API request, refused ones included, and never a secret', async () => {
    const calls: Array<[string, ProbeOptions]> = [
      ['demo', demo],
      ['second', second],
      ['read-only', { basic: { user: DEMO.email, password: DEMO.readOnlyApiToken } }],
      ['acme-ci', { bearer: DEMO.accessToken.token }],
      ['second-ci', { bearer: SECOND.accessToken.token }],
      ['expired', { basic: { user: DEMO.email, password: DEMO.expiredApiToken } }],
      ['wrong email', { basic: { user: DEMO.email, password: SECOND.apiToken } }],
      ['API token as Bearer', { bearer: SECOND.apiToken }],
      ['app password', { basic: { user: DEMO.email, password: DEMO.appPassword } }],
      ['anonymous', {}],
    ];
    for (const [, options] of calls) {
      await api('/repositories/acme/service-0002-worker', options);
    }
    const seen = sandbox.requests.map((entry) => ({
      auth: entry.auth,
      user: entry.user,
      credential: entry.credential,
      status: entry.status,
    }));
    assert.deepEqual(seen, [
      { auth: 'basic', user: 'demo-user', credential: 'demo-full-access', status: 200 },
      { auth: 'basic', user: 'second-user', credential: 'second-full-access', status: 200 },
      { auth: 'basic', user: 'demo-user', credential: 'demo-read-only', status: 200 },
      { auth: 'bearer', user: 'acme-ci', credential: 'acme-ci', status: 200 },
      { auth: 'bearer', user: 'second-ci', credential: 'second-ci', status: 403 },
      { auth: 'basic', user: undefined, credential: 'demo-expired', status: 401 },
      { auth: 'basic', user: undefined, credential: 'second-full-access', status: 401 },
      { auth: 'bearer', user: undefined, credential: 'second-full-access', status: 401 },
      { auth: 'basic', user: undefined, credential: undefined, status: 401 },
      { auth: 'none', user: undefined, credential: undefined, status: 200 },
    ]);
    const everything = JSON.stringify(sandbox.requests);
    for (const secret of [
      DEMO.apiToken,
      DEMO.readOnlyApiToken,
      DEMO.expiredApiToken,
      DEMO.accessToken.token,
      SECOND.apiToken,
      SECOND.accessToken.token,
    ]) {
      assert.equal(everything.includes(secret), false);
    }
  });

  it('names a revoked token without accepting it', async () => {
    sandbox.revokeToken(SECOND.apiToken);
    assert.equal((await api('/user', second)).status, 401);
    assert.equal(lastEntry().credential, 'second-full-access');
    assert.equal(lastEntry().user, undefined);
    assert.equal((await api('/user', demo)).status, 200);
  });

  it('is served by the control API with the credential field', async () => {
    await api('/user', second);
    const log = (await probe(`${sandbox.url}/_sandbox/requests`)).json();
    assert.equal(log.length, 1);
    assert.equal(log[0].user, SECOND.username);
    assert.equal(log[0].credential, SECOND.apiTokenName);
  });
});

describe('sandbox users: git for each account', () => {
  const gitUrl = (workspace: string, slug: string): string => `${sandbox.url}/${workspace}/${slug}.git`;
  const gitEntries = (): Sandbox['requests'] => sandbox.requests.filter((entry) => entry.git);

  it('clones a second-user private repository with its token, as x-bitbucket-api-token-auth or second-user', async () => {
    const { workspace, slug } = SECOND.privateRepository;
    for (const user of [DEMO.gitUsername, SECOND.username]) {
      sandbox.clearRequests();
      const result = await git.run(['clone', '-q', gitUrl(workspace, slug), `second-${user}`], { user, password: SECOND.apiToken });
      assert.equal(result.code, 0, result.stderr);
      const readme = await fs.readFile(path.join(git.dir, `second-${user}`, 'README.md'), 'utf8');
      assert.match(readme, /secret-diary/);
      const pack = gitEntries().find((entry) => entry.path.endsWith('/git-upload-pack'));
      assert.ok(pack, 'no upload-pack request');
      assert.equal(pack.status, 200);
      assert.equal(pack.user, SECOND.username);
      assert.equal(pack.credential, SECOND.apiTokenName);
    }
  });

  it('refuses demo-user’s token on that repository (404), and second-user’s token under demo-user’s name (401)', async () => {
    const { workspace, slug } = SECOND.privateRepository;
    const byDemo = await git.run(['clone', '-q', gitUrl(workspace, slug), 'demo-tries'], {
      user: DEMO.gitUsername,
      password: DEMO.apiToken,
    });
    assert.notEqual(byDemo.code, 0);
    const refused = gitEntries().at(-1);
    assert.equal(refused?.status, 404);
    assert.equal(refused?.user, DEMO.username);
    assert.equal(refused?.credential, 'demo-full-access');

    const wrongName = await probe(`${gitUrl(workspace, slug)}/info/refs?service=git-upload-pack`, {
      basic: { user: DEMO.username, password: SECOND.apiToken },
    });
    assert.equal(wrongName.status, 401);
    assert.equal(lastEntry().credential, SECOND.apiTokenName);
    assert.equal(lastEntry().user, undefined);
    const byEmail = await probe(`${gitUrl(workspace, slug)}/info/refs?service=git-upload-pack`, {
      basic: { user: SECOND.email, password: SECOND.apiToken },
    });
    assert.equal(byEmail.status, 401);
  });

  it('lets second-user into acme over git, and refuses it demo-user’s private repositories', async () => {
    const { workspace, slug } = DEMO.privateRepository;
    const acme = await git.run(['clone', '-q', gitUrl(workspace, slug), 'second-acme'], {
      user: SECOND.username,
      password: SECOND.apiToken,
    });
    assert.equal(acme.code, 0, acme.stderr);
    const refs = (repository: string): Promise<ProbeResponse> =>
      probe(`${gitUrl(DEMO.personalWorkspace, repository)}/info/refs?service=git-upload-pack`, {
        basic: { user: DEMO.gitUsername, password: SECOND.apiToken },
      });
    assert.equal((await refs('playground')).status, 404);
    assert.equal((await refs('dotfiles')).status, 200);
  });

  it('pushes only where the token’s account is a member', async () => {
    const { workspace, slug } = SECOND.publicRepository;
    const clone = await git.run(['clone', '-q', gitUrl(workspace, slug), 'open-notes'], {
      user: DEMO.gitUsername,
      password: DEMO.apiToken,
    });
    assert.equal(clone.code, 0, clone.stderr);
    const work = path.join(git.dir, 'open-notes');
    await fs.writeFile(path.join(work, 'note.txt'), 'a note\n');
    assert.equal((await git.run(['add', 'note.txt'], { cwd: work })).code, 0);
    assert.equal((await git.run(['commit', '-q', '-m', 'Add a note'], { cwd: work })).code, 0);
    const byDemo = await git.run(['push', '-q', 'origin', 'HEAD:main'], { cwd: work, user: DEMO.gitUsername, password: DEMO.apiToken });
    assert.notEqual(byDemo.code, 0);
    assert.equal(gitEntries().at(-1)?.status, 403);
    const bySecond = await git.run(['push', '-q', 'origin', 'HEAD:main'], { cwd: work, user: DEMO.gitUsername, password: SECOND.apiToken });
    assert.equal(bySecond.code, 0, bySecond.stderr);
    assert.equal(gitEntries().at(-1)?.credential, SECOND.apiTokenName);
  });

  it('holds the second access token to its workspace over git', async () => {
    const token = { user: DEMO.accessTokenGitUsername, password: SECOND.accessToken.token };
    const { workspace, slug } = SECOND.privateRepository;
    const own = await git.run(['clone', '-q', gitUrl(workspace, slug), 'second-ci'], token);
    assert.equal(own.code, 0, own.stderr);
    assert.equal(gitEntries().at(-1)?.credential, SECOND.accessToken.name);
    assert.equal(gitEntries().at(-1)?.user, SECOND.accessToken.name);
    const acme = await probe(`${gitUrl(DEMO.privateRepository.workspace, DEMO.privateRepository.slug)}/info/refs?service=git-upload-pack`, {
      basic: token,
    });
    assert.equal(acme.status, 403);
  });
});

describe('sandbox users: bench users (extraUsers)', () => {
  const EXTRA = 3;
  let bench: Sandbox;
  before(async () => {
    bench = await startSandbox({ extraUsers: EXTRA });
  });
  after(() => bench.close());
  const as = (index: number): ProbeOptions => ({ basic: { user: benchUser(index).email, password: benchUser(index).apiToken } });

  it('derives each bench user deterministically, with a distinct token and five workspaces', () => {
    assert.deepEqual(benchUser(2), benchUser(2));
    const first = benchUser(1);
    assert.equal(first.username, 'bench-user-1');
    assert.equal(first.email, 'bench-user-1@example.com');
    assert.equal(first.apiTokenName, 'bench-user-1-full-access');
    assert.deepEqual([...first.workspaces], ['bench-1-ws-1', 'bench-1-ws-2', 'bench-1-ws-3', 'bench-1-ws-4', 'bench-1-ws-5']);
    assert.match(first.apiToken, /^ATATT3xFfGF0[A-Za-z0-9]+0sandbox[0-9a-f]{32}=[0-9A-F]{8}$/);
    const tokens = [1, 2, 3, 10, 11, 100].map((index) => benchUser(index).apiToken);
    assert.equal(new Set([...tokens, DEMO.apiToken, SECOND.apiToken]).size, tokens.length + 2);
    assert.notEqual(benchUser(1).userUuid, benchUser(2).userUuid);
    assert.throws(() => benchUser(0), RangeError);
  });

  it('signs each bench user in as itself and lists its five workspaces of 3 to 10 repositories', async () => {
    assert.equal(bench.extraUsers, EXTRA);
    for (let index = 1; index <= EXTRA; index++) {
      const account = benchUser(index);
      const me = (await api('/user', as(index), bench)).json();
      assert.equal(me.nickname, account.username);
      assert.equal(me.uuid, account.userUuid);
      assert.equal(lastEntry(bench).credential, account.apiTokenName);
      assert.equal(lastEntry(bench).user, account.username);
      const workspaces = (await api('/user/workspaces', as(index), bench)).json();
      assert.deepEqual(workspaceSlugs(workspaces), [...account.workspaces]);
      for (const slug of account.workspaces) {
        const page = (await api(`/repositories/${slug}?pagelen=100`, as(index), bench)).json();
        assert.ok(page.size >= 3 && page.size <= 10, `${slug} has ${page.size}`);
        assert.ok(
          page.values.some((repository: { is_private: boolean }) => repository.is_private),
          slug,
        );
      }
    }
    const again = (await api(`/repositories/${benchUser(2).workspaces[0]}?pagelen=100`, as(2), bench)).json();
    assert.deepEqual(again, (await api(`/repositories/${benchUser(2).workspaces[0]}?pagelen=100`, as(2), bench)).json());
  });

  it('keeps bench users apart from each other and from the seeded users', async () => {
    const theirs = benchUser(2).workspaces[0];
    const page = (await api(`/repositories/${theirs}?pagelen=100`, as(2), bench)).json();
    const hidden = page.values.find((repository: { is_private: boolean }) => repository.is_private).slug;
    assert.equal((await api(`/repositories/${theirs}/${hidden}`, as(1), bench)).status, 403);
    assert.equal((await api(`/repositories/${theirs}/${hidden}`, demo, bench)).status, 403);
    assert.equal((await api(`/repositories/${theirs}/${hidden}`, as(2), bench)).status, 200);
    assert.equal((await api(`/repositories/${DEMO.privateRepository.workspace}/${DEMO.privateRepository.slug}`, as(1), bench)).status, 403);
    assert.deepEqual(workspaceSlugs((await api('/user/workspaces', demo, bench)).json()), [...DEMO.workspaces]);
    assert.equal((await api('/user', as(EXTRA + 1), bench)).status, 401);
    assert.equal((await api('/user', as(1))).status, 401, 'the default sandbox has no bench users');
    assert.equal(sandbox.extraUsers, 0);
  });

  it('clones a bench user’s private repository with its token only', async () => {
    const account = benchUser(3);
    const slug = account.workspaces[4];
    const page = (await api(`/repositories/${slug}?pagelen=100`, as(3), bench)).json();
    const hidden = page.values.find((repository: { is_private: boolean }) => repository.is_private).slug;
    const url = `${bench.url}/${slug}/${hidden}.git`;
    const own = await git.run(['clone', '-q', url, 'bench-own'], { user: account.username, password: account.apiToken });
    assert.equal(own.code, 0, own.stderr);
    const pack = bench.requests.filter((entry) => entry.git && entry.status === 200).at(-1);
    assert.equal(pack?.credential, account.apiTokenName);
    const other = await git.run(['clone', '-q', url, 'bench-other'], { user: DEMO.gitUsername, password: benchUser(1).apiToken });
    assert.notEqual(other.code, 0);
  });

  it('serves documents that match the spec subset for bench users too', async () => {
    const checker = new SchemaChecker(loadBitbucketSubset());
    const slug = benchUser(1).workspaces[0];
    for (const [route, definition] of [
      ['/user', 'account'],
      ['/user/workspaces', 'paginated_workspace_access'],
      [`/repositories/${slug}`, 'paginated_repositories'],
      [`/workspaces/${slug}`, 'workspace'],
      [`/workspaces/${slug}/projects`, 'paginated_projects'],
    ]) {
      const response = await api(route, as(1), bench);
      assert.equal(response.status, 200, route);
      assert.deepEqual(checker.check(response.json(), definition), [], route);
    }
  });

  it('reports extraUsers in /_sandbox/info and refuses a bad count before starting', async () => {
    assert.equal((await probe(`${bench.url}/_sandbox/info`)).json().extraUsers, EXTRA);
    for (const extraUsers of [-1, 1.5, 1_000_000]) {
      await assert.rejects(startSandbox({ extraUsers }), RangeError, String(extraUsers));
    }
  });

  it('takes --extra-users on the command line', async () => {
    const cli = path.join(__dirname, '..', 'sandbox', 'cli.js');
    let child: ChildProcess | undefined;
    try {
      child = spawn(process.execPath, [cli, '--port', '0', '--extra-users', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const output = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`the CLI printed no credentials in time:\n${text}`)), 20_000);
        child?.stdout?.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('Press Ctrl-C')) {
            clearTimeout(timer);
            resolve(text);
          }
        });
        child?.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child?.on('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`the CLI exited with ${code}:\n${text}`));
        });
      });
      assert.match(output, /bench-user-1 \.\.\. bench-user-2/);
      assert.ok(output.includes(SECOND.apiToken), 'the second user’s token is printed');
      const apiUrl = /API:\s+(\S+)/.exec(output)?.[1];
      assert.ok(apiUrl, output);
      const me = await probe(`${apiUrl}/user`, as(2));
      assert.equal(me.status, 200);
      assert.equal(me.json().nickname, 'bench-user-2');
      assert.equal((await probe(`${apiUrl}/user`, as(3))).status, 401);
    } finally {
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child?.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
  });
});
