/** Branch names a clone passes to git: real ones pass, anything git would refuse or read as an option does not. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBranchName } from '../../src/git/refNames';
import { classify } from '../../src/git/gitErrors';

describe('isBranchName', () => {
  it('takes the branch names people use', () => {
    for (const name of ['main', 'develop', 'release/1.0', 'feature/ABC-12_x', 'v1.0', 'thé', 'a.b']) assert.ok(isBranchName(name), name);
  });
  it('refuses what git check-ref-format refuses, options, and non-strings', () => {
    for (const name of [
      '',
      '-b',
      '--upload-pack=x',
      '/main',
      'main/',
      'main.',
      'a..b',
      'a//b',
      'x.lock',
      'a b',
      'a~1',
      'a^',
      'a:b',
      'a?',
      'a*',
      'a[b',
      'a\\b',
      '@',
      'a@{1}',
      'a\u0000b',
    ]) {
      assert.equal(isBranchName(name), false, JSON.stringify(name));
    }
    assert.equal(isBranchName(undefined), false);
    assert.equal(isBranchName(42), false);
  });
});

describe('a clone of a branch that is not there', () => {
  it('says which branch is missing', () => {
    const error = classify(
      "Cloning into 'x'...\nwarning: Could not find remote branch nope to clone.\nfatal: Remote branch nope not found in upstream origin\n",
    );
    assert.equal(error.kind, 'notFound');
    assert.match(error.message, /no branch "nope"/);
  });
});
