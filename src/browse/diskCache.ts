/**
 * What was fetched for a commit, kept on disk so that it survives a restart: a commit's files and listings
 * never change, so an entry never goes stale, it only goes out of the budget. One folder (the extension's
 * global storage, or a folder in it), bounded by bytes, the least recently used entries going first. No
 * `vscode` import; Node built-ins only.
 *
 * What is written: a file's bytes and content type, or a directory's entries, each with the key it was put
 * under. Keys name an account, repository, commit and path, never a token, and nothing else is written:
 * no credential, header or URL with a secret ever reaches this folder.
 *
 * On disk, one file per entry, named after the sha-256 of its key: `f-<64 hex>.bbc` for a file,
 * `d-<64 hex>.bbc` for a directory. Each starts with a fixed 48-byte prefix:
 *
 * | bytes | what                                                                         |
 * | ----- | ---------------------------------------------------------------------------- |
 * | 0–3   | magic `BBSC`                                                                 |
 * | 4     | format version, {@link DISK_CACHE_FORMAT_VERSION}; any other reads as a miss |
 * | 5     | kind: `f` (0x66) or `d` (0x64)                                               |
 * | 6–7   | zero                                                                         |
 * | 8–11  | header length, unsigned 32-bit big-endian                                    |
 * | 12–15 | body length, unsigned 32-bit big-endian                                      |
 * | 16–47 | sha-256 of everything after byte 47 (header and body)                        |
 *
 * then the header, UTF-8 JSON (`{"key":…,"contentType":…}` for a file, `{"key":…}` for a directory), then
 * the body: the file's bytes as they are, or the directory's entries as UTF-8 JSON. The file's length must
 * be exactly 48 + header + body. Anything else (another magic or version, a wrong length, a digest that does
 * not match, another key, JSON of the wrong shape) is a miss, never an error.
 *
 * Writes go to a temporary file next to the entry (`<entry name>.<16 hex>.tmp`, created exclusively) and are
 * renamed over it, so a reader, a crash or a second window writing the same key sees the old entry or the
 * new one, never half of one; the digest catches what a crash before the data reached the disk left behind.
 * Two windows may share the folder: each evicts by what it finds on disk.
 *
 * Recency is the entry's modification time: set when written, set again on each hit. Eviction is lazy: the
 * folder is scanned on the first write of a session, then only when what this instance wrote since the last
 * scan may have taken the folder over budget, or every {@link SCAN_EVERY_PUTS} writes (for what other windows
 * wrote); never on a read. A scan over budget deletes the oldest entries until the folder holds at most
 * {@link LOW_WATER} of the budget, so that a full cache is not scanned again on the very next write.
 *
 * Only names of the two forms above (and their temporary files) are ever deleted, only when they are regular
 * files (never a symbolic link, never what one points at), only directly inside the folder, and only when the
 * folder itself is a real directory. Nothing else in or above the folder is touched, and the folder stays.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../common/logger';
import { SourceEntry, SourceEntryKind, SourceFile } from '../host/types';

/** A reasonable budget when the setting gives none: a few thousand source files and their listings. */
export const DEFAULT_DISK_CACHE_BYTES = 256 * 1024 * 1024;

/** The entry format written now; entries of another version read as misses and age out. */
export const DISK_CACHE_FORMAT_VERSION = 1;

/** How many writes at most between two scans of the folder, for what other windows wrote meanwhile. */
export const SCAN_EVERY_PUTS = 64;

/** After eviction, the folder holds at most this share of the budget. */
export const LOW_WATER = 0.9;

/** A temporary file older than this was left by a crash (a write takes milliseconds) and is removed by a scan. */
const STALE_TEMPORARY_MS = 10 * 60 * 1000;

const MAGIC = Buffer.from('BBSC', 'latin1');
const PREFIX_BYTES = 48;
const MAX_U32 = 0xffff_ffff;
const KIND_BYTE = { file: 0x66, directory: 0x64 } as const;
/** An entry's name, or the name of one of its temporary files. */
const OWN_NAME = /^[fd]-[0-9a-f]{64}\.bbc(?:\.[0-9a-f]{16}\.tmp)?$/;
const TEMPORARY_NAME = /\.tmp$/;
const ENTRY_KINDS: ReadonlySet<string> = new Set<SourceEntryKind>(['file', 'directory', 'symlink', 'submodule']);
/** `O_NOFOLLOW` where the platform has it (not on Windows): a symbolic link in the folder is not read through. */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

