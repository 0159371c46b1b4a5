/**
 * Browsing a repository without cloning it, against the sandbox over real sockets: the `src` root redirect,
 * directory pages (the 1,000-file folder followed through `next`), max_depth, q and sort, format=meta, raw
 * bytes and their content types, each special entry of demo-user/special-files, branches and tags, cloning
 * a chosen branch, and what is refused (unknown names, path traversal, missing scopes, private repositories).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { createGitProbe, GitProbe, probe, ProbeOptions, ProbeResponse } from '../sandbox/probe';
import { DEMO, Sandbox, SPECIAL_FILES, startSandbox } from '../sandbox/server';
import {
  lfsPointer,
  manyFileContent,
  manyFileName,
  SPECIAL_BUILD_SCRIPT,
  SPECIAL_GITMODULES,
  SPECIAL_GUIDE,
  SPECIAL_PNG_SIZE,
  SPECIAL_README,
  specialBinary,
  specialLfsObject,
  specialPng,
} from '../sandbox/special-repository';

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

/** A parsed JSON body that the tests pick apart freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

const demo: ProbeOptions = { basic: { user: DEMO.email, password: DEMO.apiToken } };
const REPO = `/repositories/${SPECIAL_FILES.workspace}/${SPECIAL_FILES.slug}`;
const HELLO = `/repositories/${SPECIAL_FILES.submoduleRepository.workspace}/${SPECIAL_FILES.submoduleRepository.slug}`;
const ROOT_ENTRIES = [
  '.gitattributes',
  '.gitmodules',
  'README.md',
  'VERSION',
  'assets',
  'bin',
  'deep',
  'docs',
  'empty.txt',
  'images',
  'link-to-readme',
  'many-files',
  'scripts',
  'vendor',
];

function api(pathAndQuery: string, options: ProbeOptions = demo): Promise<ProbeResponse> {
  return probe(`${sandbox.apiUrl}${pathAndQuery}`, options);
}

async function json(pathAndQuery: string, options: ProbeOptions = demo): Promise<Body> {
  const response = await api(pathAndQuery, options);
  assert.equal(response.status, 200, `${pathAndQuery}: ${response.text}`);
  return response.json();
}

/** Every page of a listing, following `next` as an opaque URL. */
async function allPages(pathAndQuery: string): Promise<Body[]> {
  const pages: Body[] = [];
  let url: string | undefined = `${sandbox.apiUrl}${pathAndQuery}`;
  while (url) {
    const response = await probe(url, demo);
    assert.equal(response.status, 200, url);
    const page = response.json();
    pages.push(page);
    url = page.next;
    assert.ok(pages.length <= 1000, 'next never ends');
  }
  return pages;
}

async function branchHash(name: string, repository = REPO): Promise<string> {
  return (await json(`${repository}/refs/branches/${name}`)).target.hash;
}

const paths = (page: { values: Array<{ path: string }> }): string[] => page.values.map((value) => value.path);

function assertError(response: ProbeResponse, status: number, what: string): void {
  assert.equal(response.status, status, `${what}: ${response.text}`);
  const body = response.json();
  assert.equal(body.type, 'error', what);
  assert.equal(typeof body.error.message, 'string', what);
}

