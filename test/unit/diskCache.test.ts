/**
 * The disk cache, on a real file system under the temporary folder: bytes and listings kept exactly and
 * across instances, every kind of bad entry a miss, the budget kept by dropping the least recently used,
 * and clear() deleting its own files and nothing else.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { DISK_CACHE_FORMAT_VERSION, DiskCache, DiskCacheOptions } from '../../src/browse/diskCache';
import { SourceEntry, SourceFile } from '../../src/host/types';

const roots: string[] = [];

/** A fresh folder under the temporary folder, removed after the test. */
async function tempRoot(): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-disk-cache-'));
  roots.push(root);
  return root;
}

afterEach(async () => {
  for (const root of roots.splice(0)) await fs.rm(root, { recursive: true, force: true });
});

/** Records what the cache logs. */
function recordingLogger() {
  const debug: string[] = [];
  const warn: string[] = [];
  return { debug: (message: string) => debug.push(message), warn: (message: string) => warn.push(message), debugs: debug, warns: warn };
}

function cacheIn(directory: string, options: Partial<DiskCacheOptions> = {}): DiskCache {
  return new DiskCache({ directory, budgetBytes: 16 * 1024 * 1024, ...options });
}

/** The documented name of a key's entry. */
function entryName(kind: 'f' | 'd', key: string): string {
  return `${kind}-${createHash('sha256').update(key, 'utf8').digest('hex')}.bbc`;
}

/** An entry built by hand from the documented format, to prove the format is what the module reads. */
function encodeEntry(kind: 'f' | 'd', header: unknown, body: Buffer, version = DISK_CACHE_FORMAT_VERSION): Buffer {
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(48);
  prefix.write('BBSC', 0, 'latin1');
  prefix[4] = version;
  prefix[5] = kind.charCodeAt(0);
  prefix.writeUInt32BE(headerBytes.length, 8);
  prefix.writeUInt32BE(body.length, 12);
  createHash('sha256').update(headerBytes).update(body).digest().copy(prefix, 16);
  return Buffer.concat([prefix, headerBytes, body]);
}

async function listing(directory: string): Promise<string[]> {
  return (await fs.readdir(directory)).sort();
}

const text = (value: string, contentType = 'text/plain; charset=utf-8'): SourceFile => ({
  bytes: new TextEncoder().encode(value),
  contentType,
});
const filled = (length: number, byte: number): SourceFile => ({
  bytes: new Uint8Array(length).fill(byte),
  contentType: 'application/octet-stream',
});

const posixOnly = { skip: process.platform === 'win32' ? 'symbolic links and O_NOFOLLOW are POSIX' : false };

