/**
 * What was fetched for a commit, kept: a commit's trees and files never change, so nothing is asked
 * twice. Bounded by bytes, the least recently used going first. No `vscode` import.
 */
import { SourceEntry, SourceFile } from '../host/types';

/** Enough for a few hundred source files and the listings around them. */
export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

type Cached = { readonly directory: readonly SourceEntry[] } | { readonly file: SourceFile } | { readonly entry: SourceEntry };

export class SourceCache {
  private readonly items = new Map<string, { value: Cached; bytes: number }>();
  private total = 0;

  constructor(private readonly budgetBytes = DEFAULT_CACHE_BYTES) {}

  directory(key: string): readonly SourceEntry[] | undefined {
    const value = this.get(`d:${key}`);
    return value && 'directory' in value ? value.directory : undefined;
  }

  file(key: string): SourceFile | undefined {
    const value = this.get(`f:${key}`);
    return value && 'file' in value ? value.file : undefined;
  }

  entry(key: string): SourceEntry | undefined {
    const value = this.get(`e:${key}`);
    return value && 'entry' in value ? value.entry : undefined;
  }

  putDirectory(key: string, directory: readonly SourceEntry[]): void {
    this.put(`d:${key}`, { directory }, 64 + directory.reduce((sum, entry) => sum + 48 + entry.path.length * 2, 0));
  }

  putFile(key: string, file: SourceFile): void {
    this.put(`f:${key}`, { file }, 64 + file.bytes.byteLength);
  }

  putEntry(key: string, entry: SourceEntry): void {
    this.put(`e:${key}`, { entry }, 64 + entry.path.length * 2);
  }

  /** Bytes held now. */
  get size(): number {
    return this.total;
  }

  private get(key: string): Cached | undefined {
    const item = this.items.get(key);
    if (!item) return undefined;
    // Most recently used last.
    this.items.delete(key);
    this.items.set(key, item);
    return item.value;
  }

  private put(key: string, value: Cached, bytes: number): void {
    if (bytes > this.budgetBytes) return; // larger than the whole cache: not kept
    const old = this.items.get(key);
    if (old) {
      this.items.delete(key);
      this.total -= old.bytes;
    }
    this.items.set(key, { value, bytes });
    this.total += bytes;
    for (const [oldest, item] of this.items) {
      if (this.total <= this.budgetBytes) break;
      this.items.delete(oldest);
      this.total -= item.bytes;
    }
  }
}
