/**
 * Pasted links: what Cloud's link forms name (pure parsing), and how a link's branch, tag or commit is told
 * apart from its path with the host's refs (a stand-in host that counts what it is asked: no socket proves
 * more about this choice; the integration tests open real links against the sandbox).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloudWebLocation } from '../../src/bitbucket/cloudHost';
import { resolveWebLocation } from '../../src/browse/webLocations';
import { InvalidInputError } from '../../src/common/invalidInputError';
import type { BitbucketHost, RefInfo } from '../../src/host/types';

const CLOUD_API = new URL('https://api.bitbucket.org/2.0/');

describe('cloudWebLocation', () => {
  it('reads a repository, a file with lines, a folder, a branch page and a clone link', () => {
    assert.deepEqual(cloudWebLocation('https://bitbucket.org/Acme/Web-App', CLOUD_API), {
      repository: { container: 'acme', slug: 'web-app' },
    });
    assert.deepEqual(cloudWebLocation('https://bitbucket.org/acme/web/src/release/1.0/docs/a%20b.md#lines-3:7', CLOUD_API), {
      repository: { container: 'acme', slug: 'web' },
      refAndPath: 'release/1.0/docs/a b.md',
      lines: { start: 3, end: 7 },
    });
    assert.deepEqual(cloudWebLocation('https://bitbucket.org/acme/web/src/main/#lines-4', CLOUD_API)?.lines, { start: 4, end: 4 });
    assert.deepEqual(cloudWebLocation('https://bitbucket.org/acme/web/branch/feature/x', CLOUD_API), {
      repository: { container: 'acme', slug: 'web' },
      ref: 'feature/x',
    });
    assert.deepEqual(cloudWebLocation('https://ann@bitbucket.org/acme/web.git', CLOUD_API), {
      repository: { container: 'acme', slug: 'web' },
    });
  });

  it('refuses links of other hosts, other schemes and no repository', () => {
    for (const url of [
      'https://example.com/acme/web',
      'https://bitbucket.org.example.com/acme/web',
      'http://bitbucket.org/acme/web',
      'https://bitbucket.org/acme',
      'not a link',
      'https://bitbucket.org/acme/%E0%A4%A/src',
    ]) {
      assert.equal(cloudWebLocation(url, CLOUD_API), undefined, url);
    }
  });

  it("takes the API's own origin for a proxy or the sandbox", () => {
    const local = new URL('http://127.0.0.1:7990/2.0/');
    assert.deepEqual(cloudWebLocation('http://127.0.0.1:7990/acme/web', local)?.repository, { container: 'acme', slug: 'web' });
    assert.equal(cloudWebLocation('http://127.0.0.1:7991/acme/web', local), undefined, 'another port is another host');
  });
});

/** A host that knows some branches and tags, and records every name it is asked to search for. */
function hostWith(refs: { branches?: string[]; tags?: string[] }) {
  const asked: string[] = [];
  const commitOf = (name: string) => `c0ffee${Buffer.from(name).toString('hex')}`.slice(0, 40).padEnd(40, '0');
  const host = {
    refs: async (_ref: unknown, kind: 'branch' | 'tag', options: { nameContains?: string } = {}): Promise<RefInfo[]> => {
      asked.push(`${kind}:${options.nameContains ?? ''}`);
      const names = (kind === 'branch' ? refs.branches : refs.tags) ?? [];
      return names
        .filter((name) => name.includes(options.nameContains ?? ''))
        .slice(0, 50)
        .map((name) => ({ name, kind, commit: commitOf(name) }));
    },
    mainCommit: async () => 'f'.repeat(40),
  } as unknown as BitbucketHost;
  return { host, asked, commitOf };
}

const repository = { container: 'acme', slug: 'web' };

describe('resolveWebLocation', () => {
  it('takes the longest run of segments that names a branch, in one request', async () => {
    const { host, asked, commitOf } = hostWith({ branches: ['release', 'release/1.0', 'main'] });
    const resolved = await resolveWebLocation(host, { repository, refAndPath: 'release/1.0/docs/guide.md' });
    assert.deepEqual(resolved, { commit: commitOf('release/1.0'), ref: 'release/1.0', refKind: 'branch', path: 'docs/guide.md' });
    assert.deepEqual(asked, ['branch:release']);
  });

  it('falls back to tags, then to a commit hash', async () => {
    const { host, commitOf } = hostWith({ branches: ['main'], tags: ['v1.0'] });
    assert.deepEqual(await resolveWebLocation(host, { repository, refAndPath: 'v1.0/README.md' }), {
      commit: commitOf('v1.0'),
      ref: 'v1.0',
      refKind: 'tag',
      path: 'README.md',
    });
    assert.deepEqual(await resolveWebLocation(host, { repository, refAndPath: 'abc1234/src' }), { commit: 'abc1234', path: 'src' });
  });

  it('finds a branch beyond the first page when many share its first segment', async () => {
    const many = Array.from({ length: 80 }, (_, index) => `feature/f${index}`);
    const { host, asked } = hostWith({ branches: [...many, 'feature/zz/deep'] });
    const resolved = await resolveWebLocation(host, { repository, refAndPath: 'feature/zz/deep/a/b.txt' });
    assert.equal(resolved.ref, 'feature/zz/deep');
    assert.equal(resolved.path, 'a/b.txt');
    assert.deepEqual(asked.slice(0, 3), ['branch:feature', 'branch:feature/zz/deep/a/b.txt', 'branch:feature/zz/deep/a']);
  });

  it('says which name is not a branch, tag or commit', async () => {
    const { host } = hostWith({ branches: ['main'] });
    await assert.rejects(
      resolveWebLocation(host, { repository, refAndPath: 'nope/README.md' }),
      (error: unknown) => error instanceof InvalidInputError && /acme\/web has no branch, tag or commit "nope"/.test(error.message),
    );
  });

  it("reads Data Center's separate ref (refs/heads, refs/tags or a bare name) and the main branch", async () => {
    const { host, commitOf } = hostWith({ branches: ['feature/x'], tags: ['v2'] });
    assert.deepEqual(await resolveWebLocation(host, { repository, ref: 'refs/heads/feature/x', path: '/src/a.ts' }), {
      commit: commitOf('feature/x'),
      ref: 'feature/x',
      refKind: 'branch',
      path: 'src/a.ts',
    });
    assert.equal((await resolveWebLocation(host, { repository, ref: 'refs/tags/v2' })).refKind, 'tag');
    assert.equal((await resolveWebLocation(host, { repository, ref: 'v2' })).ref, 'v2');
    assert.deepEqual(await resolveWebLocation(host, { repository }), { commit: 'f'.repeat(40), path: '' });
  });
});