describe('DiskCache', () => {
  it('gives back text and all 256 byte values exactly, with the content type, under keys with / @ : and unicode', async () => {
    const directory = path.join(await tempRoot(), 'nested', 'cache');
    const cache = cacheIn(directory);
    const textKey = 'a1b2c3/acme/api@0123456789abcdef:src/ünïcødé ✓/文件.ts';
    const binaryKey = 'a1b2c3/acme/api@0123456789abcdef:assets/logo.bin';
    const emptyKey = 'a1b2c3/acme/api@0123456789abcdef:.keep';
    const textFile = text('héllo wörld ✓\r\n\0tail', 'text/x-typescript');
    // A view into a larger buffer, at an offset: only the view's bytes are kept.
    const backing = new Uint8Array(300).fill(0xee);
    backing.set(
      Uint8Array.from({ length: 256 }, (_, i) => i),
      7,
    );
    const binary: SourceFile = { bytes: new Uint8Array(backing.buffer, 7, 256), contentType: 'application/octet-stream' };

    await cache.putFile(textKey, textFile);
    await cache.putFile(binaryKey, binary);
    await cache.putFile(emptyKey, { bytes: new Uint8Array(0), contentType: '' });

    assert.deepEqual(await cache.getFile(textKey), { bytes: new Uint8Array(textFile.bytes), contentType: 'text/x-typescript' });
    const got = await cache.getFile(binaryKey);
    assert.deepEqual(got, { bytes: Uint8Array.from({ length: 256 }, (_, i) => i), contentType: 'application/octet-stream' });
    assert.equal(Object.getPrototypeOf(got?.bytes), Uint8Array.prototype, 'a plain Uint8Array');
    assert.deepEqual(await cache.getFile(emptyKey), { bytes: new Uint8Array(0), contentType: '' });

    // Named by the sha-256 of the key, in a folder of its own created private.
    assert.deepEqual(await listing(directory), [entryName('f', textKey), entryName('f', binaryKey), entryName('f', emptyKey)].sort());
    if (process.platform !== 'win32') assert.equal((await fs.stat(directory)).mode & 0o777, 0o700);
  });

  it('keeps directory listings with only the fields of an entry, apart from files under the same key', async () => {
    const directory = await tempRoot();
    const cache = cacheIn(directory);
    const entries: SourceEntry[] = [
      { path: 'src', kind: 'directory' },
      { path: 'src/main.ts', kind: 'file', size: 1234, binary: false, executable: true },
      { path: 'big.bin', kind: 'file', size: 131, binary: true, lfs: true },
      { path: 'link', kind: 'symlink' },
      { path: 'vendor/lib', kind: 'submodule' },
      { path: 'docs/ünïcødé ✓.md', kind: 'file', size: 0 },
    ];
    const withExtra = [...entries, { path: 'x', kind: 'file', token: 'do-not-write-me' } as SourceEntry];
    await cache.putDirectory('k/acme/api@c0ffee:', withExtra);
    await cache.putDirectory('k/acme/api@c0ffee:empty', []);
    await cache.putFile('k/acme/api@c0ffee:', text('a file under the same key'));

    assert.deepEqual(await cache.getDirectory('k/acme/api@c0ffee:'), [...entries, { path: 'x', kind: 'file' }]);
    assert.deepEqual(await cache.getDirectory('k/acme/api@c0ffee:empty'), []);
    assert.deepEqual(await cache.getFile('k/acme/api@c0ffee:'), text('a file under the same key'));
    assert.equal(await cache.getFile('k/acme/api@c0ffee:empty'), undefined, 'a listing is not a file');
    for (const name of await listing(directory)) {
      assert.ok(!(await fs.readFile(path.join(directory, name), 'utf8')).includes('do-not-write-me'), 'only the known fields are written');
    }
  });

  it('misses a key never put, without creating its folder', async () => {
    const directory = path.join(await tempRoot(), 'not-yet');
    const cache = cacheIn(directory);
    assert.equal(await cache.getFile('nothing'), undefined);
    assert.equal(await cache.getDirectory('nothing'), undefined);
    assert.equal(await cache.size(), 0);
    await cache.clear();
    await assert.rejects(fs.stat(directory), { code: 'ENOENT' });
    await cache.putFile('something', text('x'));
    assert.equal(await cache.getFile('nothing'), undefined, 'still a miss next to another entry');
    assert.deepEqual(await cache.getFile('something'), text('x'));
  });

  it('reads an entry written by hand in the documented format', async () => {
    const directory = await tempRoot();
    const cache = cacheIn(directory);
    await fs.writeFile(
      path.join(directory, entryName('f', 'hand')),
      encodeEntry('f', { key: 'hand', contentType: 'text/plain' }, Buffer.from('made by hand')),
    );
    await fs.writeFile(
      path.join(directory, entryName('d', 'hand')),
      encodeEntry('d', { key: 'hand' }, Buffer.from('[{"path":"a","kind":"file"}]')),
    );
    assert.deepEqual(await cache.getFile('hand'), text('made by hand', 'text/plain'));
    assert.deepEqual(await cache.getDirectory('hand'), [{ path: 'a', kind: 'file' }]);
  });

  it('misses an entry stored under another key, of another kind, or a foreign file under its name', async () => {
    const directory = await tempRoot();
    const logger = recordingLogger();
    const cache = cacheIn(directory, { logger });
    await cache.putFile('key-a', text('content of a'));
    await cache.putFile('key-b', text('content of b'));
    const nameA = path.join(directory, entryName('f', 'key-a'));
    const nameB = path.join(directory, entryName('f', 'key-b'));
    assert.deepEqual(await cache.getFile('key-b'), text('content of b'));

    // As if key-b's hash collided with key-a's: the stored key tells them apart.
    await fs.copyFile(nameA, nameB);
    assert.equal(await cache.getFile('key-b'), undefined);
    assert.deepEqual(await cache.getFile('key-a'), text('content of a'));

    // A file entry where a listing is looked for.
    await fs.copyFile(nameA, path.join(directory, entryName('d', 'key-a')));
    assert.equal(await cache.getDirectory('key-a'), undefined);

    await fs.writeFile(nameB, 'not a cache entry at all, but long enough to be read as one: '.repeat(4));
    assert.equal(await cache.getFile('key-b'), undefined);
    await fs.mkdir(path.join(directory, entryName('f', 'key-c')));
    assert.equal(await cache.getFile('key-c'), undefined, 'a folder under the name');
    assert.deepEqual(logger.warns, [], 'a miss, not a disk problem');
  });

  it('misses a corrupt, truncated, extended or other-version entry, without throwing', async () => {
    const directory = await tempRoot();
    const logger = recordingLogger();
    const cache = cacheIn(directory, { logger });
    const key = 'acme/api@1:src/a.ts';
    await cache.putFile(key, text('the original content'));
    const file = path.join(directory, entryName('f', key));
    const original = await fs.readFile(file);
    const changed = (change: (bytes: Buffer) => Buffer) => change(Buffer.from(original));
    const flip = (at: number) => (bytes: Buffer) => {
      bytes[at] ^= 0x01;
      return bytes;
    };
    const variants: [string, Buffer][] = [
      ['truncated by one byte', original.subarray(0, original.length - 1)],
      ['truncated inside the prefix', original.subarray(0, 20)],
      ['empty', Buffer.alloc(0)],
      ['extended by one byte', Buffer.concat([original, Buffer.from([0])])],
      ['a body byte flipped', changed(flip(original.length - 1))],
      ['a header byte flipped', changed(flip(50))],
      ['a digest byte flipped', changed(flip(20))],
      ['a length changed', changed(flip(15))],
      ['the magic changed', changed(flip(0))],
      ['another format version', changed((bytes) => ((bytes[4] = DISK_CACHE_FORMAT_VERSION + 1), bytes))],
    ];
    for (const [what, bytes] of variants) {
      await fs.writeFile(file, bytes);
      assert.equal(await cache.getFile(key), undefined, what);
      await fs.writeFile(file, original);
      assert.deepEqual(await cache.getFile(key), text('the original content'), `${what}: restored, a hit again`);
    }

    // Well formed, digest right, but the wrong shape inside.
    const listingFile = path.join(directory, entryName('d', key));
    const shapes: [string, Buffer][] = [
      ['a listing that is not an array', encodeEntry('d', { key }, Buffer.from('{"path":"a","kind":"file"}'))],
      ['an entry of an unknown kind', encodeEntry('d', { key }, Buffer.from('[{"path":"a","kind":"folder"}]'))],
      ['a size that is not a number', encodeEntry('d', { key }, Buffer.from('[{"path":"a","kind":"file","size":"1"}]'))],
      ['a listing that is not JSON', encodeEntry('d', { key }, Buffer.from('[{"path":'))],
      ['a header that is not an object', encodeEntry('d', key, Buffer.from('[]'))],
    ];
    for (const [what, bytes] of shapes) {
      await fs.writeFile(listingFile, bytes);
      assert.equal(await cache.getDirectory(key), undefined, what);
    }
    await fs.writeFile(file, encodeEntry('f', { key }, Buffer.from('no content type')));
    assert.equal(await cache.getFile(key), undefined, 'a file without its content type');
    assert.deepEqual(logger.warns, [], 'bad entries are misses, not disk problems');
    assert.ok(logger.debugs.length >= variants.length + shapes.length, 'each miss said at debug level');
  });

  it('drops the least recently used entries once over budget: a read makes an entry recent', async () => {
    const directory = await tempRoot();
    let clock = 1_700_000_000_000;
    // Each entry is a little over 1,100 bytes: three fit in 4,000 and under the 90% left after eviction, four do not.
    const cache = cacheIn(directory, { budgetBytes: 4_000, now: () => clock });
    await cache.putFile('a', filled(1_000, 1));
    clock += 10_000;
    await cache.putFile('b', filled(1_000, 2));
    clock += 10_000;
    await cache.putFile('c', filled(1_000, 3));
    clock += 10_000;
    assert.deepEqual(await cache.getFile('a'), filled(1_000, 1), 'read: now the most recent');
    clock += 10_000;
    await cache.putFile('d', filled(1_000, 4));

    assert.equal(await cache.getFile('b'), undefined, 'the least recently used went');
    assert.deepEqual(await cache.getFile('a'), filled(1_000, 1));
    assert.deepEqual(await cache.getFile('c'), filled(1_000, 3));
    assert.deepEqual(await cache.getFile('d'), filled(1_000, 4));
    const size = await cache.size();
    assert.ok(size <= 4_000 * 0.9, `${size} bytes within the budget`);
    assert.equal(
      size,
      (await Promise.all((await listing(directory)).map(async (name) => (await fs.stat(path.join(directory, name))).size))).reduce(
        (a, b) => a + b,
      ),
    );
  });

  it('evicts what other instances wrote, on a write and never on a read', async () => {
    const directory = await tempRoot();
    let clock = 1_700_000_000_000;
    const roomy = cacheIn(directory, { budgetBytes: 100_000, now: () => clock });
    for (const key of ['one', 'two', 'three', 'four', 'five']) {
      await roomy.putFile(key, filled(1_000, 9));
      clock += 10_000;
    }
    const full = await roomy.size();

    const tight = cacheIn(directory, { budgetBytes: 3_000, now: () => clock });
    for (const key of ['five', 'four', 'three', 'two', 'one']) {
      assert.deepEqual(await tight.getFile(key), filled(1_000, 9), `${key} read`);
      clock += 10_000;
    }
    assert.equal(await roomy.size(), full, 'reads delete nothing, even over budget');

    await tight.putFile('six', filled(100, 6));
    assert.ok((await tight.size()) <= 3_000, 'the first write scans the folder and evicts');
    assert.deepEqual(await tight.getFile('six'), filled(100, 6));
    assert.deepEqual(await tight.getFile('one'), filled(1_000, 9), 'read last, kept');
    for (const key of ['five', 'four', 'three']) assert.equal(await tight.getFile(key), undefined, `${key}, read first, went`);
  });

  it('does not keep an entry larger than the whole budget', async () => {
    const directory = await tempRoot();
    const cache = cacheIn(directory, { budgetBytes: 1_000 });
    await cache.putFile('small', filled(100, 1));
    await cache.putFile('large', filled(2_000, 2));
    await cache.putDirectory(
      'listing',
      Array.from({ length: 100 }, (_, i): SourceEntry => ({ path: `file-${i}.ts`, kind: 'file' })),
    );
    assert.equal(await cache.getFile('large'), undefined);
    assert.equal(await cache.getDirectory('listing'), undefined);
    assert.deepEqual(await cache.getFile('small'), filled(100, 1), 'and evicts nothing for it');
    assert.deepEqual(await listing(directory), [entryName('f', 'small')]);
  });

  it('clears its own files only: not others in the folder, not outside it, not through a symbolic link', posixOnly, async () => {
    const root = await tempRoot();
    const directory = path.join(root, 'cache');
    const outside = path.join(root, 'outside');
    const cache = cacheIn(directory);
    await cache.putFile('mine', text('mine'));
    await cache.putDirectory('mine', [{ path: 'a', kind: 'file' }]);
    await cache.putFile('elsewhere', text('an entry moved outside'));

    // Outside the folder: a file, and a folder holding a valid entry under its own name.
    await fs.writeFile(path.join(root, 'outside.txt'), 'keep me');
    await fs.mkdir(outside);
    await fs.rename(path.join(directory, entryName('f', 'elsewhere')), path.join(outside, entryName('f', 'elsewhere')));
    // Inside: a file of another name, a link to the outside folder, a link under an entry's name, a temporary file.
    await fs.writeFile(path.join(directory, 'notes.txt'), 'keep me too');
    await fs.symlink(outside, path.join(directory, 'linked'));
    await fs.symlink(path.join(outside, entryName('f', 'elsewhere')), path.join(directory, entryName('f', 'elsewhere')));
    const temporary = `${entryName('f', 'crashed')}.0123456789abcdef.tmp`;
    await fs.writeFile(path.join(directory, temporary), 'left by a crash');

    assert.equal(await cache.getFile('elsewhere'), undefined, 'a link under an entry name is not read through');
    const own = [entryName('f', 'mine'), entryName('d', 'mine'), temporary];
    const sizes = await Promise.all(own.map(async (name) => (await fs.lstat(path.join(directory, name))).size));
    assert.equal(
      await cache.size(),
      sizes.reduce((a, b) => a + b),
      'its own files, links not counted',
    );

    await cache.clear();
    assert.deepEqual(await listing(directory), [entryName('f', 'elsewhere'), 'linked', 'notes.txt'].sort());
    assert.ok((await fs.lstat(path.join(directory, entryName('f', 'elsewhere')))).isSymbolicLink(), 'the link stays');
    assert.equal(await fs.readFile(path.join(root, 'outside.txt'), 'utf8'), 'keep me');
    assert.equal(await fs.readFile(path.join(directory, 'notes.txt'), 'utf8'), 'keep me too');
    assert.deepEqual(await listing(outside), [entryName('f', 'elsewhere')], 'nothing deleted through the links');
    assert.equal(await cache.getFile('mine'), undefined);
    assert.equal(await cache.getDirectory('mine'), undefined);
    assert.equal(await cache.size(), 0);
  });

  it('deletes nothing when its folder is a symbolic link', posixOnly, async () => {
    const root = await tempRoot();
    const real = path.join(root, 'real');
    await cacheIn(real).putFile('kept', text('kept'));
    await fs.symlink(real, path.join(root, 'link'));
    const throughLink = cacheIn(path.join(root, 'link'));
    assert.equal(await throughLink.size(), 0);
    await throughLink.clear();
    assert.deepEqual(await listing(real), [entryName('f', 'kept')]);
  });

  it('leaves one valid entry when two instances write the same key at once', async () => {
    const directory = await tempRoot();
    const first = cacheIn(directory);
    const second = cacheIn(directory);
    const reader = cacheIn(directory);
    const key = 'acme/api@1:big.bin';
    const length = 512 * 1024;
    /** One of the contents written, whole: the first (0x77) or either racer's (0xaa, 0x55). */
    const isWhole = (file: SourceFile | undefined) =>
      file !== undefined && file.bytes.length === length && [0x77, 0xaa, 0x55].some((byte) => file.bytes.every((b) => b === byte));

    // An entry is there before the race: from then on a reader must always find a whole one, old or new.
    await first.putFile(key, filled(length, 0x77));
    // A reader with the entry open while others write: the file it has open is never written into.
    const entryFile = path.join(directory, entryName('f', key));
    const before = await fs.readFile(entryFile);
    const open = await fs.open(entryFile, 'r');
    let writing = true;
    const writers = Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? first : second).putFile(key, filled(length, i % 2 ? 0xaa : 0x55))),
    ).finally(() => (writing = false));
    const reads: (SourceFile | undefined)[] = [];
    const readers = Array.from({ length: 3 }, async () => {
      do reads.push(await reader.getFile(key));
      while (writing);
    });
    await Promise.all([writers, ...readers]);
    try {
      assert.ok((await open.readFile()).equals(before), 'every write went to a new file, renamed into place');
    } finally {
      await open.close();
    }

    assert.ok(reads.length >= 3);
    for (const read of reads) assert.ok(isWhole(read), 'a reader sees a whole entry, never a torn one or none');
    const last = await reader.getFile(key);
    assert.ok(isWhole(last), 'one whole entry in the end');
    // Windows refuses to rename over a file held open, so there every write may have been dropped (and said so at debug level).
    if (process.platform !== 'win32') assert.notEqual(last?.bytes[0], 0x77, 'a racer won');
    assert.deepEqual(await listing(directory), [entryName('f', key)], 'no temporary file left');
  });

  it('reads after a restart what an earlier instance wrote', async () => {
    const directory = await tempRoot();
    const before = cacheIn(directory);
    await before.putFile('acme/api@1:README.md', text('# API'));
    await before.putDirectory('acme/api@1:', [{ path: 'README.md', kind: 'file', size: 5 }]);

    const after = cacheIn(directory);
    assert.deepEqual(await after.getFile('acme/api@1:README.md'), text('# API'));
    assert.deepEqual(await after.getDirectory('acme/api@1:'), [{ path: 'README.md', kind: 'file', size: 5 }]);
    assert.equal(await after.size(), await before.size());
  });

  it('never throws when its folder cannot be used, and warns once', async () => {
    const root = await tempRoot();
    const notAFolder = path.join(root, 'a-file');
    await fs.writeFile(notAFolder, 'in the way');
    const logger = recordingLogger();
    const cache = cacheIn(notAFolder, { logger });
    await cache.putFile('k', text('x'));
    await cache.putDirectory('k', []);
    assert.equal(await cache.getFile('k'), undefined);
    assert.equal(await cache.getDirectory('k'), undefined);
    assert.equal(await cache.size(), 0);
    await cache.clear();
    assert.equal(logger.warns.length, 1, logger.warns.join('\n'));
    assert.ok(logger.debugs.length >= 1, 'later problems at debug level');
    assert.equal(await fs.readFile(notAFolder, 'utf8'), 'in the way');
  });
});
