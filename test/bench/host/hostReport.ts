/**
 * What the bench's extension-host modules measure and how it reaches the launcher
 * (test/harness/run-bench-host.ts): the host writes one JSON file whose path the launcher passes in the
 * environment, since host and launcher share the disk. No `vscode` import: the launcher loads this too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';

/** Where the host writes its result; set by the launcher for each workbench it starts. */
export const RESULT_FILE_ENV = 'BITBUCKET_BENCH_RESULT_FILE';
/** "visible" opens the Bitbucket view and expands acme in it; anything else leaves the view closed. */
export const MEMORY_VIEW_ENV = 'BITBUCKET_BENCH_MEMORY_VIEW';
/** Prefix of the progress lines the launcher shows (the rest of the workbench's log it hides). */
export const LOG_TAG_ENV = 'BITBUCKET_SUITE_LOG_TAG';
/** The extension the activation module times: ours unless the launcher names another (the baseline). */
export const EXTENSION_ID_ENV = 'BITBUCKET_BENCH_EXTENSION_ID';
/** Ours, as VS Code names it in its marks and logs: `publisher.name` from package.json. */
export const BITBUCKET_EXTENSION_ID = 'bitbucket-repositories.bitbucket-repositories';

export interface ActivationResult {
  kind: 'activation';
  /** Why the figures cannot count. */
  invalid?: string;
  /** "bench": the module's activate() call started it; "host": an activation event had, before the module ran. */
  triggeredBy?: 'bench' | 'host';
  /**
   * Wall time of `extension.activate()`: loading dist/extension.js, building its context, calling activate().
   * Only when the bench triggered the activation.
   */
  activateMs?: number;
  /** From `activate()` being asked for until the API's `ready` (the stored credential read) resolved. */
  readyMs?: number;
  /** VS Code's own marks in the host (Date.now() resolution): loading the module, then calling activate(). */
  codeLoadingMs?: number;
  activateCallMs?: number;
  /** From the start of the module load to activate() having returned, by the same marks: whoever triggered it. */
  markedTotalMs?: number;
  error?: string;
}

export interface MemoryResult {
  kind: 'memory';
  view: 'visible' | 'hidden';
  /** How the heap was settled before each reading. */
  gc: 'global.gc' | 'v8 --expose-gc' | 'none';
  /** True when a forced collection visibly freed a throw-away allocation. */
  gcVerified: boolean;
  heapUsedBefore?: number;
  heapUsedAfter?: number;
  externalBefore?: number;
  externalAfter?: number;
  repositories?: number;
  loadMoreClicks?: number;
  /** Tree items the view asked the extension for while loading (visible view only). */
  treeItemsDrawn?: number;
  loadSeconds?: number;
  error?: string;
}

export type HostResult = ActivationResult | MemoryResult;

export function writeResult(result: HostResult): void {
  const file = process.env[RESULT_FILE_ENV];
  if (!file) throw new Error(`${RESULT_FILE_ENV} is not set: run this through test/harness/run-bench-host.ts.`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2));
}

/** A progress line through the workbench's console forwarding, tagged so the launcher shows it. */
export function say(...args: unknown[]): void {
  console.log(`${process.env[LOG_TAG_ENV] ?? ''}${util.format(...args)}`);
}

export function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** The extension's own log (its LogOutputChannel) and the extension host's, under code-server's logs folder. */
export const EXTENSION_LOG = /exthost\d*[\\/]bitbucket-repositories\.bitbucket-repositories[\\/]Bitbucket\.log$/;
export const HOST_LOG = /exthost\d*[\\/]remoteexthost\.log$/;
export const ACTIVATED_LINE = /Activated in (\d+) ms\./;

/** The text of every log file under `userDataDir`/logs whose path matches `pattern`. */
export function readLogs(userDataDir: string, pattern: RegExp): string {
  const logs = path.join(userDataDir, 'logs');
  if (!fs.existsSync(logs)) return '';
  return fs
    .readdirSync(logs, { recursive: true, encoding: 'utf8' })
    .filter((file) => pattern.test(file))
    .map((file) => fs.readFileSync(path.join(logs, file), 'utf8'))
    .join('\n');
}
