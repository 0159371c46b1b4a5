import { createHash } from 'crypto';
import { FastImportWriter, FileSpec, GitlinkSpec, Person } from './fast-import';
import { SeededRandom } from './random';
import { DEMO } from './seed';

/**
 * `demo-user/special-files`: the repository for browsing without cloning. Its history is written with
 * `git fast-import` like the others (fixed dates, seeded bytes, so the same hashes on every run) and holds
 * one of each entry the 2.0 `src` API describes differently: binary files (a real PNG, a blob with NUL bytes),
 * a Git LFS pointer, a symbolic link, an executable, a submodule, a folder of 1,000 files, a 12-level deep
 * tree, a file with spaces and accents in its name, an empty file, and three branches and three tags whose
 * content differs, so switching between them shows a difference.
 */
const DEMO_PERSON: Person = { name: DEMO.displayName, email: DEMO.email };
const ADA: Person = { name: 'Ada Byte', email: 'ada@example.com' };
const START = Date.UTC(2024, 2, 1, 9, 0, 0) / 1000;
const DAY = 24 * 60 * 60;

const DEEP_LEVELS = 12;
const DEEP_DIRECTORY = ['deep', ...Array.from({ length: DEEP_LEVELS }, (_, i) => `level-${String(i + 1).padStart(2, '0')}`)].join('/');
const MANY_FILES = 1000;

/** Where each special entry is, what the branches and tags are called, and what they hold. */
export const SPECIAL_FILES = {
  workspace: 'demo-user',
  slug: 'special-files',
  mainBranch: 'main',
  /** In the order `git for-each-ref` (and so the API by default) lists them. */
  branches: ['develop', 'main', 'release/1.0'],
  tags: ['v0.10', 'v0.9', 'v1.0'],
  /** `v1.0` is an annotated tag (message, tagger, date); the others are lightweight. */
  annotatedTag: 'v1.0',
  readme: 'README.md',
  /** Markdown with an image reference (`../images/logo.png`) and relative links. */
  markdownWithImage: 'docs/guide.md',
  /** A real 32 x 32 RGB PNG. */
  image: 'images/logo.png',
  /** 4,096 seeded bytes starting with NUL bytes. */
  binary: 'bin/data.bin',
  /** A Git LFS pointer (`.gitattributes`: `*.psd filter=lfs`); the object itself is `lfsObject()`. */
  lfs: 'assets/design.psd',
  /** Symbolic link to README.md. */
  symlink: 'link-to-readme',
  symlinkTarget: 'README.md',
  /** Mode 100755. */
  executable: 'scripts/build.sh',
  /** A gitlink to demo-user/hello-world's main branch head, declared in .gitmodules with the URL `../hello-world.git`. */
  submodule: 'vendor/hello-world',
  submoduleRepository: { workspace: 'demo-user', slug: 'hello-world' },
  submoduleUrl: '../hello-world.git',
  manyFilesDirectory: 'many-files',
  manyFilesCount: MANY_FILES,
  deepLevels: DEEP_LEVELS,
  deepDirectory: DEEP_DIRECTORY,
  deepFile: `${DEEP_DIRECTORY}/bottom.txt`,
  /** Spaces and non-ASCII letters: `escaped_path` differs from `path`. */
  unicodeFile: 'docs/thé café.md',
  emptyFile: 'empty.txt',
  /** Only on develop. */
  developOnlyFile: 'src/feature.ts',
  /** Only on release/1.0. */
  releaseOnlyFile: 'CHANGELOG.md',
  /** "1.0.0\n" on main, develop and v1.0; "1.0.1\n" on release/1.0; absent from v0.9 and v0.10. */
  versionFile: 'VERSION',
} as const;

/** README.md as each branch and tag has it. */
export const SPECIAL_README = {
  'v0.9': '# special-files\n\nAn early draft.\n',
  'v1.0':
    '# special-files\n\nOne of every kind of entry the `src` API describes: binary, LFS, links, submodules, many files, deep trees.\n',
  main: '# special-files\n\nOne of every kind of entry the `src` API describes: binary, LFS, links, submodules, many files, deep trees.\n\nBranches: main, develop, release/1.0.\n',
  develop:
    '# special-files\n\nOne of every kind of entry the `src` API describes: binary, LFS, links, submodules, many files, deep trees.\n\n## Develop\n\nWork in progress: see src/feature.ts.\n',
} as const;

