/**
 * Several accounts side by side, through the Cloud host against the sandbox: each account lists with its
 * own credential into its own model and cache, one account's refused token leaves the others working,
 * and signing out of one removes its cache alone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudHost } from '../../src/bitbucket/cloudHost';
import { Credential } from '../../src/bitbucket/credentials';
import { AccountModels, ModelAccount } from '../../src/tree/accountModels';
import { DEMO } from '../sandbox/seed';
import { MapMemento, useSandbox } from './fixture';

const fixture = useSandbox({ retry: { maxRetries: 0 } });
const silent = { debug() {}, info() {}, warn() {}, error() {} };

function account(id: string, credential: Credential): ModelAccount & { state: 'signedIn' | 'expired' } {
  return {
    id,
    label: id,
    state: 'signedIn',
    onlyContainer: credential.kind === 'accessToken' ? credential.workspace : undefined,
    host: () => new CloudHost(fixture.client({ credential }), credential),
    cacheOwner: () => `${id}@${fixture.sandbox.apiUrl}`,
  };
}

const demoAccount = () => account('demo', { kind: 'apiToken', email: DEMO.email, token: DEMO.apiToken });
const acmeAccount = () => account('acme-ci', { kind: 'accessToken', token: DEMO.accessToken.token, workspace: DEMO.accessToken.workspace });

function models(memento = new MapMemento()) {
  return {
    memento,
    models: new AccountModels({
      memento,
      settings: () => ({ pageSize: 25, sortRepositoriesBy: 'name' }),
      logger: silent,
      track: (task) => task,
    }),
  };
}

const requestsBy = (user: string) => fixture.sandbox.requests.filter((entry) => !entry.git && entry.user === user);

describe('AccountModels', () => {
  it('lists every account’s containers, each with its own credential, and knows who reaches what', async () => {
    const { models: registry } = models();
    const demo = demoAccount();
    const acme = acmeAccount();
    assert.deepEqual(registry.sync([demo, acme]), ['demo', 'acme-ci']);
    const all = await registry.containersOfAll();
    assert.deepEqual(
      all.map((entry) => `${entry.account.id}:${entry.slug}`),
      [...DEMO.workspaces.map((slug) => `demo:${slug}`), 'acme-ci:acme'],
    );
    assert.deepEqual(
      (await registry.accountsReaching('acme')).map((reaching) => reaching.id),
      ['demo', 'acme-ci'],
    );
    assert.deepEqual(
      (await registry.accountsReaching(DEMO.personalWorkspace)).map((reaching) => reaching.id),
      ['demo'],
    );
    assert.deepEqual(await registry.accountsReaching('globex'), []);

    await registry.model('acme-ci')!.repositories('acme');
    await registry.model('demo')!.repositories('acme');
    const asToken = requestsBy(DEMO.accessToken.name).filter((entry) => entry.path.startsWith('/2.0/repositories/acme'));
    const asDemo = requestsBy(DEMO.username).filter((entry) => entry.path.startsWith('/2.0/repositories/acme'));
    assert.equal(asToken.length, 1, 'the access token account listed acme once, with its token');
    assert.equal(asDemo.length, 1, 'the API token account listed acme once, with its token');
    assert.equal(requestsBy(DEMO.accessToken.name).filter((entry) => entry.path === '/2.0/user/workspaces').length, 0);
  });

  it('one account’s refused token leaves the other listing, and is not asked for what it reaches', async () => {
    const { models: registry } = models();
    const demo = demoAccount();
    const expired = account('expired', { kind: 'apiToken', email: DEMO.email, token: DEMO.expiredApiToken });
    registry.sync([expired, demo]);
    const all = await registry.containersOfAll();
    assert.deepEqual(
      all.map((entry) => entry.account.id),
      DEMO.workspaces.map(() => 'demo'),
    );
    const state = await registry.model('expired')!.rootsState();
    assert.ok('error' in state && state.error.kind === 'unauthorized', 'the refused account holds its error as state');
    const listing = await registry.model('demo')!.repositories('acme');
    assert.equal(listing.error, undefined);
    assert.equal(listing.repositories.length, 25);
    expired.state = 'expired';
    assert.deepEqual(
      (await registry.accountsReaching('acme')).map((reaching) => reaching.id),
      ['demo'],
    );
  });

  it('throws the first error when no account can list', async () => {
    const { models: registry } = models();
    registry.sync([account('expired', { kind: 'apiToken', email: DEMO.email, token: DEMO.expiredApiToken })]);
    await assert.rejects(registry.containersOfAll(), (error: Error & { kind?: string }) => error.kind === 'unauthorized');
  });

  it('each account caches under its own key; a removed account’s cache goes, the other stays', async () => {
    const { models: registry, memento } = models();
    const demo = demoAccount();
    const acme = acmeAccount();
    registry.sync([demo, acme]);
    await registry.model('demo')!.repositories('acme');
    await registry.model('acme-ci')!.repositories('acme');
    await registry.flush();
    assert.deepEqual([...memento.keys()].sort(), ['bitbucket.treeCache:acme-ci', 'bitbucket.treeCache:demo']);
    assert.deepEqual(registry.sync([demo]), ['acme-ci']);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(memento.keys(), ['bitbucket.treeCache:demo']);
    assert.equal(registry.model('acme-ci'), undefined);
    assert.ok(registry.model('demo'), 'the other account keeps its model');
  });

  it('a changed account (signed in again) gets a new model that starts from its cache', async () => {
    const { models: registry } = models();
    const first = demoAccount();
    registry.sync([first]);
    const before = registry.model('demo');
    await before!.containers();
    await before!.repositories('acme');
    await registry.flush();
    const again = demoAccount();
    assert.deepEqual(registry.sync([again]), ['demo']);
    const after = registry.model('demo')!;
    assert.notEqual(after, before);
    const entries = await after.rootsState();
    assert.ok('containers' in entries && entries.containers?.every((entry) => entry.cached), 'shown from the cache, marked');
  });
});
