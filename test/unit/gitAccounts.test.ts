/** Which account answers git: the only one, the remembered one, the one reaching the workspace, or the person's choice. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloudRefFromGitPath } from '../../src/bitbucket/cloudHost';
import { GIT_ACCOUNT_CHOICES_KEY, GitAccount, GitAccounts } from '../../src/git/gitAccounts';
import { MapMemento } from './fixture';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function account(id: string): GitAccount {
  return { id, label: `Account ${id}`, gitCredentials: () => ({ username: 'x-bitbucket-api-token-auth', password: `secret-of-${id}` }) };
}

const ann = account('ann');
const bob = account('bob');
const ci = account('acme-ci');

function chooser(options: {
  usable: GitAccount[];
  /** Accounts of other git hosts (a Data Center server), by host[:port]. */
  elsewhere?: Record<string, GitAccount[]>;
  reaching?: Record<string, GitAccount[]>;
  answer?: GitAccount;
}) {
  const questions: string[] = [];
  const memento = new MapMemento();
  const accounts = new GitAccounts<GitAccount>({
    usable: (authority) => options.elsewhere?.[authority] ?? options.usable,
    reaching: async (container) => options.reaching?.[container] ?? [],
    refFromGitPath: (_authority, path) => cloudRefFromGitPath(path),
    ask: async (candidates, what) => {
      questions.push(`${what}: ${candidates.map((candidate) => candidate.id).join(',')}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
      return options.answer;
    },
    memento,
    logger: silent,
  });
  return { accounts, questions, memento };
}

describe('GitAccounts', () => {
  it("answers a Data Center server with its own account, never a Cloud account's, even where a workspace matches", async () => {
    const dc = account('dc-user');
    const { accounts, questions } = chooser({
      usable: [ann, bob],
      elsewhere: { 'bitbucket.example.com': [dc], 'bitbucket.example.com:8443': [] },
      reaching: { scm: [ann] },
    });
    assert.equal(await accounts.accountFor('bitbucket.example.com', '/scm/plat/web.git'), dc);
    assert.equal(await accounts.accountFor('bitbucket.example.com:8443', '/scm/plat/web.git'), undefined);
    assert.deepEqual(questions, [], 'nobody was asked');
  });

  it('gives the only usable account without asking, path or not', async () => {
    const { accounts, questions } = chooser({ usable: [ann] });
    assert.equal(await accounts.accountFor('bitbucket.org', '/acme/api.git'), ann);
    assert.equal(await accounts.accountFor('bitbucket.org', ''), ann);
    assert.deepEqual(questions, []);
  });

  it('gives nothing when no account is usable', async () => {
    const { accounts } = chooser({ usable: [] });
    assert.equal(await accounts.accountFor('bitbucket.org', '/acme/api.git'), undefined);
  });

  it('gives the one account that reaches the workspace, without asking', async () => {
    const { accounts, questions } = chooser({ usable: [ann, bob], reaching: { acme: [bob] } });
    assert.equal(await accounts.accountFor('bitbucket.org', '/acme/api.git'), bob);
    assert.deepEqual(questions, []);
  });

  it('prefers the account remembered for the repository (a clone through it) over the reaching rule', async () => {
    const { accounts, questions } = chooser({ usable: [ann, bob, ci], reaching: { acme: [ann, bob, ci] } });
    await accounts.remember('127.0.0.1:7990', { container: 'acme', slug: 'api' }, 'acme-ci');
    assert.equal(await accounts.accountFor('127.0.0.1:7990', '/acme/api.git'), ci);
    assert.equal(await accounts.accountFor('127.0.0.1:7990', '/ACME/Api.git'), ci, 'git paths are matched without case');
    assert.deepEqual(questions, []);
  });

  it('asks once when several accounts reach the workspace, remembers the answer, and asks concurrent requests only once', async () => {
    const { accounts, questions, memento } = chooser({ usable: [ann, bob, ci], reaching: { acme: [ann, bob] }, answer: bob });
    const answers = await Promise.all([
      accounts.accountFor('bitbucket.org', '/acme/api.git'),
      accounts.accountFor('bitbucket.org', '/acme/api.git'),
    ]);
    assert.deepEqual(answers, [bob, bob]);
    assert.deepEqual(questions, ['acme/api: ann,bob'], 'only the accounts that reach acme are offered, once');
    assert.equal(await accounts.accountFor('bitbucket.org', '/acme/api.git'), bob);
    assert.equal(questions.length, 1, 'the choice is remembered');
    const stored = JSON.stringify(memento.get(GIT_ACCOUNT_CHOICES_KEY));
    assert.equal(stored, JSON.stringify({ 'bitbucket.org/acme/api': 'bob' }));
    assert.doesNotMatch(stored, /secret/, 'no token in global state');
  });

  it('asks for a request that names no repository, and remembers nothing', async () => {
    const { accounts, questions, memento } = chooser({ usable: [ann, bob], answer: ann });
    assert.equal(await accounts.accountFor('bitbucket.org', '/'), ann);
    assert.equal(await accounts.accountFor('bitbucket.org', ''), ann);
    assert.equal(questions.length, 2);
    assert.match(questions[0], /did not say which repository on bitbucket\.org/);
    assert.equal(memento.get(GIT_ACCOUNT_CHOICES_KEY), undefined);
  });

  it('a backed-out question gives nothing and is asked again next time', async () => {
    const { accounts, questions } = chooser({ usable: [ann, bob], reaching: { acme: [ann, bob] }, answer: undefined });
    assert.equal(await accounts.accountFor('bitbucket.org', '/acme/api.git'), undefined);
    assert.equal(await accounts.accountFor('bitbucket.org', '/acme/api.git'), undefined);
    assert.equal(questions.length, 2);
  });

  it('a remembered account that was signed out of is not used, and its choices are forgotten', async () => {
    const { accounts, questions, memento } = chooser({ usable: [ann, bob], reaching: { acme: [ann] } });
    await accounts.remember('bitbucket.org', { container: 'acme', slug: 'api' }, 'gone');
    await accounts.remember('bitbucket.org', { container: 'acme', slug: 'web' }, 'ann');
    assert.equal(await accounts.accountFor('bitbucket.org', '/acme/api.git'), ann, 'falls back to the reaching rule');
    assert.deepEqual(questions, []);
    await accounts.forgetAccount('gone');
    assert.deepEqual(memento.get(GIT_ACCOUNT_CHOICES_KEY), { 'bitbucket.org/acme/web': 'ann' });
  });
});

describe('cloudRefFromGitPath', () => {
  it('reads /workspace/slug.git and nothing else', () => {
    assert.deepEqual(cloudRefFromGitPath('/acme/service-0001-api.git'), { container: 'acme', slug: 'service-0001-api' });
    assert.deepEqual(cloudRefFromGitPath('/tea.house/caf%C3%A9'), { container: 'tea.house', slug: 'café' });
    assert.equal(cloudRefFromGitPath('/acme'), undefined);
    assert.equal(cloudRefFromGitPath('/a/b/c.git'), undefined);
    assert.equal(cloudRefFromGitPath('/acme/%E0%A4%A.git'), undefined);
    assert.equal(cloudRefFromGitPath(''), undefined);
  });
});
