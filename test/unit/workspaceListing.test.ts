/** The tree's paging model against the sandbox: one request per page, appends, cancellation, errors as state. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudHost } from '../../src/bitbucket/cloudHost';
import { WorkspaceListing } from '../../src/tree/workspaceListing';
import { useSandbox } from './fixture';

const fixture = useSandbox({ retry: { maxRetries: 0 } });

function listing(workspace = fixture.sandbox.credentials.largeWorkspace, pageSize = 50): WorkspaceListing {
  const host = new CloudHost(fixture.client(), fixture.demo);
  return new WorkspaceListing(workspace, {
    first: (slug, signal) => host.repositories(slug, { pageSize, signal }),
    next: (next, signal) => host.nextRepositories(next, signal),
  });
}

function repositoryRequests() {
  return fixture.sandbox.requests.filter((entry) => entry.path.startsWith('/2.0/repositories/'));
}

describe('WorkspaceListing', () => {
  it('loads the first page with one request, and each Load more with one more', async () => {
    const model = listing();
    await model.ensureLoaded();
    assert.equal(model.repositories.length, 50);
    assert.equal(repositoryRequests().length, 1);
    await model.ensureLoaded();
    assert.equal(repositoryRequests().length, 1, 'a second expand does not ask again');
    await model.loadMore();
    await model.loadMore();
    assert.equal(model.repositories.length, 150);
    assert.equal(repositoryRequests().length, 3);
    assert.ok(model.hasMore);
    assert.equal(model.size, fixture.sandbox.credentials.largeWorkspaceSize);
  });

  it('joins a Load more that is already running instead of asking twice', async () => {
    const model = listing();
    await model.ensureLoaded();
    await Promise.all([model.loadMore(), model.loadMore(), model.loadMore()]);
    assert.equal(model.repositories.length, 100);
    assert.equal(repositoryRequests().length, 2);
  });

  it('loads a whole large workspace by repeated Load more: every repository once, in order', async () => {
    const model = listing(fixture.sandbox.credentials.largeWorkspace, 100);
    await model.ensureLoaded();
    while (model.hasMore) await model.loadMore();
    const slugs = model.repositories.map((repository) => repository.slug);
    assert.ok(slugs.length >= 5_000, `${slugs.length} repositories`);
    assert.equal(new Set(slugs).size, slugs.length);
    assert.equal(slugs.length, model.size);
    const dates = model.repositories.map((repository) => Date.parse(repository.updatedOn!));
    for (let index = 1; index < dates.length; index++) assert.ok(dates[index - 1] >= dates[index], `order at ${index}`);
  });

  it('keeps what is shown when a Load more fails, and recovers on the next try', async () => {
    const model = listing();
    await model.ensureLoaded();
    fixture.sandbox.addFault({ kind: 'status', status: 500, match: '/repositories/' });
    await model.loadMore();
    assert.equal(model.error?.kind, 'serverError');
    assert.equal(model.repositories.length, 50);
    await model.loadMore();
    assert.equal(model.error, undefined);
    assert.equal(model.repositories.length, 100);
  });

  it('reports an empty workspace as loaded with nothing more', async () => {
    const model = listing(fixture.sandbox.credentials.emptyWorkspace);
    await model.ensureLoaded();
    assert.equal(model.loaded, true);
    assert.equal(model.repositories.length, 0);
    assert.equal(model.hasMore, false);
  });

  it('a reload cancels the load in flight and only the newer one lands', async () => {
    const model = listing();
    fixture.sandbox.addFault({ kind: 'delay', delayMs: 1_000, match: '/repositories/' });
    const first = model.reload();
    const second = model.reload();
    await Promise.all([first, second]);
    assert.equal(model.error, undefined);
    assert.equal(model.repositories.length, 50);
  });

  it('shows a snapshot marked as cached, then the revalidated page', async () => {
    const model = listing();
    model.restore({
      repositories: [{ id: '{old}', container: 'acme', slug: 'old', name: 'old', fullName: 'acme/old', isPrivate: true }],
      savedAt: 0,
    });
    assert.equal(model.fromCache, true);
    assert.equal(model.repositories.length, 1);
    await model.reload();
    assert.equal(model.fromCache, false);
    assert.equal(model.repositories.length, 50);
    assert.equal(model.snapshot(20)?.repositories.length, 20);
    assert.equal(model.snapshot(20)?.next, undefined, 'a truncated snapshot does not resume mid-list');
  });
});
