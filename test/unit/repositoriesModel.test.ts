/**
 * The view's state without the view: containers and their repositories through the Cloud host against
 * the sandbox, the cache a second start begins from, errors and rate-limit back-off kept as state.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudHost } from '../../src/bitbucket/cloudHost';
import { BitbucketError } from '../../src/bitbucket/errors';
import { BitbucketHost } from '../../src/host/types';
import { RepositoriesModel } from '../../src/tree/repositoriesModel';
import { TreeCache } from '../../src/tree/treeCache';
import { MapMemento, useSandbox } from './fixture';

const fixture = useSandbox({ retry: { maxRetries: 0 } });
const silent = { debug() {}, info() {}, warn() {}, error() {} };

function model(
  cache = new TreeCache(new MapMemento(), 'account-1'),
  host: () => BitbucketHost | undefined = () => new CloudHost(fixture.client(), fixture.demo),
) {
  const changes: Array<string | undefined> = [];
  const made = new RepositoriesModel({
    host,
    cacheOwner: () => `demo@${fixture.sandbox.apiUrl}`,
    settings: () => ({ pageSize: 50, sortRepositoriesBy: 'updated' }),
    cache,
    logger: silent,
    track: (task) => task,
  });
  made.onDidChange((container) => changes.push(container));
  return { model: made, cache, changes };
}

const apiRequests = (part: string) => fixture.sandbox.requests.filter((entry) => !entry.git && entry.path.includes(part));

/** Resolves once `condition` holds after a change the model announced; fails after 20 s. */
function changedUntil(view: RepositoriesModel, condition: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting until ${what}`)), 20_000);
    const subscription = view.onDidChange(() => {
      if (!condition()) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
  });
}

describe('RepositoriesModel', () => {
  it('lists the containers in one request and a container’s first page in one more', async () => {
    const { model: view, changes } = model();
    const containers = await view.containers();
    assert.ok(containers.some((entry) => entry.slug === 'acme'));
    assert.equal(apiRequests('/user/workspaces').length, 1);
    assert.ok(changes.includes(undefined), 'the roots were announced');
    const listing = await view.repositories('acme');
    assert.equal(listing.repositories.length, 50);
    assert.equal(apiRequests('/repositories/acme').length, 1);
    changes.length = 0;
    await view.loadMore('acme');
    assert.equal(listing.repositories.length, 100);
    assert.deepEqual(changes, ['acme', 'acme'], 'announced as it starts and when the page has landed');
    view.dispose();
  });

  it('starts from the cache a previous start wrote, marked cached, and revalidates behind it', async () => {
    const cache = new TreeCache(new MapMemento(), 'account-1');
    const first = model(cache);
    await first.model.containers();
    await first.model.repositories('acme');
    first.model.dispose();
    fixture.sandbox.clearRequests();
    const second = model(cache);
    const state = await second.model.rootsState();
    assert.ok('containers' in state && state.containers && state.containers.length > 0, 'the cached roots, at once');
    assert.ok(state.containers.every((entry) => entry.cached));
    const listing = await second.model.repositories('acme');
    assert.equal(listing.fromCache, true);
    assert.equal(listing.repositories.length, 50, 'shown before any answer');
    const revalidated = () =>
      !listing.fromCache && second.model.entry('acme')?.cached === false && apiRequests('/user/workspaces').length === 1;
    await changedUntil(second.model, revalidated, 'the cached roots and page were revalidated');
    assert.equal(apiRequests('/repositories/acme').length, 1, 'the page, with one request');
    assert.equal(apiRequests('/user/workspaces').length, 1, 'the roots, with one request');
    second.model.dispose();
  });

  it('keeps a rate limit as state, with the time it tries again by itself', async () => {
    const { model: view } = model();
    await view.containers();
    fixture.sandbox.addFault({ kind: 'rate-limit', match: '/repositories/acme', retryAfterSeconds: 120 });
    const before = Date.now();
    const listing = await view.repositories('acme');
    assert.equal(listing.error?.kind, 'rateLimited');
    const at = view.retriesAt('acme');
    assert.ok(at !== undefined && at >= before + 119_000 && at <= Date.now() + 121_000, String(at));
    view.dispose(); // and its retry timer with it
  });

  it('says to sign in when there is no account, as an error rather than a throw out of the roots', async () => {
    const { model: view } = model(undefined, () => undefined);
    const state = await view.rootsState();
    assert.ok('error' in state && state.error instanceof BitbucketError && state.error.kind === 'unauthorized');
    await assert.rejects(view.containers(), (error: unknown) => error instanceof BitbucketError && error.kind === 'unauthorized');
    view.dispose();
  });
});