describe('sandbox src: the root and directory listings', () => {
  it('redirects /src to the root directory at the main branch head, keeping the query', async () => {
    const main = await branchHash('main');
    const response = await api(`${REPO}/src?pagelen=20&fields=values.path,next`);
    assert.equal(response.status, 302);
    assert.equal(response.headers.location, `${sandbox.apiUrl}${REPO}/src/${main}/?pagelen=20&fields=values.path,next`);
    assert.equal(response.body.length, 0);
    const entries = sandbox.requests.slice(-1)[0];
    assert.equal(entries.status, 302);
    assert.equal(entries.path, `/2.0${REPO}/src`);
    const followed = await probe(response.headers.location as string, demo);
    assert.equal(followed.status, 200);
    assert.deepEqual(paths(followed.json()), ROOT_ENTRIES);
  });

  it('names the main branch as the repository object does, master included, in existing repositories', async () => {
    const masters = await json(`/repositories/acme?q=${encodeURIComponent('mainbranch.name = "master"')}`);
    const master = masters.values[0];
    assert.equal(master.mainbranch.name, 'master');
    const branches = await json(`/repositories/acme/${master.slug}/refs/branches`);
    assert.deepEqual(
      branches.values.map((branch: { name: string }) => branch.name),
      ['master'],
    );
    const redirect = await api(`/repositories/acme/${master.slug}/src`);
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.location, `${sandbox.apiUrl}/repositories/acme/${master.slug}/src/${branches.values[0].target.hash}/`);
    const hello = await json(HELLO);
    assert.equal(hello.mainbranch.name, 'main');
    assert.deepEqual(paths(await json(`${HELLO}/src/main/`)), ['.gitignore', 'README.md', 'src']);
    assert.deepEqual(paths(await json(`${HELLO}/src/main/src/`)), ['src/main.js']);
    const special = await json(REPO);
    assert.equal(special.mainbranch.name, SPECIAL_FILES.mainBranch);
    assert.equal(special.is_private, true);
  });

  it('lists a directory in git order, files and directories shaped as the spec says', async () => {
    const main = await branchHash('main');
    const page = await json(`${REPO}/src/${main}/?pagelen=100`);
    assert.deepEqual(paths(page), ROOT_ENTRIES);
    assert.equal(page.size, ROOT_ENTRIES.length);
    assert.equal(page.page, 1);
    assert.equal(page.pagelen, 100);
    assert.equal(page.next, undefined);
    const readme = page.values.find((value: { path: string }) => value.path === 'README.md');
    assert.deepEqual(
      { type: readme.type, size: readme.size, attributes: readme.attributes, escaped_path: readme.escaped_path, mimetype: readme.mimetype },
      {
        type: 'commit_file',
        size: Buffer.byteLength(SPECIAL_README.main),
        attributes: [],
        escaped_path: 'README.md',
        mimetype: 'text/plain',
      },
    );
    assert.equal(readme.commit.type, 'commit');
    assert.equal(readme.commit.hash, main);
    assert.equal(readme.links.self.href, `${sandbox.apiUrl}${REPO}/src/${main}/README.md`);
    assert.equal(readme.links.meta.href, `${sandbox.apiUrl}${REPO}/src/${main}/README.md?format=meta`);
    const docs = page.values.find((value: { path: string }) => value.path === 'docs');
    assert.equal(docs.type, 'commit_directory');
    assert.equal(docs.commit.hash, main);
    assert.equal(docs.size, undefined);
    assert.equal(docs.links.self.href, `${sandbox.apiUrl}${REPO}/src/${main}/docs/`);
    const inside = await probe(docs.links.self.href, demo);
    assert.deepEqual(paths(inside.json()), [SPECIAL_FILES.markdownWithImage, SPECIAL_FILES.unicodeFile]);
  });

  it('pages through the 1,000-file folder by following next', async () => {
    const expected = Array.from({ length: SPECIAL_FILES.manyFilesCount }, (_, i) => `many-files/${manyFileName(i + 1)}`);
    for (const pagelen of [10, 100]) {
      const pages = await allPages(`${REPO}/src/main/${SPECIAL_FILES.manyFilesDirectory}/?pagelen=${pagelen}`);
      assert.equal(pages.length, Math.ceil(SPECIAL_FILES.manyFilesCount / pagelen), `pagelen ${pagelen}`);
      assert.deepEqual(pages.flatMap(paths), expected);
      pages.forEach((page, index) => {
        assert.equal(page.page, index + 1);
        assert.equal(page.size, SPECIAL_FILES.manyFilesCount);
        assert.equal(page.values.length, pagelen);
      });
      assert.equal(pages.at(-1).next, undefined);
    }
    const past = await json(`${REPO}/src/main/many-files/?page=101`);
    assert.deepEqual(past.values, []);
    assertError(await api(`${REPO}/src/main/many-files/?pagelen=5`), 400, 'pagelen 5');
  });

  it('descends breadth first to max_depth', async () => {
    const levels = (count: number): string[] =>
      Array.from({ length: count }, (_, i) =>
        SPECIAL_FILES.deepDirectory
          .split('/')
          .slice(0, i + 2)
          .join('/'),
      );
    assert.deepEqual(paths(await json(`${REPO}/src/main/deep/`)), levels(1));
    assert.deepEqual(paths(await json(`${REPO}/src/main/deep/?max_depth=3`)), levels(3));
    const twelve = await json(`${REPO}/src/main/deep/?max_depth=${SPECIAL_FILES.deepLevels}&pagelen=100`);
    assert.deepEqual(paths(twelve), levels(SPECIAL_FILES.deepLevels));
    const all = await json(`${REPO}/src/main/deep/?max_depth=${SPECIAL_FILES.deepLevels + 1}&pagelen=100`);
    assert.deepEqual(paths(all), [...levels(SPECIAL_FILES.deepLevels), SPECIAL_FILES.deepFile]);
    assert.equal(all.values.at(-1).type, 'commit_file');
    const root = await json(`${REPO}/src/main/?max_depth=2&pagelen=100`);
    const depths = paths(root).map((entry) => entry.split('/').length);
    assert.deepEqual(
      depths.slice(0, ROOT_ENTRIES.length),
      ROOT_ENTRIES.map(() => 1),
    );
    assert.ok(depths.slice(ROOT_ENTRIES.length).every((depth) => depth === 2));
    assert.equal(root.size, ROOT_ENTRIES.length + 1 + 1 + 1 + 2 + 1 + SPECIAL_FILES.manyFilesCount + 1 + 1);
    for (const bad of ['0', '-1', 'two', '1.5']) {
      assertError(await api(`${REPO}/src/main/?max_depth=${bad}`), 400, `max_depth=${bad}`);
    }
  });

  it('filters with q and sorts with sort, as the spec narrative shows', async () => {
    const binary = await json(`${REPO}/src/main/?max_depth=3&q=${encodeURIComponent('attributes = "binary"')}`);
    assert.deepEqual(paths(binary), [SPECIAL_FILES.binary, SPECIAL_FILES.image]);
    const big = await json(`${REPO}/src/main/?max_depth=3&q=${encodeURIComponent('size > 1024 and attributes = "binary"')}`);
    assert.deepEqual(paths(big), [SPECIAL_FILES.binary, SPECIAL_FILES.image]);
    const notBinary = await json(`${REPO}/src/main/images/?q=${encodeURIComponent('attributes != "binary"')}`);
    assert.deepEqual(paths(notBinary), []);
    const plain = await json(`${REPO}/src/main/?q=${encodeURIComponent('attributes = null AND type = "commit_file"')}&pagelen=100`);
    assert.deepEqual(paths(plain), ['.gitattributes', '.gitmodules', 'README.md', 'VERSION', 'empty.txt']);
    const directories = await json(`${REPO}/src/main/?q=${encodeURIComponent('type = "commit_directory"')}&pagelen=100`);
    assert.deepEqual(paths(directories), ['assets', 'bin', 'deep', 'docs', 'images', 'many-files', 'scripts', 'vendor']);
    const bySize = await json(`${REPO}/src/main/?sort=-size&pagelen=100`);
    assert.deepEqual(paths(bySize).slice(0, 6), ['README.md', '.gitmodules', '.gitattributes', 'link-to-readme', 'VERSION', 'empty.txt']);
    assert.ok(bySize.values.slice(6).every((value: { type: string }) => value.type === 'commit_directory'));
    const byPath = await json(`${REPO}/src/main/many-files/?sort=-path`);
    assert.equal(byPath.values[0].path, `many-files/${manyFileName(SPECIAL_FILES.manyFilesCount)}`);
    assertError(await api(`${REPO}/src/main/?q=${encodeURIComponent('colour = "blue"')}`), 400, 'unknown field');
    assertError(await api(`${REPO}/src/main/?sort=colour`), 400, 'unknown sort field');
  });

  it('keeps only the fields asked for', async () => {
    const page = await json(`${REPO}/src/main/many-files/?fields=next,values.path,values.attributes`);
    assert.deepEqual(Object.keys(page).sort(), ['next', 'values']);
    assert.deepEqual(page.values[0], { path: `many-files/${manyFileName(1)}`, attributes: [] });
    const meta = await json(`${REPO}/src/main/${SPECIAL_FILES.image}?format=meta&fields=size,attributes`);
    assert.deepEqual(meta, { size: specialPng().length, attributes: ['binary'] });
  });
});

