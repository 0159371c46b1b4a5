import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHostedRepository } from '../../src/bitbucket/cloudHost';
import { Repository } from '../../src/bitbucket/schemas';
import { GitHosts } from '../../src/git/gitHosts';
import { toRemoteSources } from '../../src/git/remoteSources';
import { InvalidAnswerError } from '../../src/host/errors';
import { cloneUrl, encodePath, gitAuthority, webLink, withoutUserInfo } from '../../src/host/links';
import { toRepositoryRef } from '../../src/host/refs';
import { HostedRepository } from '../../src/host/types';

/** As Bitbucket Cloud sends it; the tests read it as the extension does, mapped to a HostedRepository. */
const wire: Repository = {
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

const repository = toHostedRepository(wire);
const withLinks = (links: Repository['links'], over: Partial<Repository> = {}): HostedRepository =>
  toHostedRepository({ ...wire, ...over, links });

describe('clone links', () => {
  it('maps what Cloud sends to the host-independent repository, links as given', () => {
    assert.deepEqual(
      toHostedRepository({ ...wire, uuid: '{1}', links: { ...wire.links, html: { href: 'https://bitbucket.org/acme/api' } } }),
      {
        id: '{1}',
        container: 'acme',
        slug: 'api',
        name: 'API',
        fullName: 'acme/api',
        isPrivate: true,
        description: undefined,
        language: undefined,
        updatedOn: undefined,
        project: undefined,
        mainBranch: undefined,
        webUrl: 'https://bitbucket.org/acme/api',
        cloneLinks: { https: 'https://ann@bitbucket.org/acme/api.git', ssh: 'git@bitbucket.org:acme/api.git' },
      },
    );
  });
  it('strips the user name from the https link', () => {
    assert.equal(cloneUrl(repository), 'https://bitbucket.org/acme/api.git');
    assert.equal(withoutUserInfo('http://x:secret@127.0.0.1:7990/acme/api.git'), 'http://127.0.0.1:7990/acme/api.git');
  });
  it('keeps the ssh link as given', () => {
    assert.equal(cloneUrl(repository, 'ssh'), 'git@bitbucket.org:acme/api.git');
  });
  it('gives the host git asks credentials for, with its port', () => {
    assert.equal(gitAuthority(repository), 'bitbucket.org');
    assert.equal(gitAuthority(withLinks({ clone: [{ name: 'https', href: 'http://127.0.0.1:7990/a/b.git' }] })), '127.0.0.1:7990');
  });
  it('gives nothing when the repository has no such link', () => {
    assert.equal(cloneUrl(withLinks({})), undefined);
  });
});

describe('links that are not used', () => {
  const withHttps = (href: string, over: Partial<Repository> = {}) => withLinks({ clone: [{ name: 'https', href }] }, over);
  const invalid = (error: unknown) => error instanceof InvalidAnswerError && error.kind === 'invalidResponse';

  it('a malformed https clone link is an invalid answer, not a crash', () => {
    assert.throws(() => cloneUrl(withHttps('https://[bitbucket.org/acme/api.git')), invalid);
  });
  it('an https clone link that is plain http to another machine, or another scheme, is refused', () => {
    for (const href of ['http://bitbucket.org/acme/api.git', 'file:///etc/passwd', 'ext::sh -c touch% /tmp/x']) {
      assert.throws(() => cloneUrl(withHttps(href)), invalid, href);
    }
    assert.equal(cloneUrl(withHttps('http://127.0.0.1:7990/acme/api.git')), 'http://127.0.0.1:7990/acme/api.git', 'this machine is fine');
  });
  it('hands out only ssh links shaped as ssh:// or user@host:path', () => {
    const withSsh = (href: string) => withLinks({ clone: [{ name: 'ssh', href }] });
    assert.equal(
      cloneUrl(withSsh('ssh://git@bitbucket.example:7999/acme/api.git'), 'ssh'),
      'ssh://git@bitbucket.example:7999/acme/api.git',
    );
    for (const href of ['ext::sh -c touch% /tmp/x', '/etc/passwd', 'git@bitbucket.org:-oProxyCommand=x', 'https://bitbucket.org/a.git']) {
      assert.throws(() => cloneUrl(withSsh(href), 'ssh'), invalid, href);
    }
  });
  it('opens only https web pages, or http ones on this machine', () => {
    assert.equal(webLink('  https://bitbucket.org/acme/api'), 'https://bitbucket.org/acme/api', 'as parsed, so the editor can open it');
    assert.equal(webLink('https://bitbucket.org/acme/api'), 'https://bitbucket.org/acme/api');
    assert.equal(webLink('http://127.0.0.1:7990/acme/api'), 'http://127.0.0.1:7990/acme/api');
    for (const href of [
      'http://bitbucket.org/acme/api',
      'file:///etc/passwd',
      'command:workbench.action.terminal.new',
      'javascript:alert(1)',
      'vscode://x/y',
      'not a url',
      '',
      undefined,
    ]) {
      assert.equal(webLink(href), undefined, String(href));
    }
  });
  it('"Git: Clone" leaves out the one repository with a bad link and offers the rest', () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (message: string) => warnings.push(message) };
    const good = withHttps('https://bitbucket.org/acme/good.git', { full_name: 'acme/good' });
    const bad = withHttps('https://[broken', { full_name: 'acme/bad' });
    const sources = toRemoteSources([bad, good, repository], new GitHosts(() => 'https://api.bitbucket.org/2.0'), logger);
    assert.deepEqual(
      sources.map((source) => source.url),
      ['https://bitbucket.org/acme/good.git', ['https://bitbucket.org/acme/api.git', 'git@bitbucket.org:acme/api.git']],
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /left out acme\/bad: Bitbucket gave a malformed clone link/);
  });
});

