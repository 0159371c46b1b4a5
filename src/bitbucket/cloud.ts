/**
 * What talking to Bitbucket Cloud takes: the 2.0 client (with zod and node-fetch), its host adapter and the
 * credential check. Loaded through `lazyCloud.ts` on the first request, not at activation.
 */
export { BitbucketClient } from './client';
export { CloudHost } from './cloudHost';
export { verifyCredential } from './verifyCredential';
// Data Center's client shares BitbucketHttp, zod and node-fetch with Cloud's: one bundle, loaded once.
export * as dataCenter from '../datacenter/datacenter';
