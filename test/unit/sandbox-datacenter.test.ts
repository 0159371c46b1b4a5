/**
 * The Bitbucket Data Center sandbox over real sockets and real git (served under the context path
 * /bitbucket): application properties, paging through the 5,000-repository project, each token rule,
 * the repository search, creating repositories, error documents, browsing and raw files, branches and
 * tags, git clone and push with a personal token (askpass) and a project token (Bearer from GIT_CONFIG_*
 * environment variables), faults, and the request log naming the credential.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { DATACENTER, DataCenterSandbox, startDataCenterSandbox } from '../sandbox/datacenter/server';
import { createGitProbe, GitProbe, GitResult, probe, ProbeOptions, ProbeResponse } from '../sandbox/probe';

let sandbox: DataCenterSandbox;
let git: GitProbe;

before(async () => {
  sandbox = await startDataCenterSandbox({ contextPath: '/bitbucket' });
  git = await createGitProbe();
});
after(async () => {
  await sandbox.close();
  await git.dispose();
});
afterEach(() => sandbox.resetAndWait());

/** A parsed JSON body that the tests pick apart freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

const { tokens, user } = DATACENTER;
const personalBasic: ProbeOptions = { basic: { user: user.name, password: tokens.personal.token } };
const personalBearer: ProbeOptions = { bearer: tokens.personal.token };
const REPO = '/projects/PLAT/repos/service-0001-billing';

function rest(pathAndQuery: string, options: ProbeOptions = personalBearer): Promise<ProbeResponse> {
  return probe(`${sandbox.restUrl}${pathAndQuery}`, options);
}

function create(projectKey: string, body: unknown, options: ProbeOptions = personalBearer): Promise<ProbeResponse> {
  const json = JSON.stringify(body);
  return rest(`/projects/${projectKey}/repos`, { ...options, method: 'POST', headers: { 'content-type': 'application/json' }, body: json });
}

function assertError(response: ProbeResponse, status: number, exceptionName: string | null, message?: RegExp): void {
  assert.equal(response.status, status, response.text);
  const body: Body = response.json();
  assert.equal(body.errors.length, 1);
  assert.deepEqual(Object.keys(body.errors[0]).sort(), ['context', 'exceptionName', 'message']);
  assert.equal(body.errors[0].exceptionName, exceptionName);
  if (message) assert.match(body.errors[0].message, message);
}

const lastEntry = (): DataCenterSandbox['requests'][number] => {
  const entry = sandbox.requests.at(-1);
  assert.ok(entry, 'the request log is empty');
  return entry;
};

describe('datacenter sandbox: application properties and paging', () => {
  it('answers application-properties anonymously under both REST roots, with a request id', async () => {
    for (const root of ['/rest/api/1.0', '/rest/api/latest']) {
      const response = await probe(`${sandbox.url}${root}/application-properties`);
      assert.equal(response.status, 200);
      assert.deepEqual(response.json(), { version: '9.2.4', buildNumber: '9002004', buildDate: '1731488400000', displayName: 'Bitbucket' });
      assert.match(String(response.headers['x-arequestid']), /^@\w+x\d+x\d+x0$/);
    }
    assert.equal(sandbox.url.endsWith('/bitbucket'), true);
    assert.equal((await probe(sandbox.url.replace('/bitbucket', '/rest/api/1.0/application-properties'))).status, 404);
  });

  it('caps limit at 1,000 and reaches all 5,000 repositories in five pages through nextPageStart', async () => {
    const first: Body = (await rest('/projects/PLAT/repos')).json();
    assert.deepEqual([first.size, first.limit, first.start, first.isLastPage, first.nextPageStart], [25, 25, 0, false, 25]);
    const slugs = new Set<string>();
    let start: number | undefined = 0;
    let requests = 0;
    while (start !== undefined) {
      const body: Body = (await rest(`/projects/PLAT/repos?limit=5000&start=${start}`)).json();
      requests++;
      assert.equal(body.limit, 1000);
      assert.equal(body.start, start);
      body.values.forEach((repository: Body) => slugs.add(repository.slug));
      assert.equal(body.isLastPage, body.nextPageStart === undefined);
      start = body.nextPageStart;
    }
    assert.equal(requests, Math.ceil(5000 / 1000));
    assert.equal(slugs.size, 5000);
    const past: Body = (await rest('/projects/PLAT/repos?start=6000')).json();
    assert.deepEqual([past.size, past.isLastPage, past.values.length, 'nextPageStart' in past], [0, true, 0, false]);
  });
});

describe('datacenter sandbox: HTTP access tokens', () => {
  it('takes a personal token as Basic with the user name and as Bearer, nothing else', async () => {
    assert.equal((await rest('/projects/PLAT', personalBasic)).status, 200);
    assert.equal((await rest('/projects/PLAT', personalBearer)).status, 200);
    assert.equal(lastEntry().credential, tokens.personal.name);
    assert.equal(lastEntry().user, user.name);
    const wrongUser = await rest('/projects/PLAT', { basic: { user: 'other-user', password: tokens.personal.token } });
    assertError(wrongUser, 401, 'com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException', /Authentication failed/);
    assert.match(String(wrongUser.headers['www-authenticate']), /^OAuth realm=/);
    assert.equal(lastEntry().credential, tokens.personal.name);
    assert.equal(lastEntry().user, undefined);
    assert.equal(JSON.stringify(sandbox.requests).includes(tokens.personal.token), false);
  });

  it('refuses project and repository tokens in Basic authentication, whatever the user name', async () => {
    for (const secret of [tokens.project.token, tokens.repository.token]) {
      for (const name of ['x-token-auth', user.name, 'plat-ci']) {
        assertError(
          await rest('/projects/PLAT', { basic: { user: name, password: secret } }),
          401,
          'com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException',
        );
      }
    }
  });

  it('lets a project token act in its project only', async () => {
    const own: Body = (await rest(REPO, { bearer: tokens.project.token })).json();
    assert.equal(own.slug, 'service-0001-billing');
    assertError(
      await rest('/projects/APPS/repos/web-app', { bearer: tokens.project.token }),
      401,
      'com.atlassian.bitbucket.AuthorisationException',
    );
    assert.equal(lastEntry().credential, tokens.project.name);
    const listed: Body = (await rest('/repos?limit=1000', { bearer: tokens.project.token })).json();
    assert.equal(listed.values.filter((repository: Body) => !repository.public && repository.project.key !== 'PLAT').length, 0);
  });

  it('lets a repository token see its repository only', async () => {
    const options: ProbeOptions = { bearer: tokens.repository.token };
    assert.equal((await rest('/projects/APPS/repos/web-app', options)).status, 200);
    assertError(await rest('/projects/APPS/repos/mobile-app', options), 401, 'com.atlassian.bitbucket.AuthorisationException');
    const listed: Body = (await rest('/projects/APPS/repos', options)).json();
    assert.deepEqual(
      listed.values.map((repository: Body) => repository.slug),
      ['web-app'],
    );
  });

  it('refuses expired and revoked tokens with 401', async () => {
    for (const options of [{ bearer: tokens.expired.token }, { basic: { user: user.name, password: tokens.expired.token } }]) {
      assertError(await rest('/projects/PLAT', options), 401, 'com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException');
      assert.equal(lastEntry().credential, tokens.expired.name);
    }
    sandbox.revokeToken(tokens.readOnly.token);
    assert.equal((await rest('/projects/PLAT', { bearer: tokens.readOnly.token })).status, 401);
  });

  it('shows anonymous callers public content only', async () => {
    assert.equal(
      (await rest(`/projects/${DATACENTER.publicRepository.projectKey}/repos/${DATACENTER.publicRepository.slug}`, {})).status,
      200,
    );
    const { projectKey, slug } = DATACENTER.privateRepository;
    assertError(await rest(`/projects/${projectKey}/repos/${slug}`, {}), 401, 'com.atlassian.bitbucket.AuthorisationException');
    const found: Body = (await rest('/repos?limit=1000', {})).json();
    assert.ok(found.values.length > 0);
    assert.ok(found.values.every((repository: Body) => repository.public || repository.project.public));
    assert.equal(((await rest('/repos?permission=REPO_READ', {})).json() as Body).size, 0);
  });
});

describe('datacenter sandbox: projects, search and creation', () => {
  it('lists the normal projects the user can see, with name and permission filters', async () => {
    const keys = async (query: string): Promise<string[]> =>
      ((await rest(`/projects${query}`)).json() as Body).values.map((p: Body) => p.key);
    assert.deepEqual(await keys(''), ['APPS', 'TOOLS', 'PUB', 'PLAT']);
    assert.deepEqual(await keys('?name=tool'), ['TOOLS']);
    assert.deepEqual(await keys('?permission=PROJECT_WRITE'), ['APPS', 'PLAT']);
    assertError(await rest('/projects?permission=REPO_EAT'), 400, null);
    assertError(await rest('/projects/SECRET'), 401, 'com.atlassian.bitbucket.AuthorisationException');
    const me: Body = (await rest(`/users/${user.slug}`, personalBasic)).json();
    assert.deepEqual([me.name, me.slug, me.displayName, me.emailAddress], [user.name, user.slug, 'DC User', user.emailAddress]);
    assertError(await rest(`/users/${user.slug}`, {}), 401, 'com.atlassian.bitbucket.AuthorisationException');
    assertError(
      await rest('/projects/NOPE'),
      404,
      'com.atlassian.bitbucket.project.NoSuchProjectException',
      /^Project NOPE does not exist\.$/,
    );
    assertError(
      await rest('/projects/PLAT/repos/nope'),
      404,
      'com.atlassian.bitbucket.repository.NoSuchRepositoryException',
      /^Repository PLAT\/nope does not exist\.$/,
    );
  });

  it('searches /repos by name prefix (any case) across projects, personal ones included', async () => {
    const search = async (query: string, options?: ProbeOptions): Promise<Body> => (await rest(`/repos?${query}`, options)).json();
    const found = await search('name=SERVICE-004&limit=100');
    assert.deepEqual(
      found.values.map((repository: Body) => repository.slug.slice(0, 12)),
      Array.from({ length: 10 }, (_, i) => `service-004${i}`),
    );
    assert.equal((await search('name=billing')).size, 0);
    assert.equal((await search('name=diary')).values[0].project.key, DATACENTER.personalProjectKey);
    assert.equal((await search('name=diary', {})).size, 0);
    assert.deepEqual(
      (await search('projectkey=apps&name=web')).values.map((r: Body) => r.slug),
      ['web-app'],
    );
    assert.equal((await search('name=legacy')).size, 0);
    assert.equal((await search('name=legacy&archived=ALL')).values[0].archived, true);
    assertError(await rest('/repos?visibility=secret'), 400, null);
  });

  it('creates a repository with a derived slug and clone links, then answers 409 for the same name', async () => {
    const response = await create('~dc-user', { name: 'My New Repo', scmId: 'git', forkable: false });
    assert.equal(response.status, 201, response.text);
    const body: Body = response.json();
    assert.deepEqual(
      [body.slug, body.name, body.scmId, body.state, body.forkable, body.public],
      ['my-new-repo', 'My New Repo', 'git', 'AVAILABLE', false, false],
    );
    assert.equal(body.project.type, 'PERSONAL');
    const port = new URL(sandbox.url).port;
    assert.deepEqual(body.links.clone, [
      { href: `http://dc-user@127.0.0.1:${port}/bitbucket/scm/~dc-user/my-new-repo.git`, name: 'http' },
      { href: 'ssh://git@127.0.0.1:7999/~dc-user/my-new-repo.git', name: 'ssh' },
    ]);
    assert.equal(body.links.self[0].href, `${sandbox.url}/users/dc-user/repos/my-new-repo/browse`);
    const conflict = await create('~DC-USER', { name: 'my new repo' });
    assertError(conflict, 409, null);
    assert.equal(conflict.json().errors[0].context, 'name');
  });

  it('refuses bad names (400), projects without REPO_CREATE and read-only tokens (401)', async () => {
    for (const name of ['', '-dash-first', 'semi;colon']) {
      const response = await create('PLAT', { name });
      assertError(response, 400, null);
      assert.equal(response.json().errors[0].context, 'name');
    }
    assertError(await create('APPS', { name: 'not-here' }), 401, 'com.atlassian.bitbucket.AuthorisationException');
    assertError(
      await create('PLAT', { name: 'read-only' }, { bearer: tokens.readOnly.token }),
      401,
      'com.atlassian.bitbucket.AuthorisationException',
    );
    assertError(await create('PLAT', { name: 'anonymous' }, {}), 401, 'com.atlassian.bitbucket.AuthorisationException');
    assertError(await create('NOPE', { name: 'nowhere' }), 404, 'com.atlassian.bitbucket.project.NoSuchProjectException');
    assert.equal((await create('PLAT', { name: 'Made By Test' })).status, 201);
  });
});

describe('datacenter sandbox: refs, browse and raw', () => {
  it('lists branches with filterText and orderBy, and the default branch both ways', async () => {
    const names = async (query: string): Promise<string[]> =>
      ((await rest(`${REPO}/branches${query}`)).json() as Body).values.map((branch: Body) => branch.displayId);
    assert.deepEqual(await names(''), ['develop', 'main']);
    assert.deepEqual(await names('?filterText=DEV'), ['develop']);
    assert.deepEqual(await names('?orderBy=MODIFICATION'), ['develop', 'main']);
    const main: Body = (await rest(`${REPO}/branches/default`)).json();
    assert.deepEqual([main.id, main.displayId, main.type, main.isDefault], ['refs/heads/main', 'main', 'BRANCH', true]);
    assert.match(main.latestCommit, /^[0-9a-f]{40}$/);
    assert.equal(main.latestChangeset, main.latestCommit);
    assert.deepEqual((await rest(`${REPO}/default-branch`)).json(), { id: 'refs/heads/main', displayId: 'main', type: 'BRANCH' });
    const tags: Body = (await rest(`${REPO}/tags?filterText=v1`)).json();
    assert.deepEqual(
      tags.values.map((tag: Body) => [tag.displayId, 'hash' in tag]),
      [
        ['v1.0.0', false],
        ['v1.1.0-rc1', true],
      ],
    );
    assert.equal(tags.values[0].latestCommit, main.latestCommit);
  });

  it('browses a directory and a file (paged by lines) at a ref, and serves raw bytes', async () => {
    const root: Body = (await rest(`${REPO}/browse?at=refs/heads/develop`)).json();
    assert.deepEqual(root.path, { components: [], name: '', toString: '' });
    assert.equal(root.revision, 'refs/heads/develop');
    const children = root.children.values.map((child: Body) => `${child.type}:${child.path.toString}`);
    assert.deepEqual(children, ['FILE:.gitignore', 'FILE:CHANGELOG.md', 'FILE:README.md', 'DIRECTORY:src']);
    assert.match(root.children.values[2].contentId, /^[0-9a-f]{40}$/);
    const src: Body = (await rest(`${REPO}/browse/src?at=main`)).json();
    const name: string = src.children.values[0].path.name;
    assert.match(name, /^main\.[a-z]+$/);
    assert.deepEqual(src.children.values[0].path, { components: [name], parent: '', name, extension: name.slice(5), toString: name });
    const page: Body = (await rest(`${REPO}/browse/README.md?limit=2`)).json();
    assert.deepEqual(page, {
      lines: [{ text: '# service-0001-billing' }, { text: '' }],
      start: 0,
      size: 2,
      isLastPage: false,
      limit: 2,
      nextPageStart: 2,
    });
    assert.deepEqual((await rest(`${REPO}/browse/src?type=true`)).json(), { type: 'DIRECTORY' });
    const raw = await rest(`${REPO}/raw/CHANGELOG.md?at=v1.1.0-rc1`);
    assert.equal(raw.status, 200);
    assert.match(String(raw.headers['content-type']), /^text\/plain/);
    assert.equal(raw.body.subarray(0, 12).toString(), '# Changelog ');
    assert.equal(Number(raw.headers['content-length']), raw.body.length);
    assertError(await rest(`${REPO}/raw/CHANGELOG.md?at=main`), 404, 'com.atlassian.bitbucket.content.NoSuchPathException');
    assertError(await rest(`${REPO}/browse?at=no-such-ref`), 404, 'com.atlassian.bitbucket.commit.NoSuchCommitException');
    assert.equal((await rest(`${REPO}/browse/..%2F..%2Fetc`)).status, 404);
  });
});

/** git with a Bearer header from GIT_CONFIG_* environment variables, so the token never appears in argv. */
function gitWithBearer(args: string[], token: string, cwd = git.dir): Promise<GitResult & { argv: string[] }> {
  const argv = ['-c', 'credential.helper=', ...args];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: path.join(git.dir, 'home'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: Bearer ${token}`,
    LANG: 'C',
  };
  return new Promise((resolve, reject) => {
    const child = spawn('git', argv, { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, argv }));
  });
}

async function commitFile(dir: string, name: string): Promise<void> {
  await fs.writeFile(path.join(dir, name), `${name}\n`);
  for (const args of [
    ['add', name],
    ['-c', 'user.name=Probe', '-c', 'user.email=probe@example.com', 'commit', '-q', '-m', `Add ${name}`],
  ]) {
    assert.equal((await git.run(args, { cwd: dir })).code, 0);
  }
}

describe('datacenter sandbox: git over HTTP', () => {
  const scm = (key: string, slug: string): string => `${sandbox.url}/scm/${key}/${slug}.git`;

  it('clones with a personal token through askpass, from the REST clone link', async () => {
    const link: Body = (await rest(REPO)).json().links.clone[0].href;
    const result = await git.run(['clone', '-q', link, 'personal'], { user: user.name, password: tokens.personal.token });
    assert.equal(result.code, 0, result.stderr);
    const files = await fs.readdir(path.join(git.dir, 'personal'));
    assert.ok(files.includes('README.md') && files.includes('src'));
    const branches = await git.run(['branch', '-r'], { cwd: path.join(git.dir, 'personal') });
    assert.match(branches.stdout, /origin\/develop/);
    const logged = sandbox.requests.filter((entry) => entry.git);
    assert.ok(logged.some((entry) => entry.status === 401 && entry.credential === undefined));
    assert.ok(logged.some((entry) => entry.status === 200 && entry.credential === tokens.personal.name && entry.auth === 'basic'));
  });

  it('clones with a project token sent as Bearer from the environment, and refuses it as Basic', async () => {
    const result = await gitWithBearer(['clone', '-q', scm('plat', 'service-0003-identity'), 'bearer'], tokens.project.token);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.argv.join(' ').includes(tokens.project.token), false);
    assert.ok(
      sandbox.requests.filter((entry) => entry.git).every((entry) => entry.credential === tokens.project.name && entry.auth === 'bearer'),
    );
    const outside = await gitWithBearer(['clone', '-q', scm('apps', 'web-app'), 'outside'], tokens.project.token);
    assert.notEqual(outside.code, 0);
    const basic = await git.run(['clone', '-q', scm('plat', 'service-0003-identity'), 'basic'], {
      user: 'x-token-auth',
      password: tokens.project.token,
    });
    assert.notEqual(basic.code, 0);
    assert.equal(lastEntry().status, 401);
  });

  it('pushes with write permission and refuses a read-only token', async () => {
    const repo = path.join(git.dir, 'push');
    const credentials = { user: user.name, password: tokens.personal.token };
    assert.equal((await git.run(['clone', '-q', scm('PLAT', 'service-0004-search'), 'push'], credentials)).code, 0);
    await commitFile(repo, 'pushed.txt');
    const pushed = await git.run(['push', '-q', 'origin', 'HEAD:main'], { ...credentials, cwd: repo });
    assert.equal(pushed.code, 0, pushed.stderr);
    const head = (await git.run(['rev-parse', 'HEAD'], { cwd: repo })).stdout.trim();
    const main: Body = (await rest('/projects/PLAT/repos/service-0004-search/branches/default')).json();
    assert.equal(main.latestCommit, head);
    await commitFile(repo, 'refused.txt');
    const refused = await git.run(['push', '-q', 'origin', 'HEAD:main'], { user: user.name, password: tokens.readOnly.token, cwd: repo });
    assert.notEqual(refused.code, 0);
    assert.ok(sandbox.requests.some((entry) => entry.git && entry.status === 403 && entry.credential === tokens.readOnly.name));
    const byProjectToken = await gitWithBearer(['push', '-q', 'origin', 'HEAD:main'], tokens.project.token, repo);
    assert.equal(byProjectToken.code, 0, byProjectToken.stderr);
  });

  it('clones public repositories anonymously and challenges for private ones', async () => {
    const { projectKey, slug } = DATACENTER.publicRepository;
    assert.equal((await git.run(['clone', '-q', scm(projectKey, slug), 'public'])).code, 0);
    const { projectKey: key, slug: secret } = DATACENTER.privateRepository;
    const refused = await probe(`${scm(key.toLowerCase(), secret)}/info/refs?service=git-upload-pack`);
    assert.equal(refused.status, 401);
    assert.equal(refused.headers['www-authenticate'], 'Basic realm="Atlassian Bitbucket"');
  });
});

describe('datacenter sandbox: faults and control', () => {
  it('answers faults with Data Center error documents and Retry-After on 429', async () => {
    sandbox.addFault({ kind: 'rate-limit', match: '/projects', retryAfterSeconds: 7 });
    sandbox.addFault({ kind: 'status', status: 503, match: '/repos' });
    const limited = await rest('/projects');
    assert.equal(limited.headers['retry-after'], '7');
    assertError(limited, 429, 'com.atlassian.bitbucket.ratelimit.RateLimitedException');
    assertError(await rest('/repos'), 503, 'java.lang.IllegalStateException');
    assert.equal((await rest('/projects')).status, 200);
  });

  it('serves the control API under the context path', async () => {
    const info: Body = (await probe(`${sandbox.url}/_sandbox/info`)).json();
    assert.equal(info.restUrl, sandbox.restUrl);
    assert.equal(info.credentials.tokens.project.name, 'plat-ci');
  });
});