export const SPECIAL_GUIDE =
  '# Guide\n\n![The logo](../images/logo.png)\n\nStart with [the README](../README.md), then go [all the way down](../' +
  `${DEEP_DIRECTORY}/bottom.txt).\n`;

export const SPECIAL_BUILD_SCRIPT = '#!/bin/sh\necho "Building special-files"\n';

export const SPECIAL_GITATTRIBUTES = '*.psd filter=lfs diff=lfs merge=lfs -text\n';

export const SPECIAL_GITMODULES = `[submodule "${SPECIAL_FILES.submodule}"]\n\tpath = ${SPECIAL_FILES.submodule}\n\turl = ${SPECIAL_FILES.submoduleUrl}\n`;

/** The content of `many-files/file-NNNN.txt` (1-based). */
export function manyFileName(index: number): string {
  return `file-${String(index).padStart(4, '0')}.txt`;
}

export function manyFileContent(index: number): string {
  return `File ${index} of ${MANY_FILES}.\n`;
}

/** 4,096 seeded bytes with NUL bytes up front, so any binary check sees them. */
export function specialBinary(): Buffer {
  const bytes = new SeededRandom('special-files/bin/data.bin').bytes(4096);
  bytes.set([0x00, 0xff, 0x00, 0x7f], 0);
  return bytes;
}

// ---- a real PNG, built without zlib so its bytes never depend on the zlib version ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function pngChunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

/** zlib data made of one stored (uncompressed) deflate block; enough for under 64 KiB. */
function storedZlib(raw: Buffer): Buffer {
  const block = Buffer.alloc(5);
  block[0] = 0x01; // BFINAL, BTYPE 00
  block.writeUInt16LE(raw.length, 1);
  block.writeUInt16LE(~raw.length & 0xffff, 3);
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(adler32(raw), 0);
  return Buffer.concat([Buffer.from([0x78, 0x01]), block, raw, adler]);
}

export const SPECIAL_PNG_SIZE = 32;

