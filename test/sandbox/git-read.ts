import { ChildProcessTracker, gitEnvironment } from './child-processes';
import { parseLfsPointer } from './special-repository';

/**
 * Reads the sandbox's bare repositories with git plumbing (`for-each-ref`, `rev-parse`, `ls-tree`,
 * `cat-file`) for the `src` and `refs` endpoints. Every git process gets an argument array (never a shell),
 * options end with `--end-of-options`, and nothing a client typed reaches git except a validated hex
 * hash or a validated repository path after a full commit hash (`<hash>:<path>`), so neither can be read as
 * an option or as revision syntax. Objects never change, so tree listings, commits and blob facts are cached
 * by object id (and dropped on reset). Refs are cached per repository until a push to it (the sandbox's git
 * server calls invalidateRefs) or a reset, so following `next` through a big directory costs no git process.
 */
export interface TreeEntry {
  /** 100644, 100755, 120000 (symbolic link), 040000 (tree), 160000 (gitlink: a submodule). */
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  oid: string;
  /** Blob size in bytes; absent for trees and gitlinks. */
  size?: number;
  name: string;
}

export interface Signature {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  time: number;
  /** As git writes it, e.g. +0000 or -0130. */
  offset: string;
}

export interface CommitObject {
  hash: string;
  tree: string;
  parents: string[];
  author: Signature;
  committer: Signature;
  message: string;
}

export interface TagObject {
  hash: string;
  /** The object tagged (a commit here). */
  object: string;
  tagger?: Signature;
  message: string;
}

export interface GitRef {
  kind: 'branch' | 'tag';
  /** Without refs/heads/ or refs/tags/. */
  name: string;
  /** What the ref points at: the commit, or the tag object of an annotated tag. */
  oid: string;
  /** The commit, annotated tags peeled. */
  commit: string;
  annotated: boolean;
}

/** What the API says about a blob beyond its size: whether it looks binary, and whether it is an LFS pointer. */
export interface BlobFacts {
  binary: boolean;
  lfs?: { oid: string; size: number };
}

const MAX_CACHED_LISTINGS = 5_000;
const MAX_CACHED_OBJECTS = 50_000;
/** Git's own test: a NUL byte in the first 8,000 bytes makes a file binary. */
const BINARY_PROBE_BYTES = 8000;

class GitFailure extends Error {
  constructor(
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`git exited with ${code}: ${stderr.trim()}`);
  }
}

/** A Map that forgets its oldest entries past a limit. */
class BoundedCache<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  set(key: string, value: V): void {
    this.map.set(key, value);
    if (this.map.size > this.limit) {
      this.map.delete(this.map.keys().next().value as string);
    }
  }

  clear(): void {
    this.map.clear();
  }
}

export class GitReader {
  private readonly listings = new BoundedCache<TreeEntry[]>(MAX_CACHED_LISTINGS);
  private readonly commitCache = new BoundedCache<CommitObject>(MAX_CACHED_OBJECTS);
  private readonly tagCache = new BoundedCache<TagObject>(MAX_CACHED_OBJECTS);
  private readonly blobCache = new BoundedCache<BlobFacts>(MAX_CACHED_OBJECTS);
  /** Full hashes known to name a commit, by `gitDir NUL hash`. */
  private readonly knownCommits = new BoundedCache<true>(MAX_CACHED_OBJECTS);
  private readonly refCache = new Map<string, GitRef[]>();
  /** Bumped by invalidateRefs (per repository) and clear (all), so a read that raced a push is not cached. */
  private readonly refGenerations = new Map<string, number>();
  private generation = 0;

  constructor(
    private readonly tracker: ChildProcessTracker,
    private readonly gitHome: string,
  ) {}

  /** Forgets everything cached (after a reset the repositories are rebuilt and pushed commits are gone). */
  clear(): void {
    this.generation++;
    this.refCache.clear();
    this.knownCommits.clear();
    this.listings.clear();
    this.commitCache.clear();
    this.tagCache.clear();
    this.blobCache.clear();
  }

  /** Forgets a repository's refs: called after a push to it. */
  invalidateRefs(gitDir: string): void {
    this.refGenerations.set(gitDir, (this.refGenerations.get(gitDir) ?? 0) + 1);
    this.refCache.delete(gitDir);
  }

  /** Branches then tags, each in git's order (by ref name, byte-wise), as `git for-each-ref` lists them. */
  async refs(gitDir: string): Promise<readonly GitRef[]> {
    const cached = this.refCache.get(gitDir);
    if (cached) {
      return cached;
    }
    const generation = `${this.generation}/${this.refGenerations.get(gitDir) ?? 0}`;
    const refs = await this.readRefs(gitDir);
    if (generation === `${this.generation}/${this.refGenerations.get(gitDir) ?? 0}`) {
      this.refCache.set(gitDir, refs);
    }
    return refs;
  }