describe('"Git: Clone" entries with several accounts', () => {
  it('names the account beside each result when told, and nothing otherwise', () => {
    const logger = { debug() {}, info() {}, error() {}, warn() {} };
    const hosts = new GitHosts(() => 'https://api.bitbucket.org/2.0');
    const withHttps = (href: string, over: Partial<Repository>) => withLinks({ clone: [{ name: 'https', href }] }, over);
    const described = withHttps('https://bitbucket.org/acme/api.git', { full_name: 'acme/api', description: 'The API' });
    const plain = withHttps('https://bitbucket.org/acme/web.git', { full_name: 'acme/web' });
    assert.deepEqual(
      toRemoteSources([described, plain], hosts, logger, 'Second User (second@example.com)').map((source) => source.description),
      ['Second User (second@example.com) · The API', 'Second User (second@example.com)'],
    );
    assert.deepEqual(
      toRemoteSources([described, plain], hosts, logger).map((source) => source.description),
      ['The API', undefined],
    );
  });
});

describe('repository names from automation', () => {
  it('takes { container, slug }, or workspace/slug as fullName or full_name', () => {
    assert.deepEqual(toRepositoryRef({ container: 'acme', slug: 'api', extra: 1 }), { container: 'acme', slug: 'api' });
    assert.deepEqual(toRepositoryRef(repository), { container: 'acme', slug: 'api' });
    assert.deepEqual(toRepositoryRef({ full_name: 'acme/api' }), { container: 'acme', slug: 'api' });
  });
  it('refuses anything else rather than request repositories/undefined', () => {
    for (const value of [
      undefined,
      null,
      'acme/api',
      {},
      { full_name: 'acme' },
      { fullName: 'a/b/c' },
      { container: 'acme' },
      { container: '', slug: 'x' },
    ]) {
      assert.throws(() => toRepositoryRef(value), /Name the repository/, JSON.stringify(value));
    }
  });
});

describe('encodePath', () => {
  it('encodes each segment of a repository path and drops empty ones', () => {
    assert.equal(encodePath('src/main.ts'), 'src/main.ts');
    assert.equal(encodePath('/docs//thé café.md/'), 'docs/th%C3%A9%20caf%C3%A9.md');
    assert.equal(encodePath('a#b/c?d/100%'), 'a%23b/c%3Fd/100%25');
    assert.equal(encodePath(''), '');
  });
});
