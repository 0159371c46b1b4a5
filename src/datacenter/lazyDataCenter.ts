/**
 * The Data Center client stack on first use. It shares BitbucketHttp (with module state), zod and node-fetch
 * with Cloud's, so it is in the same lazily loaded bundle (dist/cloud.js, re-exported by bitbucket/cloud.ts).
 */
import type * as DataCenter from './datacenter';
import { cloud } from '../bitbucket/lazyCloud';

export function dataCenter(): typeof DataCenter {
  return cloud().dataCenter;
}
