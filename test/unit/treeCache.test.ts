/** The tree cache: one owner at a time, nothing written after a sign-out, no credential ever. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TreeCache } from '../../src/tree/treeCache';
import { MapMemento } from './fixture';

const snapshot = {
  repositories: [{ id: '{1}', container: 'acme', slug: 'api', name: 'API', fullName: 'acme/api', isPrivate: true }],
  savedAt: 1,
};

describe('TreeCache', () => {
  it('keeps what one account saw, and gives another account nothing', async () => {
    const memento = new MapMemento();
    const cache = new TreeCache(memento, 'account-1');
    cache.open('ann@https://api.bitbucket.org/2.0');
    cache.setWorkspaces([{ slug: 'acme', administrator: true, name: 'Acme' }]);
    cache.setListing('acme', snapshot);
    await cache.flush();

    const again = new TreeCache(memento, 'account-1');
    again.open('ann@https://api.bitbucket.org/2.0');
    assert.deepEqual(again.workspaces(), [{ slug: 'acme', administrator: true, name: 'Acme' }]);
    assert.equal(again.listing('acme')?.repositories[0].slug, 'api');

    const other = new TreeCache(memento, 'account-1');
    other.open('bob@https://api.bitbucket.org/2.0');
    assert.equal(other.workspaces(), undefined);
    assert.equal(other.listing('acme'), undefined);
  });

  it('writes nothing back after forget, and clear removes what was written', async () => {
    const memento = new MapMemento();
    const cache = new TreeCache(memento, 'account-1');
    cache.open('ann@x');
    cache.setListing('acme', snapshot);
    cache.forget();
    await cache.flush();
    assert.deepEqual(memento.keys(), []);
    cache.open('ann@x');
    cache.setListing('acme', snapshot);
    await cache.flush();
    assert.equal(memento.keys().length, 1);
    await cache.clear();
    assert.deepEqual(memento.keys(), []);
  });
});
