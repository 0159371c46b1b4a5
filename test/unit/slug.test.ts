import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { repositoryNameProblem, slugify } from '../../src/bitbucket/slug';

describe('slugify', () => {
  it('lower-cases and keeps letters, digits, _, - and .', () => {
    assert.equal(slugify('My_Repo-2.0'), 'my_repo-2.0');
  });
  it('turns a run of other characters into one dash, with none doubled or at the ends', () => {
    assert.equal(slugify('  Hello,   World!  '), 'hello-world');
    assert.equal(slugify('a -- b'), 'a-b');
    assert.equal(slugify('Thé House'), 'th-house');
  });
});

describe('repositoryNameProblem', () => {
  it('accepts an ordinary name', () => {
    assert.equal(repositoryNameProblem('Payments API'), undefined);
  });
  it('refuses empty names and names with nothing a slug can keep', () => {
    assert.match(repositoryNameProblem('   ')!, /Enter a name/);
    assert.match(repositoryNameProblem('***')!, /at least one letter or digit/);
    assert.match(repositoryNameProblem('...')!, /only dots/);
  });
  it('refuses a name whose slug is over 62 characters', () => {
    assert.equal(repositoryNameProblem('a'.repeat(62)), undefined);
    assert.match(repositoryNameProblem('a'.repeat(63))!, /63 characters.*62/);
  });
});
