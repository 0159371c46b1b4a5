import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_SLUG_LENGTH, slugify, slugProblem } from '../sandbox/slug';

describe('sandbox slug rules', () => {
  it('lower-cases and turns runs of other characters into one dash', () => {
    assert.equal(slugify('service-0001 api'), 'service-0001-api');
    assert.equal(slugify('Notes & Ideas'), 'notes-ideas');
    assert.equal(slugify('Service-0050 API.v2'), 'service-0050-api.v2');
    assert.equal(slugify('a - b'), 'a-b');
  });

  it('drops non-ASCII letters and leading or trailing separators', () => {
    assert.equal(slugify('Thé Garden'), 'th-garden');
    assert.equal(slugify('Matcha 抹茶 Docs'), 'matcha-docs');
    assert.equal(slugify('  Spaced   Out  '), 'spaced-out');
    assert.equal(slugify('résumé.builder'), 'r-sum-.builder');
    assert.equal(slugify('snake_case.name'), 'snake_case.name');
  });

  it('caps the length without leaving a trailing dash', () => {
    const slug = slugify(`${'a'.repeat(61)} tail`);
    assert.ok(slug.length <= MAX_SLUG_LENGTH);
    assert.ok(!slug.endsWith('-'));
    assert.equal(slug, 'a'.repeat(61));
  });

  it('accepts what slugify produces and refuses what it never would', () => {
    for (const name of ['service-0001 api', 'Thé Garden', 'chai.latte', 'x']) {
      assert.equal(slugProblem(slugify(name)), undefined, name);
    }
    for (const bad of ['', 'Upper', 'has space', 'a--b', '-lead', 'trail-', 'ünï', '.', '..', 'repo.git', 'x'.repeat(63)]) {
      assert.equal(typeof slugProblem(bad), 'string', bad);
    }
  });
});
