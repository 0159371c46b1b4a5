import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RETRY_POLICY, backoffDelayMs, parseRetryAfter, sleep } from '../../src/bitbucket/retry';

describe('parseRetryAfter', () => {
  it('reads whole seconds', () => {
    assert.equal(parseRetryAfter('17'), 17);
    assert.equal(parseRetryAfter(' 0 '), 0);
  });

  it('reads an HTTP date relative to now', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    assert.equal(parseRetryAfter('Fri, 27 Nov 2026 10:00:42 GMT', now), 42);
    assert.equal(parseRetryAfter('Fri, 27 Nov 2026 09:00:00 GMT', now), 0);
  });

  it('gives undefined for a missing or unreadable header', () => {
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
});

describe('backoffDelayMs', () => {
  it('grows exponentially and stays under the cap', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1_000 };
    const top = () => 1;
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((attempt) => backoffDelayMs(attempt, policy, top)),
      [100, 200, 400, 800, 1000, 1000],
    );
  });

  it('spreads waits with jitter between zero and the ceiling', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1_000 };
    assert.equal(
      backoffDelayMs(3, policy, () => 0),
      0,
    );
    assert.equal(
      backoffDelayMs(3, policy, () => 0.5),
      400,
    );
  });
});

describe('sleep', () => {
  it('rejects with the abort reason as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await assert.rejects(pending, /stop/);
    assert.ok(Date.now() - started < 5_000);
  });
});
