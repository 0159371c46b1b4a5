/** Search as you type against the sandbox: one request per settled query, stale answers dropped. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudHost } from '../../src/bitbucket/cloudHost';
import { HostedRepository } from '../../src/host/types';
import { SettledSearch } from '../../src/ui/settledSearch';
import { useSandbox } from './fixture';

const fixture = useSandbox();

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for what a test needs to have happened, however slow the machine: no fixed pause decides. */
async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await pause(10);
  }
}

function searcher(results: Array<{ text: string; names: string[] }>, pauseMs = 100) {
  // The search the quick pick runs (src/commands/repositorySearch.ts), through the host.
  const host = new CloudHost(fixture.client(), fixture.demo);
  return new SettledSearch<readonly HostedRepository[]>(
    async (text, signal) =>
      (await host.repositories(fixture.sandbox.credentials.largeWorkspace, { nameContains: text, pageSize: 50, signal })).values,
    (repositories, text) => results.push({ text, names: repositories.map((repository) => repository.name) }),
    (error) => assert.fail(String(error)),
    () => undefined,
    pauseMs,
  );
}

function searches() {
  return fixture.sandbox.requests.filter((entry) => entry.query.q !== undefined);
}

describe('SettledSearch', () => {
  it('sends one request for a burst of keystrokes, for the settled text', async () => {
    const results: Array<{ text: string; names: string[] }> = [];
    const search = searcher(results);
    for (const text of ['0', '00', '004', '0042']) {
      search.type(text);
      await pause(20);
    }
    await until(() => results.length === 1, 'the settled search answered');
    assert.equal(searches().length, 1);
    assert.equal(searches()[0].query.q, 'name ~ "0042"');
    assert.equal(results.length, 1);
    assert.ok(results[0].names.length > 0 && results[0].names.every((name) => name.includes('0042')));
  });

  it('one request per settled query, even across many pages of matches', async () => {
    const results: Array<{ text: string; names: string[] }> = [];
    const search = searcher(results);
    search.type('service');
    await until(() => results.length === 1, 'the first search answered');
    search.type('service-01');
    await until(() => results.length === 2, 'the second search answered');
    assert.equal(searches().length, 2);
    assert.deepEqual(
      results.map((result) => result.text),
      ['service', 'service-01'],
    );
  });

  it('cancels the request in flight when the text changes, so its answer never lands', async () => {
    fixture.sandbox.setLatency(400);
    const results: Array<{ text: string; names: string[] }> = [];
    const search = searcher(results, 10);
    search.type('0001');
    await until(() => searches().length === 1, 'the first request reached the server'); // answered only after 400 ms
    search.type('0002');
    await until(() => results.length === 1, 'the second search answered');
    await pause(600); // time enough for the first answer to land, were it not cancelled
    assert.deepEqual(
      results.map((result) => result.text),
      ['0002'],
    );
    assert.equal(searches().length, 2);
  });
});