  private async readRefs(gitDir: string): Promise<GitRef[]> {
    const format = '%(refname)%00%(objectname)%00%(objecttype)%00%(*objectname)';
    const output = await this.run(gitDir, ['for-each-ref', `--format=${format}`, '--end-of-options', 'refs/heads/', 'refs/tags/']);
    const refs: GitRef[] = [];
    for (const line of output.toString('utf8').split('\n')) {
      if (line === '') {
        continue;
      }
      const [refname, oid, type, peeled] = line.split('\0');
      const branch = refname.startsWith('refs/heads/');
      if (!branch && !refname.startsWith('refs/tags/')) {
        continue;
      }
      const annotated = type === 'tag';
      // Tags of trees or blobs have no commit to show; Bitbucket lists commits only.
      if (!annotated && type !== 'commit') {
        continue;
      }
      refs.push({
        kind: branch ? 'branch' : 'tag',
        name: refname.slice(branch ? 'refs/heads/'.length : 'refs/tags/'.length),
        oid,
        commit: annotated ? peeled : oid,
        annotated,
      });
    }
    return refs.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'branch' ? -1 : 1));
  }

  /** The full hash of the commit a (validated, lower-case hex) full or abbreviated hash names; undefined if none or ambiguous. */
  async resolveHash(gitDir: string, hex: string): Promise<string | undefined> {
    if (!/^[0-9a-f]{4,40}$/.test(hex)) {
      throw new Error(`Not a hexadecimal object name: ${hex}`);
    }
    const key = `${gitDir}\0${hex}`;
    if (this.knownCommits.get(key)) {
      return hex;
    }
    try {
      const output = await this.run(gitDir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${hex}^{commit}`]);
      const hash = output.toString('utf8').trim();
      this.knownCommits.set(`${gitDir}\0${hash}`, true);
      return hash;
    } catch (error) {
      if (error instanceof GitFailure) {
        return undefined;
      }
      throw error;
    }
  }

  /**
   * The entries of a tree in git's order: `treeish` is a tree's object id, `<full hash>^{tree}`, or
   * `<full hash>:<path>` with a validated path. Undefined when it names nothing or not a tree.
   */
  async listTree(gitDir: string, treeish: string): Promise<TreeEntry[] | undefined> {
    const key = `${gitDir}\0${treeish}`;
    const cached = this.listings.get(key);
    if (cached) {
      return cached;
    }
    let output: Buffer;
    try {
      output = await this.run(gitDir, ['ls-tree', '-z', '-l', '--full-tree', '--end-of-options', treeish]);
    } catch (error) {
      if (error instanceof GitFailure) {
        return undefined;
      }
      throw error;
    }
    const entries: TreeEntry[] = [];
    for (const record of output.toString('utf8').split('\0')) {
      if (record === '') {
        continue;
      }
      const match = /^(\d{6}) (blob|tree|commit) ([0-9a-f]{40,64}) +(-|\d+)\t([\s\S]+)$/.exec(record);
      if (!match) {
        throw new Error(`Unexpected ls-tree output: ${JSON.stringify(record)}`);
      }
      const [, mode, type, oid, size, name] = match;
      entries.push({ mode, type: type as TreeEntry['type'], oid, size: size === '-' ? undefined : Number(size), name });
    }
    this.listings.set(key, entries);
    return entries;
  }

  /** Parsed commit objects by hash. */
  async commits(gitDir: string, hashes: readonly string[]): Promise<Map<string, CommitObject>> {
    const result = new Map<string, CommitObject>();
    const missing: string[] = [];
    for (const hash of new Set(hashes)) {
      const cached = this.commitCache.get(hash);
      if (cached) {
        result.set(hash, cached);
      } else {
        missing.push(hash);
      }
    }
    for (const [hash, { type, content }] of await this.readObjects(gitDir, missing)) {
      if (type === 'commit') {
        const commit = parseCommit(hash, content);
        this.commitCache.set(hash, commit);
        result.set(hash, commit);
      }
    }
    return result;
  }

  /** Parsed annotated tag objects by hash. */
  async tags(gitDir: string, hashes: readonly string[]): Promise<Map<string, TagObject>> {
    const result = new Map<string, TagObject>();
    const missing: string[] = [];
    for (const hash of new Set(hashes)) {
      const cached = this.tagCache.get(hash);
      if (cached) {
        result.set(hash, cached);
      } else {
        missing.push(hash);
      }
    }
    for (const [hash, { type, content }] of await this.readObjects(gitDir, missing)) {
      if (type === 'tag') {
        const tag = parseTag(hash, content);
        this.tagCache.set(hash, tag);
        result.set(hash, tag);
      }
    }
    return result;
  }

  /** Binary or not, LFS pointer or not, for each blob; read once per blob and remembered. */
  async blobFacts(gitDir: string, oids: readonly string[]): Promise<Map<string, BlobFacts>> {
    const result = new Map<string, BlobFacts>();
    const missing: string[] = [];
    for (const oid of new Set(oids)) {
      const cached = this.blobCache.get(oid);
      if (cached) {
        result.set(oid, cached);
      } else {
        missing.push(oid);
      }
    }
    for (const [oid, { content }] of await this.readObjects(gitDir, missing)) {
      const lfs = parseLfsPointer(content);
      const facts: BlobFacts = lfs ? { binary: false, lfs } : { binary: content.subarray(0, BINARY_PROBE_BYTES).includes(0) };
      this.blobCache.set(oid, facts);
      result.set(oid, facts);
    }
    return result;
  }

  /** A blob's bytes. */
  async readBlob(gitDir: string, oid: string): Promise<Buffer> {
    return this.run(gitDir, ['cat-file', 'blob', '--end-of-options', oid]);
  }

  /** `git cat-file --batch` over object ids (hex only); objects git does not have are left out. */
  private async readObjects(gitDir: string, oids: readonly string[]): Promise<Map<string, { type: string; content: Buffer }>> {
    const objects = new Map<string, { type: string; content: Buffer }>();
    if (oids.length === 0) {
      return objects;
    }
    for (const oid of oids) {
      if (!/^[0-9a-f]{40,64}$/.test(oid)) {
        throw new Error(`Not an object id: ${oid}`);
      }
    }
    const output = await this.run(gitDir, ['cat-file', '--batch'], `${oids.join('\n')}\n`);
    let offset = 0;
    while (offset < output.length) {
      const end = output.indexOf(0x0a, offset);
      if (end < 0) {
        break;
      }
      const header = output.subarray(offset, end).toString('utf8');
      offset = end + 1;
      const match = /^([0-9a-f]{40,64}) (\S+) (\d+)$/.exec(header);
      if (!match) {
        // `<name> missing` (or ambiguous): no content follows.
        continue;
      }
      const size = Number(match[3]);
      objects.set(match[1], { type: match[2], content: output.subarray(offset, offset + size) });
      offset += size + 1;
    }
    return objects;
  }

  /** Runs git on a bare repository and collects its standard output; rejects with GitFailure when git fails. */
  private run(gitDir: string, args: readonly string[], input?: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = this.tracker.spawn('git', args, {
        env: gitEnvironment(this.gitHome, { GIT_DIR: gitDir }),
        stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
      const chunks: Buffer[] = [];
      let stderr = '';
      child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new GitFailure(code, stderr))));
      if (input !== undefined) {
        child.stdin?.on('error', () => undefined);
        child.stdin?.end(input);
      }
    });
  }
}

function parseSignature(text: string): Signature {
  const match = /^(.*) <([^>]*)> (\d+) ([+-]\d{4})$/.exec(text);
  if (!match) {
    return { name: text, email: '', time: 0, offset: '+0000' };
  }
  return { name: match[1], email: match[2], time: Number(match[3]), offset: match[4] };
}

/** Header lines up to the first empty line, then the message. */
function splitObject(content: Buffer): { headers: Array<[string, string]>; message: string } {
  const text = content.toString('utf8');
  const blank = text.indexOf('\n\n');
  const head = blank < 0 ? text : text.slice(0, blank);
  const message = blank < 0 ? '' : text.slice(blank + 2);
  const headers: Array<[string, string]> = [];
  for (const line of head.split('\n')) {
    if (line.startsWith(' ') && headers.length > 0) {
      // A continuation line (e.g. of a signature).
      headers[headers.length - 1][1] += `\n${line.slice(1)}`;
      continue;
    }
    const space = line.indexOf(' ');
    headers.push(space < 0 ? [line, ''] : [line.slice(0, space), line.slice(space + 1)]);
  }
  return { headers, message };
}

function parseCommit(hash: string, content: Buffer): CommitObject {
  const { headers, message } = splitObject(content);
  const value = (name: string): string => headers.find(([key]) => key === name)?.[1] ?? '';
  return {
    hash,
    tree: value('tree'),
    parents: headers.filter(([key]) => key === 'parent').map(([, parent]) => parent),
    author: parseSignature(value('author')),
    committer: parseSignature(value('committer')),
    message,
  };
}

function parseTag(hash: string, content: Buffer): TagObject {
  const { headers, message } = splitObject(content);
  const tagger = headers.find(([key]) => key === 'tagger')?.[1];
  return {
    hash,
    object: headers.find(([key]) => key === 'object')?.[1] ?? '',
    tagger: tagger ? parseSignature(tagger) : undefined,
    message,
  };
}

/** A git date as Bitbucket writes commit dates: `2024-03-01T09:00:00+00:00`, in the signature's own offset. */
export function formatGitDate(signature: Signature): string {
  const sign = signature.offset.startsWith('-') ? -1 : 1;
  const minutes = sign * (Number(signature.offset.slice(1, 3)) * 60 + Number(signature.offset.slice(3, 5)));
  const local = new Date((signature.time + minutes * 60) * 1000).toISOString().slice(0, 19);
  return `${local}${signature.offset.slice(0, 3)}:${signature.offset.slice(3, 5)}`;
}