/** A 32 x 32 8-bit RGB PNG: a blue-to-green gradient with a white diagonal. */
export function specialPng(): Buffer {
  const size = SPECIAL_PNG_SIZE;
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const white = x === y;
      row[1 + x * 3] = white ? 255 : 0;
      row[2 + x * 3] = white ? 255 : x * 8;
      row[3 + x * 3] = white ? 255 : 255 - y * 8;
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', storedZlib(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- Git LFS ----

export interface LfsObject {
  /** sha256 of the content, as the pointer names it. */
  oid: string;
  size: number;
  content: Buffer;
}

let lfsObjects: Map<string, LfsObject> | undefined;

function lfsStore(): Map<string, LfsObject> {
  if (!lfsObjects) {
    const content = new SeededRandom('special-files/assets/design.psd').bytes(64 * 1024);
    const oid = createHash('sha256').update(content).digest('hex');
    lfsObjects = new Map([[oid, { oid, size: content.length, content }]]);
  }
  return lfsObjects;
}

/** The object behind the LFS pointer in special-files (the sandbox's whole LFS store). */
export function specialLfsObject(): LfsObject {
  return [...lfsStore().values()][0];
}

/** An LFS object by its sha256, for the media URL raw requests for LFS files redirect to. */
export function lfsObject(oid: string): LfsObject | undefined {
  return lfsStore().get(oid);
}

export function lfsPointer(object: LfsObject): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${object.oid}\nsize ${object.size}\n`;
}

/** Reads a Git LFS pointer file (version line first, then `oid sha256:` and `size`); undefined for anything else. */
export function parseLfsPointer(content: Buffer): { oid: string; size: number } | undefined {
  if (content.length > 1024) {
    return undefined;
  }
  const text = content.toString('utf8');
  if (!text.startsWith('version https://git-lfs.github.com/spec/v1\n')) {
    return undefined;
  }
  const oid = /^oid sha256:([0-9a-f]{64})$/m.exec(text);
  const size = /^size (\d+)$/m.exec(text);
  return oid && size ? { oid: oid[1], size: Number(size[1]) } : undefined;
}

// ---- the history ----

type Entry = FileSpec | GitlinkSpec;

function manyFiles(): Entry[] {
  return Array.from({ length: MANY_FILES }, (_, i) => ({
    path: `${SPECIAL_FILES.manyFilesDirectory}/${manyFileName(i + 1)}`,
    content: manyFileContent(i + 1),
  }));
}

/**
 * main: "Start" (tag v0.9) -> "Add images and binary data" (tag v0.10) -> "Add every special entry"
 * (annotated tag v1.0) -> "List the branches in the README". develop and release/1.0 each add one commit
 * on top of the v1.0 commit. `submoduleCommit` is demo-user/hello-world's main head, built first.
 */
export async function writeSpecialHistory(out: FastImportWriter, submoduleCommit: string): Promise<void> {
  const branch = SPECIAL_FILES.mainBranch;
  const start = await out.commit({
    branch,
    author: DEMO_PERSON,
    time: START,
    message: 'Start the special files repository\n',
    files: [
      { path: SPECIAL_FILES.readme, content: SPECIAL_README['v0.9'] },
      { path: SPECIAL_FILES.markdownWithImage, content: '# Guide\n\nNothing here yet.\n' },
    ],
  });
  await out.lightweightTag('v0.9', start);
  const images = await out.commit({
    branch,
    author: DEMO_PERSON,
    time: START + DAY,
    message: 'Add images and binary data\n',
    files: [
      { path: SPECIAL_FILES.image, content: specialPng() },
      { path: SPECIAL_FILES.binary, content: specialBinary() },
    ],
  });
  await out.lightweightTag('v0.10', images);
  const release = await out.commit({
    branch,
    author: DEMO_PERSON,
    time: START + 2 * DAY,
    message: 'Add every special entry\n\nLFS, a symbolic link, an executable, a submodule, 1,000 files and a deep tree.\n',
    files: [
      { path: SPECIAL_FILES.readme, content: SPECIAL_README['v1.0'] },
      { path: SPECIAL_FILES.markdownWithImage, content: SPECIAL_GUIDE },
      { path: '.gitattributes', content: SPECIAL_GITATTRIBUTES },
      { path: SPECIAL_FILES.lfs, content: lfsPointer(specialLfsObject()) },
      { path: SPECIAL_FILES.symlink, content: SPECIAL_FILES.symlinkTarget, mode: '120000' },
      { path: SPECIAL_FILES.executable, content: SPECIAL_BUILD_SCRIPT, mode: '100755' },
      { path: '.gitmodules', content: SPECIAL_GITMODULES },
      { path: SPECIAL_FILES.submodule, gitlink: submoduleCommit },
      ...manyFiles(),
      { path: SPECIAL_FILES.deepFile, content: `You reached level ${DEEP_LEVELS}.\n` },
      { path: SPECIAL_FILES.unicodeFile, content: '# Thé café\n\nA file name with a space and accents.\n' },
      { path: SPECIAL_FILES.emptyFile, content: '' },
      { path: SPECIAL_FILES.versionFile, content: '1.0.0\n' },
    ],
  });
  await out.tag('v1.0', release, DEMO_PERSON, START + 2 * DAY + 3600, 'Version 1.0\n\nThe first release with every special entry.\n');
  await out.commit({
    branch,
    author: DEMO_PERSON,
    time: START + 3 * DAY,
    message: 'List the branches in the README\n',
    files: [{ path: SPECIAL_FILES.readme, content: SPECIAL_README.main }],
  });
  await out.commit({
    branch: 'develop',
    from: release,
    author: ADA,
    time: START + 4 * DAY,
    message: 'Start the feature on develop\n',
    files: [
      { path: SPECIAL_FILES.readme, content: SPECIAL_README.develop },
      { path: SPECIAL_FILES.developOnlyFile, content: 'export const feature = "in progress";\n' },
    ],
    deletes: [SPECIAL_FILES.emptyFile],
  });
  await out.commit({
    branch: 'release/1.0',
    from: release,
    author: DEMO_PERSON,
    time: START + 5 * DAY,
    message: 'Release 1.0.1\n',
    files: [
      { path: SPECIAL_FILES.versionFile, content: '1.0.1\n' },
      { path: SPECIAL_FILES.releaseOnlyFile, content: '# Changelog\n\n## 1.0.1\n\n- Fixes on the release branch.\n' },
    ],
  });
}