export interface DiskCacheOptions {
  /** The folder the entries go in; created (mode 0o700) on the first write. */
  readonly directory: string;
  /**
   * Bytes the entries may take on disk, all together; an entry larger than this is neither stored nor read
   * (after the setting shrinks, such entries are misses until eviction removes them).
   */
  readonly budgetBytes: number;
  /** Where disk problems are reported; they never reach the caller. */
  readonly logger?: Pick<Logger, 'debug' | 'warn'>;
  /** Milliseconds since the epoch, for entries' recency; `Date.now` unless a test drives the clock. */
  readonly now?: () => number;
}

type Kind = keyof typeof KIND_BYTE;

/** One of this cache's files found by a scan. */
interface Found {
  readonly name: string;
  readonly bytes: number;
  readonly modified: number;
  readonly temporary: boolean;
}

export class DiskCache {
  private readonly directory: string;
  private readonly budgetBytes: number;
  private readonly logger?: Pick<Logger, 'debug' | 'warn'>;
  private readonly now: () => number;
  /** Bytes on disk as of the last scan plus what this instance wrote since; undefined before the first scan. */
  private estimate: number | undefined;
  private putsSinceScan = 0;
  private scanning: Promise<void> | undefined;
  private warned = false;

  constructor(options: DiskCacheOptions) {
    this.directory = path.resolve(options.directory);
    // NaN or below zero keeps nothing; Infinity is as large as a file size gets.
    const budget = Math.floor(options.budgetBytes);
    this.budgetBytes = Number.isNaN(budget) ? 0 : Math.max(0, Math.min(budget, Number.MAX_SAFE_INTEGER));
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
  }

  /* eslint-disable l10n/user-facing-strings -- why an entry is a miss and what failed on disk: reasons that only reach the log (through miss() and failed()), never a person's screen */
  /** A file's bytes and content type as put under `key`, or undefined. */
  async getFile(key: string): Promise<SourceFile | undefined> {
    try {
      const found = await this.read('file', key);
      if (!found) return undefined;
      const contentType = found.header.contentType;
      if (typeof contentType !== 'string') return this.miss(key, 'a file entry without a content type');
      // A copy, so the caller holds a plain Uint8Array and not a view of a larger buffer.
      return { bytes: new Uint8Array(found.body), contentType };
    } catch (error) {
      return this.failed('read', error);
    }
  }

