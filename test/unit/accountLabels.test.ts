// Accounts that name no person are named in words made in the current language, not in the language of the
// sign-in that stored them (src/auth/accountLabels.ts).
import * as assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import { accountLabel } from '../../src/auth/accountLabels';
import type { StoredAccount } from '../../src/auth/accountStore';
import { useL10nBundle } from '../../src/common/l10n';

const server = 'https://bitbucket.example.com/bitbucket';
const dataCenter = { kind: 'dataCenterToken', serverUrl: server, token: 'secret' } as const;

/** Records as a sign-in in English kept them. */
const records: Record<string, StoredAccount> = {
  person: {
    credential: { kind: 'apiToken', email: 'ana@example.com', token: 'secret' },
    account: { id: '{uuid}', label: 'Ana Lima', kind: 'apiToken' },
  },
  accessToken: {
    credential: { kind: 'accessToken', token: 'secret', workspace: 'acme' },
    account: { id: 'workspace:acme', label: 'Access token for acme', kind: 'accessToken', workspace: 'acme' },
  },
  project: {
    credential: { ...dataCenter, tokenScope: 'project', projectKey: 'PLAT' },
    account: {
      id: 'dc:p',
      label: 'Project token for PLAT (bitbucket.example.com/bitbucket)',
      kind: 'dataCenterToken',
      tokenScope: 'project',
    },
  },
  repository: {
    credential: { ...dataCenter, tokenScope: 'repository', projectKey: 'APPS', repositorySlug: 'web-app' },
    account: {
      id: 'dc:r',
      label: 'Repository token for APPS/web-app (bitbucket.example.com/bitbucket)',
      kind: 'dataCenterToken',
      tokenScope: 'repository',
    },
  },
  personalUnnamed: {
    credential: { ...dataCenter, tokenScope: 'personal' },
    account: { id: 'dc:t', label: 'HTTP access token (bitbucket.example.com/bitbucket)', kind: 'dataCenterToken', tokenScope: 'personal' },
  },
  personalNamed: {
    credential: { ...dataCenter, tokenScope: 'personal', username: 'dc.user' },
    account: { id: 'dc:u', label: 'DC User (bitbucket.example.com/bitbucket)', kind: 'dataCenterToken', tokenScope: 'personal' },
  },
};

describe('accountLabel', () => {
  after(() => useL10nBundle(undefined));

  it('in English, names every account as its sign-in did', () => {
    useL10nBundle(undefined);
    for (const [name, record] of Object.entries(records)) assert.equal(accountLabel(record), record.account.label, name);
  });

  it('in another language, names the tokens in it, and keeps the names of people', () => {
    useL10nBundle({
      'Access token for {0}': 'Jeton d’accès de {0}',
      'Project token for {0} ({1})': 'Jeton du projet {0} ({1})',
      'Repository token for {0}/{1} ({2})': 'Jeton du dépôt {0}/{1} ({2})',
      'HTTP access token ({0})': 'Jeton d’accès HTTP ({0})',
    });
    assert.deepEqual(Object.fromEntries(Object.entries(records).map(([name, record]) => [name, accountLabel(record)])), {
      person: 'Ana Lima',
      accessToken: 'Jeton d’accès de acme',
      project: 'Jeton du projet PLAT (bitbucket.example.com/bitbucket)',
      repository: 'Jeton du dépôt APPS/web-app (bitbucket.example.com/bitbucket)',
      personalUnnamed: 'Jeton d’accès HTTP (bitbucket.example.com/bitbucket)',
      personalNamed: 'DC User (bitbucket.example.com/bitbucket)',
    });
    assert.equal(records.accessToken.account.label, 'Access token for acme', 'the record is not changed');
    const unreadable = { ...records.project, credential: { ...records.project.credential, serverUrl: 'not an address' } } as StoredAccount;
    assert.equal(accountLabel(unreadable), records.project.account.label, 'a server address that does not parse: the stored name');
  });
});
