/**
 * Bench module for one memory run (`extensionTestsPath`): the extension host's heap after signing in, then
 * after loading all 5,000 repositories of acme into the tree by Load more, each read after forced
 * collections. With the view visible, acme is expanded in the real view, so the host also holds what
 * VS Code's tree view keeps for every item drawn.
 */
import { performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import type { BitbucketRepositoriesApi } from '../../../src/extension';
import type { TreeNode } from '../../../src/tree/nodes';
import { DEMO } from '../../sandbox/seed';
import { MEMORY_VIEW_ENV, MemoryResult, errorText, say, writeResult } from './hostReport';

const EXTENSION_ID = 'bitbucket-repositories.bitbucket-repositories';
const PAGE_SIZE = 100;
/** How long without a call from the view counts as "the view has finished drawing". */
const VIEW_QUIET_MS = 1_500;

type Api = BitbucketRepositoriesApi;
type Provider = Api['tree'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A function that forces a full collection: `global.gc` when the host has it, else V8's flag set late. */
function findGc(): { gc?: () => void; how: MemoryResult['gc'] } {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return { gc: exposed, how: 'global.gc' };
  try {
    // A context created after the flag is set gets `gc` as a global; the function works for the whole heap.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return { gc: gc as () => void, how: 'v8 --expose-gc' };
  } catch {
    // No way to force one; readings are then the median of several after waiting.
  }
  return { how: 'none' };
}

/** heapUsed while about 40 MB of throw-away arrays are still reachable. */
function heapUsedHoldingGarbage(): number {
  const garbage = Array.from({ length: 5_000 }, (_, index) => Array.from({ length: 1_000 }, () => index + 0.5));
  return garbage.length > 0 ? process.memoryUsage().heapUsed : 0;
}

/** Whether collecting frees a throw-away allocation, i.e. `gc` really collects. */
function gcWorks(gc: () => void): boolean {
  gc();
  const before = process.memoryUsage().heapUsed;
  const filled = heapUsedHoldingGarbage();
  gc();
  const after = process.memoryUsage().heapUsed;
  return filled - before > 20e6 && after - before < 5e6;
}

/** heapUsed and external after collecting, the median of three readings a little apart. */
async function settledMemory(gc: (() => void) | undefined): Promise<{ heapUsed: number; external: number }> {
  const readings: { heapUsed: number; external: number }[] = [];
  for (let reading = 0; reading < 3; reading++) {
    await sleep(gc ? 200 : 2_000);
    if (gc) {
      gc();
      await sleep(50); // lets finalizers and weak callbacks run, then collect what they freed
      gc();
    }
    const { heapUsed, external } = process.memoryUsage();
    readings.push({ heapUsed, external });
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[1];
  return { heapUsed: median(readings.map((r) => r.heapUsed)), external: median(readings.map((r) => r.external)) };
}

/**
 * Counts the view's calls into the tree provider, to know when it has drawn acme: VS Code's tree view calls
 * `getChildren`/`getTreeItem` on the provider object it was given, which is the object `api.tree` exposes.
 * The bench's own calls go to the original methods and are not counted.
 */
class ViewCalls {
  lastCallAt = performance.now();
  treeItems = 0;
  childrenOf = new Map<TreeNode | undefined, number>();
  readonly getChildren: Provider['getChildren'];
  readonly getTreeItem: Provider['getTreeItem'];

  constructor(provider: Provider) {
    this.getChildren = provider.getChildren.bind(provider);
    this.getTreeItem = provider.getTreeItem.bind(provider);
    provider.getChildren = async (node?: TreeNode) => {
      this.lastCallAt = performance.now();
      const children = await this.getChildren(node);
      this.childrenOf.set(node, children.length);
      this.lastCallAt = performance.now();
      return children;
    };
    provider.getTreeItem = (node: TreeNode) => {
      this.lastCallAt = performance.now();
      this.treeItems++;
      return this.getTreeItem(node);
    };
  }

  /** Waits until `done` holds and the view has not called for `quietMs`. */
  async quiet(what: string, done: () => boolean, quietMs = VIEW_QUIET_MS, timeoutMs = 60_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!(done() && performance.now() - this.lastCallAt >= quietMs)) {
      if (performance.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
      await sleep(100);
    }
  }
}

function contextOf(provider: Pick<Provider, 'getTreeItem'>, node: TreeNode): string | undefined {
  return provider.getTreeItem(node).contextValue;
}

export async function run(): Promise<void> {
  const view = process.env[MEMORY_VIEW_ENV] === 'visible' ? 'visible' : 'hidden';
  const { gc, how } = findGc();
  const result: MemoryResult = { kind: 'memory', view, gc: how, gcVerified: gc ? gcWorks(gc) : false };
  try {
    const extension = vscode.extensions.getExtension<Api>(EXTENSION_ID);
    if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this host`);
    const api = await extension.activate();
    await api.ready;
    const pageSize = vscode.workspace.getConfiguration('bitbucket').get<number>('pageSize');
    if (pageSize !== PAGE_SIZE) throw new Error(`bitbucket.pageSize is ${pageSize}; the launcher sets it to ${PAGE_SIZE}`);
    const calls = new ViewCalls(api.tree);
    const tree = { getChildren: calls.getChildren, getTreeItem: calls.getTreeItem };

    await vscode.commands.executeCommand('bitbucket.signIn', { kind: 'apiToken', email: DEMO.email, token: DEMO.apiToken });
    if (api.authState() !== 'signedIn') throw new Error(`signing in with the demo API token left the state ${api.authState()}`);
    const roots = await tree.getChildren();
    const acme = roots.find((node) => (node as { slug?: string }).slug === DEMO.largeWorkspace);
    if (!acme) throw new Error(`${DEMO.largeWorkspace} is not among the workspaces`);
    if (view === 'visible') {
      await vscode.commands.executeCommand('workbench.view.extension.bitbucket');
      await calls.quiet('the view shows the workspaces', () => calls.childrenOf.has(undefined));
    } else {
      await sleep(VIEW_QUIET_MS); // display names arrive after the list
    }

    const before = await settledMemory(gc);
    result.heapUsedBefore = before.heapUsed;
    result.externalBefore = before.external;
    say(`heapUsed before ${(before.heapUsed / 1e6).toFixed(1)} MB (${view} view, gc: ${how}, verified: ${result.gcVerified})`);

    const started = performance.now();
    if (view === 'visible') {
      // Expands acme the way the keyboard does: focus the view, the first row (acme), expand.
      await vscode.commands.executeCommand('bitbucket.repositories.focus');
      await vscode.commands.executeCommand('list.focusFirst');
      await vscode.commands.executeCommand('list.expand');
      await calls.quiet('the view expands acme', () => calls.childrenOf.has(acme), 0);
    }
    let children = await tree.getChildren(acme);
    let clicks = 0;
    while (children.length > 0 && contextOf(tree, children[children.length - 1]) === 'loadMore') {
      await vscode.commands.executeCommand('bitbucket.loadMore', acme);
      clicks++;
      const shown = children.length;
      children = await tree.getChildren(acme);
      if (children.length <= shown) throw new Error(`Load more #${clicks} added nothing (${shown} nodes before and after)`);
    }
    const repositories = children.filter((node) => contextOf(tree, node) === 'repository');
    if (view === 'visible') {
      await calls.quiet('the view draws every repository', () => calls.childrenOf.get(acme) === children.length);
    }
    // With the view open, loading ends with the view's last call, not after the quiet spell that confirms it.
    result.loadSeconds = ((view === 'visible' ? calls.lastCallAt : performance.now()) - started) / 1000;
    result.repositories = repositories.length;
    result.loadMoreClicks = clicks;
    if (view === 'visible') result.treeItemsDrawn = calls.treeItems;
    if (repositories.length !== DEMO.largeWorkspaceRepositoryCount) {
      throw new Error(`acme shows ${repositories.length} repositories, not ${DEMO.largeWorkspaceRepositoryCount}`);
    }

    const after = await settledMemory(gc);
    result.heapUsedAfter = after.heapUsed;
    result.externalAfter = after.external;
    say(
      `heapUsed after ${(after.heapUsed / 1e6).toFixed(1)} MB: +${((after.heapUsed - before.heapUsed) / 1e6).toFixed(1)} MB for ` +
        `${repositories.length} repositories (${clicks} Load more, ${result.loadSeconds.toFixed(1)} s)`,
    );
  } catch (error) {
    result.error = errorText(error);
  }
  writeResult(result);
  if (result.error) throw new Error(result.error);
}
