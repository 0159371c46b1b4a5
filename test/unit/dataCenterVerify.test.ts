/**
 * The check a Data Center server and token pass before anything is kept, against the Data Center sandbox and
 * local servers that are not Bitbucket, over real sockets: each kind of token is recognised, each failure says
 * what is wrong. Fetch is stood in only where a socket proves nothing (a certificate error's wording, a token
 * that reaches nothing, which no seeded token does).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BitbucketError, BitbucketErrorKind } from '../../src/bitbucket/errors';
import { normaliseServerUrl } from '../../src/datacenter/dataCenterCredential';
import { verifyDataCenter, VerifyDataCenterOptions } from '../../src/datacenter/verifyServer';
import { DATACENTER } from '../sandbox/datacenter/server';
import { startPlainServer, useDataCenterSandbox } from './dataCenterFixture';
import { standInFetch } from './fixture';

const fixture = useDataCenterSandbox();
const NO_RETRY: VerifyDataCenterOptions = { retry: { maxRetries: 0 } };

async function failure(promise: Promise<unknown>, kind: BitbucketErrorKind, message: RegExp): Promise<BitbucketError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof BitbucketError, String(error));
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, message);
    return error;
  }
  assert.fail('the server and token were accepted');
}

describe('verifyDataCenter: accepted tokens', () => {
  it('names the user of a personal token and keeps what git and the host need', async () => {
    const { url } = fixture.sandbox;
    const where = url.replace('http://', '');
    const { account, credential } = await verifyDataCenter(`${url}/`, DATACENTER.tokens.personal.token, NO_RETRY);
    assert.deepEqual(account, {
      kind: 'dataCenterToken',
      id: `dc:${url}:dc-user`,
      label: `DC User (${where})`,
      serverUrl: url,
      tokenScope: 'personal',
      username: 'dc-user',
      displayName: 'DC User',
      version: '9.2.4',
      readOnly: false,
      warning: undefined,
    });
    assert.deepEqual(credential, {
      kind: 'dataCenterToken',
      serverUrl: url,
      token: DATACENTER.tokens.personal.token,
      tokenScope: 'personal',
      username: 'dc-user',
      userSlug: 'dc-user',
    });
    const appProperties = fixture.requests('/application-properties');
    assert.deepEqual(
      appProperties.map((entry) => entry.auth),
      ['none'],
      'the server is recognised before the token is sent',
    );
  });

  it('accepts a pasted page or REST address and cuts it back to the server, context path kept', async () => {
    const { url, restUrl } = fixture.sandbox;
    for (const pasted of [`${url}/projects/PLAT/repos/service-0001-billing/browse?at=main`, `${restUrl}/projects`]) {
      const { account } = await verifyDataCenter(pasted, DATACENTER.tokens.personal.token, NO_RETRY);
      assert.equal(account.serverUrl, url, pasted);
    }
  });

  it('accepts a read-only token with a warning', async () => {
    const { account } = await verifyDataCenter(fixture.sandbox.url, DATACENTER.tokens.readOnly.token, NO_RETRY);
    assert.equal(account.tokenScope, 'personal');
    assert.equal(account.readOnly, true);
    assert.match(account.warning ?? '', /can read but not write: pushing and creating repositories will be refused/);
  });

  it('recognises a project token by the one project it reads', async () => {
    const { account, credential } = await verifyDataCenter(fixture.sandbox.url, DATACENTER.tokens.project.token, NO_RETRY);
    assert.equal(account.tokenScope, 'project');
    assert.equal(account.projectKey, 'PLAT');
    assert.equal(account.id, `dc:${fixture.sandbox.url}:project:PLAT`);
    assert.match(account.label, /^Project token for PLAT \(127\.0\.0\.1:\d+\/bitbucket\)$/);
    assert.equal(account.readOnly, false);
    assert.equal(credential.username, undefined);
    assert.equal(credential.projectKey, 'PLAT');
  });

  it('recognises a repository token by the one repository it reads', async () => {
    const { account, credential } = await verifyDataCenter(fixture.sandbox.url, DATACENTER.tokens.repository.token, NO_RETRY);
    assert.equal(account.tokenScope, 'repository');
    assert.deepEqual(account.repository, { container: 'APPS', slug: 'web-app' });
    assert.match(account.label, /^Repository token for APPS\/web-app \(/);
    assert.equal(account.readOnly, true);
    assert.deepEqual([credential.projectKey, credential.repositorySlug], ['APPS', 'web-app']);
  });
});

describe('verifyDataCenter: refusals', () => {
  it('refuses an expired token', async () => {
    await failure(
      verifyDataCenter(fixture.sandbox.url, DATACENTER.tokens.expired.token, NO_RETRY),
      'unauthorized',
      /did not accept the token: it is wrong, expired or revoked\. Create a new HTTP access token/,
    );
  });

  it('says a web server that serves HTML is not Bitbucket Data Center', async () => {
    const server = await startPlainServer((_, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!DOCTYPE html><html><body>Welcome to nginx!</body></html>');
    });
    try {
      await failure(
        verifyDataCenter(server.url, DATACENTER.tokens.personal.token, NO_RETRY),
        'invalidResponse',
        /127\.0\.0\.1:\d+ is not a Bitbucket Data Center server: it answered with a web page \(HTTP 200\), not Bitbucket's REST API\. Enter the address you open Bitbucket at/,
      );
    } finally {
      await server.close();
    }
  });

  it('says so for JSON that names no Bitbucket version, and for a server without the REST API', async () => {
    const server = await startPlainServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"status":"ok"}');
    });
    try {
      await failure(
        verifyDataCenter(server.url, 'token', NO_RETRY),
        'invalidResponse',
        /is not a Bitbucket Data Center server: its answer does not name a Bitbucket version/,
      );
    } finally {
      await server.close();
    }
    // The sandbox without its context path answers 404 there.
    const root = fixture.sandbox.url.replace('/bitbucket', '');
    await failure(
      verifyDataCenter(root, DATACENTER.tokens.personal.token, NO_RETRY),
      'invalidResponse',
      /has no Bitbucket REST API at .*\/rest\/api\/1\.0\/ \(HTTP 404\)/,
    );
  });

  it('says when nothing answers at the address', async () => {
    const server = await startPlainServer(() => undefined);
    const url = server.url;
    await server.close();
    await failure(
      verifyDataCenter(url, 'token', NO_RETRY),
      'network',
      /Could not reach Bitbucket Data Center at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. Check the server address/,
    );
  });

  it('says how to trust a server whose certificate this computer does not', async (t) => {
    let dir: string;
    try {
      dir = mkdtempSync(path.join(tmpdir(), 'dc-tls-'));
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-keyout',
          path.join(dir, 'key.pem'),
          '-out',
          path.join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
    } catch {
      t.skip('openssl is not available to make a certificate');
      return;
    }
    const server = https.createServer(
      { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) },
      (_, response) => response.end('{}'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await failure(
        verifyDataCenter(url, 'token', NO_RETRY),
        'network',
        /certificate of 127\.0\.0\.1:\d+ is not signed by an authority this computer trusts \(DEPTH_ZERO_SELF_SIGNED_CERT\).*http\.systemCertificates.*NODE_EXTRA_CA_CERTS/,
      );
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('words expired and misnamed certificates (fetch stood in: no socket makes these cheaply)', async () => {
    for (const [code, message] of [
      ['CERT_HAS_EXPIRED', /not valid now \(CERT_HAS_EXPIRED\).*renew it/],
      ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /not signed by an authority this computer trusts.*NODE_EXTRA_CA_CERTS/],
      ['ERR_TLS_CERT_ALTNAME_INVALID', /made out to another name/],
    ] as const) {
      const fetch = () => Promise.reject(Object.assign(new Error(`request failed, reason: ${code}`), { code }));
      await failure(verifyDataCenter('https://bitbucket.example.com', 'token', { ...NO_RETRY, fetch }), 'network', message);
    }
  });

  it('refuses a token that reaches no project or repository (fetch stood in: no seeded token does)', async () => {
    const { fetch, sent } = standInFetch(
      { body: { version: '9.2.4', displayName: 'Bitbucket' } },
      { body: { values: [], size: 0, limit: 2, start: 0, isLastPage: true } },
    );
    await failure(
      verifyDataCenter('https://bitbucket.example.com', 'BBDC-x', { ...NO_RETRY, fetch }),
      'forbidden',
      /accepted the token, but it reaches no project or repository/,
    );
    assert.equal(sent[1].init.headers && (sent[1].init.headers as Record<string, string>).Authorization, 'Bearer BBDC-x');
  });
});

describe('normaliseServerUrl', () => {
  it('keeps the base of what was typed or pasted', () => {
    assert.equal(normaliseServerUrl(' bitbucket.example.com/ '), 'https://bitbucket.example.com');
    assert.equal(normaliseServerUrl('https://Bitbucket.Example.com:8443/bitbucket/'), 'https://bitbucket.example.com:8443/bitbucket');
    assert.equal(
      normaliseServerUrl('https://example.com/bitbucket/projects/PLAT/repos/x/browse?at=main#3'),
      'https://example.com/bitbucket',
    );
    assert.equal(normaliseServerUrl('https://example.com/rest/api/1.0/projects'), 'https://example.com');
    assert.equal(normaliseServerUrl('https://user:pw@example.com/scm/plat/x.git'), 'https://example.com');
    assert.equal(normaliseServerUrl('https://example.com/bitbucket/users/jane/repos'), 'https://example.com/bitbucket');
    assert.equal(normaliseServerUrl('http://localhost:7990'), 'http://localhost:7990');
  });

  it('refuses plain http to another machine, and what is no address', () => {
    assert.throws(
      () => normaliseServerUrl('http://bitbucket.example.com'),
      (error: BitbucketError) => error.kind === 'insecureUrl' && /https:\/\//.test(error.message),
    );
    assert.throws(() => normaliseServerUrl('ftp://example.com'), /is not a web address/);
    assert.throws(() => normaliseServerUrl(''), /is not a web address/);
  });

  it('sends a bitbucket.org address to Cloud sign-in', async () => {
    await failure(verifyDataCenter('https://bitbucket.org/acme', 'token'), 'badRequest', /bitbucket\.org is Bitbucket Cloud/);
  });
});
