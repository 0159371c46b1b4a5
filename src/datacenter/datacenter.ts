/**
 * What talking to Bitbucket Data Center takes: the REST API 1.0 client (with zod and node-fetch), its host
 * adapter and the server check. Loaded through `lazyDataCenter.ts` on the first request, not at activation,
 * like `bitbucket/cloud.ts`.
 */
import { DataCenterClient, DataCenterClientOptions } from './dataCenterClient';
import { DataCenterCredential } from './dataCenterCredential';
import { DataCenterHost } from './dataCenterHost';

export { DataCenterClient } from './dataCenterClient';
export type { DataCenterClientOptions } from './dataCenterClient';
export { normaliseServerUrl } from './dataCenterCredential';
export type { DataCenterCredential, DataCenterTokenScope } from './dataCenterCredential';
export { DataCenterHost } from './dataCenterHost';
export type { DataCenterGitAuth } from './dataCenterHost';
export { verifyDataCenter } from './verifyServer';
export type { DataCenterAccountSummary, VerifiedDataCenter, VerifyDataCenterOptions } from './verifyServer';

/** The host for a kept credential: a client for its server with its token as Bearer. */
export function dataCenterHost(
  credential: DataCenterCredential,
  options: Omit<DataCenterClientOptions, 'serverUrl' | 'token'> = {},
): DataCenterHost {
  return new DataCenterHost(new DataCenterClient({ ...options, serverUrl: credential.serverUrl, token: credential.token }), credential);
}