describe('sandbox src: files', () => {
  it('serves raw bytes byte for byte, with a content type from the extension and a length', async () => {
    const cases: Array<[string, Buffer, string]> = [
      [SPECIAL_FILES.readme, Buffer.from(SPECIAL_README.main), 'text/plain'],
      [SPECIAL_FILES.image, specialPng(), 'image/png'],
      [SPECIAL_FILES.binary, specialBinary(), 'application/octet-stream'],
      [SPECIAL_FILES.emptyFile, Buffer.alloc(0), 'text/plain'],
      ['.gitmodules', Buffer.from(SPECIAL_GITMODULES), 'text/plain'],
      [SPECIAL_FILES.markdownWithImage, Buffer.from(SPECIAL_GUIDE), 'text/plain'],
      [`many-files/${manyFileName(731)}`, Buffer.from(manyFileContent(731)), 'text/plain'],
      [SPECIAL_FILES.versionFile, Buffer.from('1.0.0\n'), 'application/octet-stream'],
    ];
    for (const [file, bytes, type] of cases) {
      const response = await api(`${REPO}/src/main/${file.split('/').map(encodeURIComponent).join('/')}`);
      assert.equal(response.status, 200, file);
      assert.ok(response.body.equals(bytes), `${file}: bytes differ`);
      assert.equal(response.headers['content-type'], type, file);
      assert.equal(response.headers['content-length'], String(bytes.length), file);
      assert.equal(response.headers['content-disposition'], 'attachment', file);
      assert.equal(sandbox.requests.at(-1)?.bytes, bytes.length, file);
    }
    const unicode = await api(`${REPO}/src/main/docs/th%C3%A9%20caf%C3%A9.md`);
    assert.equal(unicode.status, 200);
    assert.match(unicode.text, /^# Thé café\n/);
  });

  it('serves a real PNG that the markdown file refers to', async () => {
    const guide = (await api(`${REPO}/src/main/${SPECIAL_FILES.markdownWithImage}`)).text;
    const reference = /!\[[^\]]*\]\(([^)]+)\)/.exec(guide)?.[1];
    assert.equal(reference, '../images/logo.png');
    const resolved = path.posix.join(path.posix.dirname(SPECIAL_FILES.markdownWithImage), reference);
    const png = (await api(`${REPO}/src/main/${resolved}`)).body;
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
    assert.equal(png.readUInt32BE(16), SPECIAL_PNG_SIZE);
    assert.equal(png.readUInt32BE(20), SPECIAL_PNG_SIZE);
    const idatLength = png.readUInt32BE(33);
    assert.equal(png.subarray(37, 41).toString('ascii'), 'IDAT');
    const pixels = inflateSync(png.subarray(41, 41 + idatLength));
    assert.equal(pixels.length, SPECIAL_PNG_SIZE * (1 + SPECIAL_PNG_SIZE * 3));
  });

  it('answers If-None-Match with 304, with an ETag from content and attributes, not from the commit', async () => {
    const first = await api(`${REPO}/src/main/${SPECIAL_FILES.image}`);
    const etag = first.headers.etag as string;
    assert.match(etag, /^"[0-9a-f]{40}"$/);
    const again = await api(`${REPO}/src/main/${SPECIAL_FILES.image}`, { ...demo, headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    const older = await api(`${REPO}/src/v0.10/${SPECIAL_FILES.image}`);
    assert.equal(older.headers.etag, etag);
    const readme = await api(`${REPO}/src/main/${SPECIAL_FILES.readme}`, { ...demo, headers: { 'if-none-match': etag } });
    assert.equal(readme.status, 200);
    assert.notEqual(readme.headers.etag, etag);
  });

  it('describes files and directories with format=meta', async () => {
    const main = await branchHash('main');
    const readme = await json(`${REPO}/src/main/${SPECIAL_FILES.readme}?format=meta`);
    assert.deepEqual(
      { type: readme.type, path: readme.path, size: readme.size, attributes: readme.attributes, commit: readme.commit.hash },
      { type: 'commit_file', path: 'README.md', size: Buffer.byteLength(SPECIAL_README.main), attributes: [], commit: main },
    );
    assert.equal(readme.links.self.href, `${sandbox.apiUrl}${REPO}/src/${main}/README.md`);
    const docs = await json(`${REPO}/src/main/docs/?format=meta`);
    assert.deepEqual(
      { type: docs.type, path: docs.path, values: docs.values, self: docs.links.self.href },
      { type: 'commit_directory', path: 'docs', values: undefined, self: `${sandbox.apiUrl}${REPO}/src/${main}/docs/` },
    );
    const root = await json(`${REPO}/src/main/?format=meta`);
    assert.deepEqual({ type: root.type, path: root.path }, { type: 'commit_directory', path: '' });
    const unicode = await json(`${REPO}/src/main/docs/th%C3%A9%20caf%C3%A9.md?format=meta`);
    assert.equal(unicode.path, SPECIAL_FILES.unicodeFile);
    assert.equal(unicode.escaped_path, '"docs/th\\303\\251 caf\\303\\251.md"');
    assert.equal(unicode.links.self.href, `${sandbox.apiUrl}${REPO}/src/${main}/docs/th%C3%A9%20caf%C3%A9.md`);
    assertError(await api(`${REPO}/src/main/README.md?format=rendered`), 400, 'format=rendered');
  });

  it('marks each special entry with the attributes the spec lists, and serves what each one holds', async () => {
    const meta = async (file: string): Promise<Body> => json(`${REPO}/src/main/${file}?format=meta`);
    assert.deepEqual((await meta(SPECIAL_FILES.image)).attributes, ['binary']);
    assert.deepEqual((await meta(SPECIAL_FILES.binary)).attributes, ['binary']);
    assert.deepEqual((await meta(SPECIAL_FILES.readme)).attributes, []);

    const link = await meta(SPECIAL_FILES.symlink);
    assert.deepEqual([link.attributes, link.size], [['link'], SPECIAL_FILES.symlinkTarget.length]);
    assert.equal((await api(`${REPO}/src/main/${SPECIAL_FILES.symlink}`)).text, SPECIAL_FILES.symlinkTarget);

    const script = await meta(SPECIAL_FILES.executable);
    assert.deepEqual(script.attributes, ['executable']);
    assert.equal((await api(`${REPO}/src/main/${SPECIAL_FILES.executable}`)).text, SPECIAL_BUILD_SCRIPT);

    const helloHead = await branchHash('main', HELLO);
    const submodule = await meta(SPECIAL_FILES.submodule);
    assert.deepEqual([submodule.type, submodule.attributes, submodule.size], ['commit_file', ['subrepository'], 40]);
    assert.equal((await api(`${REPO}/src/main/${SPECIAL_FILES.submodule}`)).text, helloHead);
    assert.match((await api(`${REPO}/src/main/.gitmodules`)).text, /url = \.\.\/hello-world\.git/);
    assertError(await api(`${REPO}/src/main/${SPECIAL_FILES.submodule}/README.md`), 404, 'inside a submodule');
    assertError(await api(`${REPO}/src/main/${SPECIAL_FILES.symlink}/x`), 404, 'through a symbolic link');

    const object = specialLfsObject();
    const lfs = await meta(SPECIAL_FILES.lfs);
    assert.deepEqual([lfs.attributes, lfs.size], [['lfs'], object.size]);
    assert.match((await api(`${REPO}/src/main/.gitattributes`)).text, /^\*\.psd filter=lfs diff=lfs merge=lfs -text$/m);
    const redirect = await api(`${REPO}/src/main/${SPECIAL_FILES.lfs}`);
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.location, `${sandbox.url}/_media/lfs/${object.oid}`);
    const media = await probe(redirect.headers.location as string);
    assert.equal(media.status, 200);
    assert.equal(media.body.length, object.size);
    assert.equal(createHash('sha256').update(media.body).digest('hex'), object.oid);
    assert.equal((await probe(`${sandbox.url}/_media/lfs/${'0'.repeat(64)}`)).status, 404);
  });
});

