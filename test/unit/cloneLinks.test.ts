import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloneUrl, gitAuthority, withoutUserInfo } from '../../src/bitbucket/cloneLinks';
import { Repository } from '../../src/bitbucket/schemas';

const repository: Repository = {
  slug: 'api',
  name: 'API',
  full_name: 'acme/api',
  is_private: true,
  links: {
    clone: [
      { name: 'https', href: 'https://ann@bitbucket.org/acme/api.git' },
      { name: 'ssh', href: 'git@bitbucket.org:acme/api.git' },
    ],
  },
};

describe('clone links', () => {
  it('strips the user name from the https link', () => {
    assert.equal(cloneUrl(repository), 'https://bitbucket.org/acme/api.git');
    assert.equal(withoutUserInfo('http://x:secret@127.0.0.1:7990/acme/api.git'), 'http://127.0.0.1:7990/acme/api.git');
  });
  it('keeps the ssh link as given', () => {
    assert.equal(cloneUrl(repository, 'ssh'), 'git@bitbucket.org:acme/api.git');
  });
  it('gives the host git asks credentials for, with its port', () => {
    assert.equal(gitAuthority(repository), 'bitbucket.org');
    assert.equal(gitAuthority({ ...repository, links: { clone: [{ name: 'https', href: 'http://127.0.0.1:7990/a/b.git' }] } }), '127.0.0.1:7990');
  });
  it('gives nothing when the repository has no such link', () => {
    assert.equal(cloneUrl({ ...repository, links: {} }), undefined);
  });
});
