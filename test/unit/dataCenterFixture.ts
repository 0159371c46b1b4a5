/**
 * The shared set-up of unit tests against the Data Center sandbox over real sockets: one sandbox per test
 * file, served under the context path /bitbucket (reset after each test), and hosts for its seeded tokens.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { after, afterEach, before } from 'node:test';
import { DataCenterClient, DataCenterClientOptions } from '../../src/datacenter/dataCenterClient';
import { DataCenterCredential } from '../../src/datacenter/dataCenterCredential';
import { DataCenterHost } from '../../src/datacenter/dataCenterHost';
import { DATACENTER, DataCenterSandbox, startDataCenterSandbox } from '../sandbox/datacenter/server';

export type TokenName = keyof typeof DATACENTER.tokens;

/** Fast retries, so that tests of retried failures do not wait. */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20 };

export interface DataCenterFixture {
  readonly sandbox: DataCenterSandbox;
  /** The credential a sign-in would keep for a seeded token (user name and slug only where `known`). */
  credential(token: TokenName, known?: boolean): DataCenterCredential;
  host(token: TokenName, options?: Partial<DataCenterClientOptions> & { known?: boolean }): DataCenterHost;
  /** The REST requests (not git) whose path contains `part`. */
  requests(part: string): DataCenterSandbox['requests'];
}

export function useDataCenterSandbox(): DataCenterFixture {
  let sandbox: DataCenterSandbox | undefined;
  before(async () => {
    sandbox = await startDataCenterSandbox({ contextPath: '/bitbucket' });
  });
  after(() => sandbox?.close());
  afterEach(() => sandbox?.resetAndWait());
  const running = (): DataCenterSandbox => {
    if (!sandbox) throw new Error('the sandbox starts in before(): use it inside tests');
    return sandbox;
  };
  const credential = (name: TokenName, known = true): DataCenterCredential => {
    const token = DATACENTER.tokens[name];
    const base = { kind: 'dataCenterToken' as const, serverUrl: running().url, token: token.token };
    if (token.kind === 'project') return { ...base, tokenScope: 'project', projectKey: token.projectKey };
    if (token.kind === 'repository') {
      return { ...base, tokenScope: 'repository', projectKey: token.projectKey, repositorySlug: token.repositorySlug };
    }
    return known
      ? { ...base, tokenScope: 'personal', username: DATACENTER.user.name, userSlug: DATACENTER.user.slug }
      : { ...base, tokenScope: 'personal' };
  };
  return {
    get sandbox() {
      return running();
    },
    credential,
    host(name, options = {}) {
      const { known, ...http } = options;
      const kept = credential(name, known);
      return new DataCenterHost(new DataCenterClient({ retry: FAST_RETRY, ...http, serverUrl: kept.serverUrl, token: kept.token }), kept);
    },
    requests(part) {
      return running().requests.filter((entry) => !entry.git && entry.path.includes(part));
    },
  };
}

/** A plain local HTTP server answering every request with `answer`, for servers that are not Bitbucket. */
export async function startPlainServer(
  answer: (request: http.IncomingMessage, response: http.ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
