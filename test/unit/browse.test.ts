/** The browse file system's pure parts: where a URI points, the account key, and the per-commit cache's budget. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloudFileLink, cloudRefFromRemoteUrl, toSourceEntry } from '../../src/bitbucket/cloudHost';
import { accountKey, browsePath, mountKey, parseBrowsePath } from '../../src/browse/browseLocation';
import { SourceCache } from '../../src/browse/sourceCache';

describe('browse locations', () => {
  it('keys an account by a short, stable, URI-safe string that differs between accounts', () => {
    const uuid = accountKey('{b7d3c9a1-4e2f-4c8b-9a6d-1f0e3c5a7b92}');
    assert.match(uuid, /^a[0-9a-f]{16}$/);
    assert.equal(accountKey('{b7d3c9a1-4e2f-4c8b-9a6d-1f0e3c5a7b92}'), uuid, 'stable');
    const keys = new Set(['workspace:acme', 'workspace:acmf', '{a}', '{b}', '', 'x'.repeat(300)].map(accountKey));
    assert.equal(keys.size, 6, 'distinct ids, distinct keys');
  });

  it('reads workspace, slug and path from a URI, and refuses what names no repository or walks up', () => {
    assert.deepEqual(parseBrowsePath('a1', '/acme/api/src/main.ts'), {
      accountKey: 'a1',
      repository: { container: 'acme', slug: 'api' },
      path: 'src/main.ts',
    });
    assert.equal(parseBrowsePath('a1', '/acme/api')?.path, '');
    assert.equal(parseBrowsePath('a1', '/acme/api/')?.path, '');
    assert.equal(parseBrowsePath('a1', '/acme'), undefined);
    assert.equal(parseBrowsePath('', '/acme/api'), undefined);
    assert.equal(parseBrowsePath('a1', '/acme/api/docs/../../other'), undefined);
    assert.equal(browsePath({ repository: { container: 'acme', slug: 'api' }, path: 'a/b.md' }), '/acme/api/a/b.md');
    assert.equal(mountKey('a1', { container: 'acme', slug: 'api' }), 'a1/acme/api');
  });
});

describe('source entries from the 2.0 API', () => {
  it('tells directories, files, symlinks, submodules and lfs pointers apart, with attributes as a list or one string', () => {
    assert.deepEqual(toSourceEntry({ type: 'commit_directory', path: 'docs/' }), {
      path: 'docs',
      kind: 'directory',
      size: undefined,
      binary: undefined,
      executable: undefined,
      lfs: undefined,
    });
    assert.equal(toSourceEntry({ type: 'commit_file', path: 'link', attributes: ['link'] }).kind, 'symlink');
    assert.equal(toSourceEntry({ type: 'commit_file', path: 'vendor/lib', attributes: 'subrepository' }).kind, 'submodule');
    const pointer = toSourceEntry({ type: 'commit_file', path: 'big.bin', attributes: ['lfs', 'binary'], size: 131 });
    assert.equal(pointer.kind, 'file');
    assert.equal(pointer.lfs, true);
    assert.equal(pointer.binary, true);
    assert.equal(pointer.size, 131);
    assert.equal(toSourceEntry({ type: 'commit_file', path: 'run.sh', attributes: ['executable'] }).executable, true);
  });
});

describe('SourceCache', () => {
  const file = (bytes: number) => ({ bytes: new Uint8Array(bytes), contentType: 'application/octet-stream' });

  it('gives back what was put, and keeps within its budget by dropping the least recently used', () => {
    const cache = new SourceCache(1_000);
    cache.putFile('a', file(300));
    cache.putFile('b', file(300));
    assert.ok(cache.file('a'), 'a is used, so b is now the oldest');
    cache.putFile('c', file(300));
    assert.ok(cache.size <= 1_000);
    assert.equal(cache.file('b'), undefined, 'the least recently used went');
    assert.ok(cache.file('a'));
    assert.ok(cache.file('c'));
  });

  it('does not keep a file larger than the whole budget, and keeps kinds apart', () => {
    const cache = new SourceCache(1_000);
    cache.putFile('huge', file(5_000));
    assert.equal(cache.file('huge'), undefined);
    assert.equal(cache.size, 0);
    cache.putDirectory('x', [{ path: 'x/a', kind: 'file' }]);
    assert.equal(cache.file('x'), undefined, 'a directory is not a file');
    assert.deepEqual(cache.directory('x'), [{ path: 'x/a', kind: 'file' }]);
  });
});

describe('links to a file and its lines (Cloud)', () => {
  const repository = {
    id: '{1}',
    container: 'acme',
    slug: 'api',
    name: 'api',
    fullName: 'acme/api',
    isPrivate: true,
    webUrl: 'https://bitbucket.org/acme/api',
  };
  const commit = '0123456789abcdef0123456789abcdef01234567';

  it('pins the file view to the commit, with one line or a range in the fragment', () => {
    assert.equal(cloudFileLink(repository, commit, 'src/main.ts'), `https://bitbucket.org/acme/api/src/${commit}/src/main.ts`);
    assert.equal(
      cloudFileLink(repository, commit, 'src/main.ts', { start: 7, end: 7 }),
      `https://bitbucket.org/acme/api/src/${commit}/src/main.ts#lines-7`,
    );
    assert.equal(
      cloudFileLink(repository, commit, 'docs/thé café.md', { start: 3, end: 9 }),
      `https://bitbucket.org/acme/api/src/${commit}/docs/th%C3%A9%20caf%C3%A9.md#lines-3:9`,
    );
  });

  it('makes no link from a web address it would not open, or from something that is not a commit', () => {
    assert.equal(cloudFileLink({ ...repository, webUrl: 'javascript:alert(1)' }, commit, 'a'), undefined);
    assert.equal(cloudFileLink({ ...repository, webUrl: undefined }, commit, 'a'), undefined);
    assert.equal(cloudFileLink(repository, 'main', 'a'), undefined);
    assert.equal(cloudFileLink(repository, '../../evil', 'a'), undefined);
  });

  it('reads the repository of a remote in each form git writes', () => {
    for (const url of [
      'https://bitbucket.org/acme/api.git',
      'https://ann@bitbucket.org/acme/api.git',
      'https://bitbucket.org/ACME/Api',
      'ssh://git@bitbucket.org/acme/api.git',
      'git@bitbucket.org:acme/api.git',
      'git@bitbucket.org:acme/api',
    ]) {
      assert.deepEqual(cloudRefFromRemoteUrl(url), { container: 'acme', slug: 'api' }, url);
    }
    for (const url of ['https://bitbucket.org/acme', 'not a url', 'git@bitbucket.org:acme', '/local/path/repo']) {
      assert.equal(cloudRefFromRemoteUrl(url), undefined, url);
    }
  });
});