describe('sandbox src: branches, tags and commits', () => {
  it('lists branches in git order, filters with q and sorts with sort', async () => {
    const page = await json(`${REPO}/refs/branches`);
    assert.deepEqual(
      page.values.map((branch: { name: string }) => branch.name),
      SPECIAL_FILES.branches,
    );
    assert.equal(page.size, 3);
    const main = page.values.find((branch: { name: string }) => branch.name === 'main');
    assert.equal(main.type, 'branch');
    assert.equal(main.target.type, 'commit');
    assert.match(main.target.hash, /^[0-9a-f]{40}$/);
    assert.equal(main.target.date, '2024-03-04T09:00:00+00:00');
    assert.equal(main.target.message, 'List the branches in the README\n');
    assert.equal(main.target.author.raw, `${DEMO.displayName} <${DEMO.email}>`);
    assert.equal(main.target.author.user.nickname, DEMO.username);
    assert.ok(main.merge_strategies.includes(main.default_merge_strategy));
    const release = page.values.find((branch: { name: string }) => branch.name === 'release/1.0');
    assert.equal(release.links.self.href, `${sandbox.apiUrl}${REPO}/refs/branches/release/1.0`);

    const names = async (query: string): Promise<string[]> =>
      (await json(`${REPO}/refs/branches?${query}`)).values.map((branch: { name: string }) => branch.name);
    assert.deepEqual(await names(`q=${encodeURIComponent('name ~ "rel"')}`), ['release/1.0']);
    assert.deepEqual(await names(`q=${encodeURIComponent('name = "main" OR name = "develop"')}`), ['develop', 'main']);
    assert.deepEqual(await names('sort=-name'), ['release/1.0', 'main', 'develop']);
    assert.deepEqual(await names('sort=-target.date'), ['release/1.0', 'develop', 'main']);
    assert.deepEqual(await names(`q=${encodeURIComponent('target.date < 2024-03-04T12:00:00Z')}`), ['main']);
    assertError(await api(`${REPO}/refs/branches?q=${encodeURIComponent('colour = "red"')}`), 400, 'bad q');
    assertError(await api(`${REPO}/refs/branches?sort=colour`), 400, 'bad sort');
    const narrow = await json(`${REPO}/refs/branches?fields=values.name,values.target.hash`);
    assert.deepEqual(Object.keys(narrow.values[0]).sort(), ['name', 'target']);
  });

  it('gets one branch by name, slashes included, and 404s unknown ones', async () => {
    const slash = await json(`${REPO}/refs/branches/release/1.0`);
    const encoded = await json(`${REPO}/refs/branches/release%2F1.0`);
    assert.equal(slash.name, 'release/1.0');
    assert.deepEqual(encoded, slash);
    assertError(await api(`${REPO}/refs/branches/nope`), 404, 'unknown branch');
    assertError(await api(`${REPO}/refs/branches/v1.0`), 404, 'a tag is not a branch');
  });

  it('lists tags: natural order with sort=name, and message, date and tagger on the annotated one', async () => {
    const names = async (query = ''): Promise<string[]> =>
      (await json(`${REPO}/refs/tags${query}`)).values.map((tag: { name: string }) => tag.name);
    assert.deepEqual(await names(), SPECIAL_FILES.tags);
    assert.deepEqual(await names('?sort=name'), ['v0.9', 'v0.10', 'v1.0']);
    assert.deepEqual(await names('?sort=-name'), ['v1.0', 'v0.10', 'v0.9']);
    const annotated = await json(`${REPO}/refs/tags/${SPECIAL_FILES.annotatedTag}`);
    assert.equal(annotated.type, 'tag');
    assert.equal(annotated.message, 'Version 1.0\n\nThe first release with every special entry.\n');
    assert.equal(annotated.date, '2024-03-03T10:00:00+00:00');
    assert.equal(annotated.tagger.raw, `${DEMO.displayName} <${DEMO.email}>`);
    const lightweight = await json(`${REPO}/refs/tags/v0.9`);
    assert.deepEqual([lightweight.message, lightweight.date, lightweight.tagger], [undefined, undefined, undefined]);
    const develop = await json(`${REPO}/refs/branches/develop`);
    assert.equal(develop.target.parents[0].hash, annotated.target.hash);
    assertError(await api(`${REPO}/refs/tags/v2.0`), 404, 'unknown tag');
  });

  it('shows each branch, tag and hash its own content', async () => {
    const raw = async (commit: string, file: string): Promise<ProbeResponse> => api(`${REPO}/src/${commit}/${file}`);
    for (const name of ['main', 'develop', 'v1.0', 'v0.9'] as const) {
      assert.equal((await raw(name, SPECIAL_FILES.readme)).text, SPECIAL_README[name], name);
    }
    const release = await branchHash('release/1.0');
    assert.equal((await raw(release, SPECIAL_FILES.versionFile)).text, '1.0.1\n');
    assert.equal((await raw(release, SPECIAL_FILES.releaseOnlyFile)).status, 200);
    assert.equal((await raw('main', SPECIAL_FILES.versionFile)).text, '1.0.0\n');
    assert.equal((await raw('main', SPECIAL_FILES.releaseOnlyFile)).status, 404);
    assert.equal((await raw('v0.9', SPECIAL_FILES.versionFile)).status, 404);
    assert.equal((await raw('develop', SPECIAL_FILES.developOnlyFile)).status, 200);
    assert.equal((await raw('develop', SPECIAL_FILES.emptyFile)).status, 404);
    assert.equal((await raw('v0.9', SPECIAL_FILES.image)).status, 404);
    assert.equal((await raw('v0.10', SPECIAL_FILES.image)).status, 200);

    const develop = await branchHash('develop');
    const short = await json(`${REPO}/src/${develop.slice(0, 7)}/?pagelen=100`);
    assert.ok(short.values.every((value: { commit: { hash: string } }) => value.commit.hash === develop));
    assert.ok(paths(short).includes('src'));
    assert.ok(!paths(short).includes(SPECIAL_FILES.emptyFile));
    // One path segment names the commit: a branch with a slash is reached through its hash.
    assertError(await raw('release/1.0', SPECIAL_FILES.versionFile), 404, 'release/1.0 as two segments');
    assertError(await raw('release%2F1.0', SPECIAL_FILES.versionFile), 404, 'release%2F1.0');
  });

  it('clones a chosen branch whose files match the API, and lists a pushed branch until reset', async () => {
    const credentials = { user: DEMO.gitUsername, password: DEMO.apiToken };
    const url = `${sandbox.url}/${SPECIAL_FILES.workspace}/${SPECIAL_FILES.slug}.git`;
    const dir = path.join(git.dir, 'special-develop');
    const clone = await git.run(['clone', '-q', '--branch', 'develop', '--single-branch', url, dir], credentials);
    assert.equal(clone.code, 0, clone.stderr);
    const readme = await fs.readFile(path.join(dir, SPECIAL_FILES.readme));
    assert.ok(readme.equals((await api(`${REPO}/src/develop/${SPECIAL_FILES.readme}`)).body));
    assert.equal(await fs.readFile(path.join(dir, SPECIAL_FILES.lfs), 'utf8'), lfsPointer(specialLfsObject()));
    const modes = (await git.run(['-C', dir, 'ls-files', '-s'], credentials)).stdout;
    assert.match(modes, new RegExp(`^120000 \\S+ 0\\t${SPECIAL_FILES.symlink}$`, 'm'));
    assert.match(modes, new RegExp(`^100755 \\S+ 0\\t${SPECIAL_FILES.executable}$`, 'm'));
    assert.match(modes, new RegExp(`^160000 ${await branchHash('main', HELLO)} 0\\t${SPECIAL_FILES.submodule}$`, 'm'));
    const submodule = await git.run(['-C', dir, 'submodule', 'update', '--init'], credentials);
    assert.equal(submodule.code, 0, submodule.stderr);
    assert.match(await fs.readFile(path.join(dir, SPECIAL_FILES.submodule, 'README.md'), 'utf8'), /^# hello-world/);

    const release = path.join(git.dir, 'special-release');
    assert.equal((await git.run(['clone', '-q', '--branch', 'release/1.0', url, release], credentials)).code, 0);
    assert.equal(await fs.readFile(path.join(release, SPECIAL_FILES.versionFile), 'utf8'), '1.0.1\n');

    await fs.writeFile(path.join(dir, 'pushed.txt'), 'pushed\n');
    for (const args of [
      ['checkout', '-q', '-b', 'feature/pushed'],
      ['add', 'pushed.txt'],
      ['commit', '-qm', 'Push a branch'],
    ]) {
      const result = await git.run(['-C', dir, ...args], credentials);
      assert.equal(result.code, 0, result.stderr);
    }
    const push = await git.run(['-C', dir, 'push', '-q', 'origin', 'feature/pushed'], credentials);
    assert.equal(push.code, 0, push.stderr);
    const names = async (): Promise<string[]> =>
      (await json(`${REPO}/refs/branches`)).values.map((branch: { name: string }) => branch.name);
    assert.deepEqual(await names(), ['develop', 'feature/pushed', 'main', 'release/1.0']);
    const pushed = await branchHash('feature/pushed');
    assert.equal((await api(`${REPO}/src/${pushed}/pushed.txt`)).text, 'pushed\n');
    assert.equal((await probe(`${sandbox.url}/_sandbox/reset`, { method: 'POST' })).status, 204);
    assert.deepEqual(await names(), SPECIAL_FILES.branches);
    assertError(await api(`${REPO}/src/${pushed}/pushed.txt`), 404, 'pushed commit after reset');
  });
});

describe('sandbox src: refusals', () => {
  it('answers unknown commits, paths and repositories, and the root without its slash, with 404', async () => {
    const main = await branchHash('main');
    for (const [what, route] of [
      ['unknown hash', `${REPO}/src/${'f'.repeat(40)}/`],
      ['unknown short hash', `${REPO}/src/fffffff/`],
      ['unknown branch', `${REPO}/src/nope/`],
      ['too short a hash', `${REPO}/src/${main.slice(0, 6)}/`],
      ['unknown file', `${REPO}/src/main/nope.txt`],
      ['unknown directory', `${REPO}/src/main/nope/`],
      ['below a file', `${REPO}/src/main/README.md/x`],
      ['the root without a slash', `${REPO}/src/main`],
      ['unknown repository', '/repositories/demo-user/missing/src'],
      ['unknown repository listing', '/repositories/demo-user/missing/src/main/'],
      ['unknown workspace', '/repositories/nobody/missing/refs/branches'],
    ]) {
      assertError(await api(route), 404, what);
    }
    const created = await api('/repositories/demo-user/empty-for-src', {
      ...demo,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scm: 'git', is_private: true }),
    });
    assert.equal(created.status, 200);
    assertError(await api('/repositories/demo-user/empty-for-src/src'), 404, 'empty repository');
    assert.deepEqual((await json('/repositories/demo-user/empty-for-src/refs/branches')).values, []);
  });

  it('refuses path traversal and option-like or revision-like names', async () => {
    const marker = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'sandbox-src-')), 'written-by-git');
    for (const [what, route] of [
      ['encoded ../ after a directory', `${REPO}/src/main/docs%2F..%2F..%2F..%2Fetc%2Fpasswd`],
      ['encoded ../ first', `${REPO}/src/main/..%2FREADME.md`],
      ['encoded ../ back into the root', `${REPO}/src/main/docs%2F..%2FREADME.md`],
      ['encoded ./', `${REPO}/src/main/.%2FREADME.md`],
      ['a doubled slash', `${REPO}/src/main/docs//guide.md`],
      ['a NUL byte', `${REPO}/src/main/README.md%00.png`],
      ['an option as commit', `${REPO}/src/--output=${encodeURIComponent(marker)}/`],
      ['a short option as commit', `${REPO}/src/-p/`],
      ['revision syntax', `${REPO}/src/main~1/`],
      ['revision syntax with a path', `${REPO}/src/main%3AREADME.md/`],
      ['reflog syntax', `${REPO}/src/main@%7B0%7D/`],
      ['HEAD', `${REPO}/src/HEAD/`],
    ]) {
      assertError(await api(route), 404, what);
    }
    await assert.rejects(fs.access(marker), 'git wrote a file named by the request');
    const climbing = await api(`${REPO}/src/main/../../../../../../etc/passwd`);
    assert.equal(climbing.status, 404);
    assert.doesNotMatch(climbing.text, /root:/);
  });

  it('applies the repository gate: scope, privacy, access tokens and credentials', async () => {
    const routes = [`${REPO}/src`, `${REPO}/src/main/`, `${REPO}/src/main/README.md`, `${REPO}/refs/branches`, `${REPO}/refs/tags/v1.0`];
    const noScope: ProbeOptions = { basic: { user: DEMO.email, password: DEMO.noRepositoryScopeApiToken } };
    const second: ProbeOptions = { basic: { user: DEMO.second.email, password: DEMO.second.apiToken } };
    const readOnly: ProbeOptions = { basic: { user: DEMO.email, password: DEMO.readOnlyApiToken } };
    for (const route of routes) {
      const missing = await api(route, noScope);
      assertError(missing, 403, `no scope: ${route}`);
      assert.deepEqual(missing.json().error.detail.required, ['read:repository:bitbucket']);
      assertError(await api(route, {}), 404, `anonymous: ${route}`);
      assertError(await api(route, second), 403, `second-user: ${route}`);
      assertError(await api(route, { bearer: DEMO.accessToken.token }), 403, `another workspace's access token: ${route}`);
      assertError(await api(route, { basic: { user: DEMO.email, password: DEMO.expiredApiToken } }), 401, `expired: ${route}`);
      assert.ok([200, 302].includes((await api(route, readOnly)).status), `read-only: ${route}`);
    }
    assert.equal((await api(`${HELLO}/src/main/README.md`, {})).status, 200);
    assert.equal((await api(`${HELLO}/refs/branches`, {})).status, 200);
    const entry = sandbox.requests.at(-1);
    assert.equal(entry?.auth, 'none');
    assert.equal(entry?.path, `/2.0${HELLO}/refs/branches`);
  });

  it('logs, faults and rate-limits src and refs requests like other repository requests', async () => {
    sandbox.clearRequests();
    const response = await api(`${REPO}/src/main/${SPECIAL_FILES.binary}?format=meta`);
    assert.equal(response.status, 200);
    const entry = sandbox.requests.at(-1);
    assert.deepEqual(
      { path: entry?.path, query: entry?.query, status: entry?.status, user: entry?.user, credential: entry?.credential, git: entry?.git },
      {
        path: `/2.0${REPO}/src/main/${SPECIAL_FILES.binary}`,
        query: { format: 'meta' },
        status: 200,
        user: DEMO.username,
        credential: 'demo-full-access',
        git: false,
      },
    );
    assert.equal(entry?.bytes, response.body.length);

    sandbox.addFault({ kind: 'status', status: 503, match: '/src/' });
    assertError(await api(`${REPO}/src/main/`), 503, 'fault');
    assert.equal((await api(`${REPO}/src/main/`)).status, 200);
    sandbox.addFault({ kind: 'status', status: 555, match: '/refs/' });
    assert.equal((await api(`${REPO}/refs/tags`)).status, 555);
    sandbox.clearFaults();

    const limited = await startSandbox({ rateLimitPerHour: 3 });
    try {
      const statuses: number[] = [];
      for (const route of [`${REPO}/src`, `${REPO}/refs/branches`, `${REPO}/refs/tags`, `${REPO}/src/main/`]) {
        statuses.push((await probe(`${limited.apiUrl}${route}`, demo)).status);
      }
      assert.deepEqual(statuses, [302, 200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});