  /** Keeps a file's bytes and content type under `key`. */
  async putFile(key: string, file: SourceFile): Promise<void> {
    try {
      await this.write(
        'file',
        key,
        { key, contentType: file.contentType },
        Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength),
      );
    } catch (error) {
      this.failed('write', error);
    }
  }

  /** A directory's entries as put under `key`, or undefined. */
  async getDirectory(key: string): Promise<readonly SourceEntry[] | undefined> {
    try {
      const found = await this.read('directory', key);
      if (!found) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(found.body.toString('utf8'));
      } catch {
        return this.miss(key, 'a directory entry that is not JSON');
      }
      return toEntries(parsed) ?? this.miss(key, 'a directory entry of the wrong shape');
    } catch (error) {
      return this.failed('read', error);
    }
  }

  /** Keeps a directory's entries under `key`; only the fields of {@link SourceEntry} are written. */
  async putDirectory(key: string, entries: readonly SourceEntry[]): Promise<void> {
    try {
      const body = Buffer.from(JSON.stringify(entries.map(pickEntry)), 'utf8');
      await this.write('directory', key, { key }, body);
    } catch (error) {
      this.failed('write', error);
    }
  }

  /** Deletes every file this cache writes (entries and temporary files) from its folder, and nothing else. */
  async clear(): Promise<void> {
    try {
      const found = await this.scan();
      await Promise.all(found.map((item) => this.remove(item.name)));
      this.estimate = 0;
      this.putsSinceScan = 0;
    } catch (error) {
      this.failed('clear', error);
    }
  }

  /** Bytes on disk in the files this cache writes: what {@link clear} would free. */
  async size(): Promise<number> {
    try {
      const found = await this.scan();
      const total = found.reduce((sum, item) => sum + item.bytes, 0);
      this.estimate = found.reduce((sum, item) => sum + (item.temporary ? 0 : item.bytes), 0);
      this.putsSinceScan = 0;
      return total;
    } catch (error) {
      this.failed('size', error);
      return 0;
    }
  }

  /** The entry of this kind and key, checked end to end, its recency renewed; undefined for any miss. */
  private async read(kind: Kind, key: string): Promise<{ header: Record<string, unknown>; body: Buffer } | undefined> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.entryPath(kind, key), READ_FLAGS);
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return undefined;
      if (isCode(error, 'ELOOP') || isCode(error, 'EMLINK')) return this.miss(key, 'a symbolic link, not followed');
      throw error;
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) return this.miss(key, 'not a regular file');
      // Nothing larger than the budget is ever written: such a file is not this cache's.
      if (stat.size < PREFIX_BYTES || stat.size > this.budgetBytes) return this.miss(key, `${stat.size} bytes, not an entry`);
      const data = await handle.readFile();
      const decoded = decode(data, kind);
      if (typeof decoded === 'string') return this.miss(key, decoded);
      if (decoded.header.key !== key) return this.miss(key, 'stored under another key');
      await handle.utimes(new Date(this.now()), new Date(this.now())).catch((error: unknown) => this.failed('touch', error));
      return decoded;
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /** Writes one entry atomically, unless it is larger than the budget, then evicts if the folder may be over it. */
  private async write(kind: Kind, key: string, header: Record<string, string>, body: Buffer): Promise<void> {
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const length = PREFIX_BYTES + headerBytes.length + body.length;
    if (length > this.budgetBytes || headerBytes.length > MAX_U32 || body.length > MAX_U32) {
      this.logger?.debug(`Disk cache: not keeping ${kind} ${key}: ${length} bytes, over the budget of ${this.budgetBytes}.`);
      return;
    }
    const prefix = Buffer.alloc(PREFIX_BYTES);
    MAGIC.copy(prefix, 0);
    prefix.writeUInt8(DISK_CACHE_FORMAT_VERSION, 4);
    prefix.writeUInt8(KIND_BYTE[kind], 5);
    prefix.writeUInt32BE(headerBytes.length, 8);
    prefix.writeUInt32BE(body.length, 12);
    createHash('sha256').update(headerBytes).update(body).digest().copy(prefix, 16);

    await fs.mkdir(this.directory, { recursive: true, mode: 0o700 });
    const target = this.entryPath(kind, key);
    const temporary = `${target}.${randomBytes(8).toString('hex')}.tmp`;
    try {
      const handle = await fs.open(temporary, 'wx', 0o600);
      try {
        // Each writeFile continues from where the last one stopped and loops until all of it is written.
        await handle.writeFile(prefix);
        await handle.writeFile(headerBytes);
        await handle.writeFile(body);
        await handle.utimes(new Date(this.now()), new Date(this.now()));
      } finally {
        await handle.close();
      }
      await fs.rename(temporary, target);
    } catch (error) {
      await fs.unlink(temporary).catch(() => undefined);
      throw error;
    }

    this.putsSinceScan++;
    if (this.estimate !== undefined) this.estimate += length;
    if (this.estimate === undefined || this.estimate > this.budgetBytes || this.putsSinceScan >= SCAN_EVERY_PUTS) await this.evict();
  }

  /** Scans the folder and deletes the least recently used entries while over budget; one scan at a time. */
  private evict(): Promise<void> {
    this.scanning ??= (async () => {
      try {
        const found = await this.scan();
        const now = this.now();
        const entries: Found[] = [];
        for (const item of found) {
          if (!item.temporary) entries.push(item);
          else if (now - item.modified > STALE_TEMPORARY_MS) await this.remove(item.name);
        }
        let total = entries.reduce((sum, item) => sum + item.bytes, 0);
        if (total > this.budgetBytes) {
          const target = Math.floor(this.budgetBytes * LOW_WATER);
          entries.sort((a, b) => a.modified - b.modified || (a.name < b.name ? -1 : 1));
          let evicted = 0;
          for (const item of entries) {
            if (total <= target) break;
            await this.remove(item.name);
            total -= item.bytes;
            evicted++;
          }
          this.logger?.debug(`Disk cache: evicted ${evicted} entries, ${total} bytes left of ${this.budgetBytes}.`);
        }
        this.estimate = total;
        this.putsSinceScan = 0;
      } catch (error) {
        this.failed('evict', error);
      } finally {
        this.scanning = undefined;
      }
    })();
    return this.scanning;
  }

  /**
   * This cache's files directly in its folder: names of its own forms that are regular files. Empty when the
   * folder does not exist, or is not a real directory (a symbolic link to one is not followed).
   */
  private async scan(): Promise<Found[]> {
    try {
      const folder = await fs.lstat(this.directory);
      if (!folder.isDirectory()) {
        this.logger?.debug(`Disk cache: ${this.directory} is not a directory; nothing there is this cache's.`);
        return [];
      }
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return [];
      throw error;
    }
    const found: Found[] = [];
    for (const name of await fs.readdir(this.directory)) {
      if (!OWN_NAME.test(name)) continue;
      try {
        const stat = await fs.lstat(path.join(this.directory, name));
        if (stat.isFile()) found.push({ name, bytes: stat.size, modified: stat.mtimeMs, temporary: TEMPORARY_NAME.test(name) });
      } catch (error) {
        if (!isCode(error, 'ENOENT')) throw error; // gone meanwhile: another window evicted or renamed it
      }
    }
    return found;
  }

  /** Deletes one of this cache's files by name; one already gone is fine. `unlink` never follows a link. */
  private async remove(name: string): Promise<void> {
    if (!OWN_NAME.test(name)) return;
    try {
      await fs.unlink(path.join(this.directory, name));
    } catch (error) {
      if (!isCode(error, 'ENOENT')) throw error;
    }
  }

  private entryPath(kind: Kind, key: string): string {
    const hash = createHash('sha256').update(key, 'utf8').digest('hex');
    return path.join(this.directory, `${kind === 'file' ? 'f' : 'd'}-${hash}.bbc`);
  }

  private miss(key: string, why: string): undefined {
    this.logger?.debug(`Disk cache: miss for ${key}: ${why}.`);
    return undefined;
  }

  /** Reports a disk problem: the first as a warning, the rest at debug level, so a full disk does not flood the log. */
  private failed(what: string, error: unknown): undefined {
    const message = `Disk cache: could not ${what} in ${this.directory}: ${error instanceof Error ? error.message : String(error)}`;
    if (this.warned) {
      this.logger?.debug(message);
    } else {
      this.warned = true;
      this.logger?.warn(message);
    }
    return undefined;
  }
}

