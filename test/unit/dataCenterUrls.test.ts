/**
 * Data Center's addresses read and written without a request: web pages, clone links, git paths and file
 * links with lines, only for the one server (its origin and context path), and what git is given for each
 * kind of token. Pure logic: the host's fetch fails the test if it is ever called.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostedRepository } from '../../src/host/types';
import { DataCenterClient } from '../../src/datacenter/dataCenterClient';
import { DataCenterCredential } from '../../src/datacenter/dataCenterCredential';
import { DataCenterHost } from '../../src/datacenter/dataCenterHost';

const SERVER = 'https://bitbucket.example.com/bitbucket';

function host(credential: Partial<DataCenterCredential> = {}): DataCenterHost {
  const kept: DataCenterCredential = { kind: 'dataCenterToken', serverUrl: SERVER, token: 'BBDC-secret', ...credential };
  const client = new DataCenterClient({
    serverUrl: SERVER,
    token: kept.token,
    fetch: () => assert.fail('no request is needed for an address'),
  });
  return new DataCenterHost(client, kept);
}

const repository: HostedRepository = {
  id: 'dc:7',
  container: 'PLAT',
  slug: 'web-app',
  name: 'web-app',
  fullName: 'PLAT/web-app',
  isPrivate: true,
  webUrl: `${SERVER}/projects/PLAT/repos/web-app/browse`,
};
const COMMIT = '0123456789abcdef0123456789abcdef01234567';

describe('Data Center web locations', () => {
  const dc = host();

  it('reads repository, folder and file pages with the ref and lines they name', () => {
    assert.deepEqual(dc.webLocation(`${SERVER}/projects/plat/repos/Web-App/browse`), {
      repository: { container: 'PLAT', slug: 'web-app' },
      ref: undefined,
      path: undefined,
      lines: undefined,
    });
    assert.deepEqual(
      dc.webLocation(`${SERVER}/projects/PLAT/repos/web-app/browse/src/th%C3%A9%20caf%C3%A9.md?at=refs%2Fheads%2Ffeature%2Fx#12-15`),
      {
        repository: { container: 'PLAT', slug: 'web-app' },
        ref: 'refs/heads/feature/x',
        path: 'src/thé café.md',
        lines: { start: 12, end: 15 },
      },
    );
    assert.deepEqual(dc.webLocation(`${SERVER}/projects/PLAT/repos/web-app/browse/README.md?at=${COMMIT}#7`)?.lines, { start: 7, end: 7 });
    assert.deepEqual(dc.webLocation(`${SERVER}/projects/PLAT/repos/web-app/browse/a.ts#3-4,9`)?.lines, { start: 3, end: 4 });
    assert.deepEqual(dc.webLocation(`${SERVER}/projects/PLAT/repos/web-app/commits/${COMMIT}`), {
      repository: { container: 'PLAT', slug: 'web-app' },
      ref: COMMIT,
    });
    assert.deepEqual(dc.webLocation(`${SERVER}/projects/PLAT/repos/web-app/pull-requests`), {
      repository: { container: 'PLAT', slug: 'web-app' },
    });
  });

  it('names a personal repository by its personal project, and reads clone links', () => {
    assert.deepEqual(dc.webLocation(`${SERVER}/users/jane.doe/repos/notes/browse/todo.md`)?.repository, {
      container: '~JANE.DOE',
      slug: 'notes',
    });
    assert.deepEqual(dc.webLocation(`https://jane@bitbucket.example.com/bitbucket/scm/~jane.doe/notes.git`), {
      repository: { container: '~JANE.DOE', slug: 'notes' },
    });
  });

  it('takes only links to this server: its origin and its context path', () => {
    for (const link of [
      'https://bitbucket.example.com/projects/PLAT/repos/web-app/browse',
      'https://other.example.com/bitbucket/projects/PLAT/repos/web-app/browse',
      'http://bitbucket.example.com/bitbucket/projects/PLAT/repos/web-app/browse',
      `${SERVER}/projects/PLAT`,
      `${SERVER}/dashboard`,
      'not a link',
    ]) {
      assert.equal(dc.webLocation(link), undefined, link);
    }
  });
});

describe('Data Center git remotes', () => {
  const dc = host();

  it('reads https, ssh and scp-like remotes on this server, keys upper-cased', () => {
    const expected = { container: 'PLAT', slug: 'web-app' };
    assert.deepEqual(dc.refFromRemoteUrl(`${SERVER}/scm/plat/web-app.git`), expected);
    assert.deepEqual(dc.refFromRemoteUrl('https://dc-user@bitbucket.example.com/bitbucket/scm/plat/web-app.git'), expected);
    assert.deepEqual(dc.refFromRemoteUrl('ssh://git@bitbucket.example.com:7999/plat/web-app.git'), expected);
    assert.deepEqual(dc.refFromRemoteUrl('git@bitbucket.example.com:plat/web-app.git'), expected);
    assert.deepEqual(dc.refFromRemoteUrl('ssh://git@bitbucket.example.com:7999/~jane/notes.git'), { container: '~JANE', slug: 'notes' });
  });

  it('refuses remotes of other servers or outside the context path', () => {
    for (const remote of [
      'https://bitbucket.org/acme/web-app.git',
      'https://bitbucket.example.com/scm/plat/web-app.git',
      'ssh://git@elsewhere.example.com:7999/plat/web-app.git',
      'git@elsewhere.example.com:plat/web-app.git',
      `${SERVER}/scm/plat/web-app/extra.git`,
      `${SERVER}/scm/plat/..`,
    ]) {
      assert.equal(dc.refFromRemoteUrl(remote), undefined, remote);
    }
  });

  it("reads a git path under the server's context path", () => {
    assert.deepEqual(dc.refFromGitPath('/bitbucket/scm/plat/web-app.git'), { container: 'PLAT', slug: 'web-app' });
    assert.deepEqual(dc.refFromGitPath('bitbucket/scm/~jane/notes.git'), { container: '~JANE', slug: 'notes' });
    assert.equal(dc.refFromGitPath('/scm/plat/web-app.git'), undefined);
    assert.equal(dc.refFromGitPath('/bitbucket/plat/web-app.git'), undefined);
  });
});

describe('Data Center file links', () => {
  const dc = host();

  it('links a file at a commit, with one line as #n and a range as #a-b', () => {
    const browse = `${SERVER}/projects/PLAT/repos/web-app/browse`;
    assert.equal(dc.fileWebLink(repository, COMMIT, 'docs/thé café.md'), `${browse}/docs/th%C3%A9%20caf%C3%A9.md?at=${COMMIT}`);
    assert.equal(dc.fileWebLink(repository, COMMIT, 'README.md', { start: 12, end: 12 }), `${browse}/README.md?at=${COMMIT}#12`);
    assert.equal(dc.fileWebLink(repository, COMMIT, 'README.md', { start: 12, end: 15 }), `${browse}/README.md?at=${COMMIT}#12-15`);
    const written = dc.fileWebLink(repository, COMMIT, 'src/a.ts', { start: 3, end: 9 }) ?? '';
    assert.deepEqual(dc.webLocation(written), {
      repository: { container: 'PLAT', slug: 'web-app' },
      ref: COMMIT,
      path: 'src/a.ts',
      lines: { start: 3, end: 9 },
    });
  });

  it('gives no link without a usable web page or a commit hash', () => {
    assert.equal(dc.fileWebLink({ ...repository, webUrl: undefined }, COMMIT, 'a'), undefined);
    assert.equal(dc.fileWebLink({ ...repository, webUrl: 'javascript:alert(1)' }, COMMIT, 'a'), undefined);
    assert.equal(dc.fileWebLink(repository, 'main', 'a'), undefined);
  });
});

describe('Data Center git credentials', () => {
  it('gives git Basic with the user name for a personal token', () => {
    const personal = host({ tokenScope: 'personal', username: 'dc-user' });
    assert.deepEqual(personal.gitAuth(), { scheme: 'basic', username: 'dc-user', password: 'BBDC-secret' });
    assert.deepEqual(personal.gitCredentials(), { username: 'dc-user', password: 'BBDC-secret' });
  });

  it('gives git a Bearer token for project and repository tokens, and refuses a user name for them', () => {
    for (const credential of [
      { tokenScope: 'project', projectKey: 'PLAT' },
      { tokenScope: 'repository', projectKey: 'APPS', repositorySlug: 'web-app' },
      { tokenScope: 'personal' },
    ] as const) {
      const scoped = host(credential);
      assert.deepEqual(scoped.gitAuth(), { scheme: 'bearer', token: 'BBDC-secret' });
      assert.throws(() => scoped.gitCredentials(), /only as a Bearer header/);
    }
  });
});
