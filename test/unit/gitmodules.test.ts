/** Where a submodule comes from, read from `.gitmodules` and made absolute as git does (pure functions). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { absoluteSubmoduleUrl, submoduleUrl } from '../../src/browse/gitmodules';

const GITMODULES = [
  '# vendored code',
  '[submodule "lib"]',
  '\tpath = vendor/lib',
  '\turl = ../lib.git',
  '[submodule "docs"]',
  '  url = "https://bitbucket.org/acme/docs.git" ; the docs',
  '  path = docs/',
  '[core]',
  '  path = not-a-submodule',
  '  url = https://example.com/nothing.git',
  '',
].join('\n');

describe('submoduleUrl', () => {
  it('finds the url of the section whose path matches, whatever the order of its keys', () => {
    assert.equal(submoduleUrl(GITMODULES, 'vendor/lib'), '../lib.git');
    assert.equal(submoduleUrl(GITMODULES, 'docs'), 'https://bitbucket.org/acme/docs.git');
  });

  it('reads nothing from sections that are not submodules, nor paths not listed', () => {
    assert.equal(submoduleUrl(GITMODULES, 'not-a-submodule'), undefined);
    assert.equal(submoduleUrl(GITMODULES, 'vendor'), undefined);
    assert.equal(submoduleUrl('', 'vendor/lib'), undefined);
  });
});

describe('absoluteSubmoduleUrl', () => {
  const superproject = 'https://ann@bitbucket.org/acme/web.git';

  it('resolves a relative url against the superproject, as git does, without its user name', () => {
    assert.equal(absoluteSubmoduleUrl('../lib.git', superproject), 'https://bitbucket.org/acme/lib.git');
    assert.equal(absoluteSubmoduleUrl('./nested.git', superproject), 'https://bitbucket.org/acme/web.git/nested.git');
    assert.equal(absoluteSubmoduleUrl('../../other/x.git', superproject), 'https://bitbucket.org/other/x.git');
  });

  it('keeps an http(s) url, dropping any credentials in it', () => {
    assert.equal(absoluteSubmoduleUrl('https://bob:secret@bitbucket.org/acme/lib.git', undefined), 'https://bitbucket.org/acme/lib.git');
  });

  it('gives nothing for ssh, scp-like or relative urls without a superproject link', () => {
    assert.equal(absoluteSubmoduleUrl('git@bitbucket.org:acme/lib.git', superproject), undefined);
    assert.equal(absoluteSubmoduleUrl('ssh://git@bitbucket.org/acme/lib.git', superproject), undefined);
    assert.equal(absoluteSubmoduleUrl('../lib.git', undefined), undefined);
  });
});