/** The header and body of an entry of this kind, or why the bytes are not one. */
function decode(data: Buffer, kind: Kind): { header: Record<string, unknown>; body: Buffer } | string {
  if (data.length < PREFIX_BYTES || !data.subarray(0, 4).equals(MAGIC)) return 'not an entry';
  if (data.readUInt8(4) !== DISK_CACHE_FORMAT_VERSION) return `format version ${data.readUInt8(4)}`;
  if (data.readUInt8(5) !== KIND_BYTE[kind]) return 'another kind of entry';
  const headerLength = data.readUInt32BE(8);
  const bodyLength = data.readUInt32BE(12);
  if (data.length !== PREFIX_BYTES + headerLength + bodyLength) return 'truncated or extended';
  const rest = data.subarray(PREFIX_BYTES);
  if (!createHash('sha256').update(rest).digest().equals(data.subarray(16, PREFIX_BYTES))) return 'digest does not match';
  let header: unknown;
  try {
    header = JSON.parse(rest.subarray(0, headerLength).toString('utf8'));
  } catch {
    return 'header is not JSON';
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return 'header is not an object';
  return { header: header as Record<string, unknown>, body: rest.subarray(headerLength) };
}
/* eslint-enable l10n/user-facing-strings */

/** Only the fields of a SourceEntry, whatever else the object carries. */
function pickEntry(entry: SourceEntry): SourceEntry {
  const { path: entryPath, kind, size, binary, executable, lfs } = entry;
  return { path: entryPath, kind, size, binary, executable, lfs };
}

/** Parsed JSON as directory entries, or undefined if any of it has the wrong shape. */
function toEntries(value: unknown): SourceEntry[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const entries: SourceEntry[] = [];
  for (const item of value as unknown[]) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { path: entryPath, kind, size, binary, executable, lfs } = item as Record<string, unknown>;
    if (typeof entryPath !== 'string' || typeof kind !== 'string' || !ENTRY_KINDS.has(kind)) return undefined;
    if (size !== undefined && typeof size !== 'number') return undefined;
    if ([binary, executable, lfs].some((flag) => flag !== undefined && typeof flag !== 'boolean')) return undefined;
    const entry: { -readonly [K in keyof SourceEntry]: SourceEntry[K] } = { path: entryPath, kind: kind as SourceEntryKind };
    if (size !== undefined) entry.size = size;
    if (binary !== undefined) entry.binary = binary as boolean;
    if (executable !== undefined) entry.executable = executable as boolean;
    if (lfs !== undefined) entry.lfs = lfs as boolean;
    entries.push(entry);
  }
  return entries;
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
