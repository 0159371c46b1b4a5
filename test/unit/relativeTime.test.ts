import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromNow } from '../../src/tree/relativeTime';

describe('fromNow', () => {
  const now = Date.parse('2026-11-27T12:00:00Z');
  it('picks the largest whole unit', () => {
    assert.equal(fromNow('2026-11-27T11:59:30Z', now), 'just now');
    assert.equal(fromNow('2026-11-27T11:55:00Z', now), '5 minutes ago');
    assert.equal(fromNow('2026-11-26T12:00:00Z', now), 'yesterday');
    assert.equal(fromNow('2026-11-17T12:00:00Z', now), 'last week');
    assert.equal(fromNow('2024-11-01T12:00:00Z', now), '2 years ago');
  });
  it('says one of a unit the way people do', () => {
    assert.equal(fromNow('2026-11-27T11:59:00Z', now), '1 minute ago');
    assert.equal(fromNow('2026-11-27T10:30:00Z', now), '1 hour ago');
    assert.equal(fromNow('2026-11-25T12:00:00Z', now), '2 days ago');
    assert.equal(fromNow('2026-10-20T12:00:00Z', now), 'last month');
    assert.equal(fromNow('2025-10-01T12:00:00Z', now), 'last year');
  });
  it('reads a date ahead of the local clock as just now', () => {
    assert.equal(fromNow('2026-11-27T12:05:00Z', now), 'just now');
  });
  it('gives nothing for a missing or unreadable date', () => {
    assert.equal(fromNow(undefined, now), undefined);
    assert.equal(fromNow('not a date', now), undefined);
  });
});
