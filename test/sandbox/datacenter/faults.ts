import { ServerResponse } from 'http';
import { Fault, respondWithFault } from '../faults';
import { genericDcErrorBody } from './errors';

/**
 * Answers a REST request the way a Cloud-sandbox `Fault` says, with Data Center's error document where
 * the Cloud one would show through: `status` and `rate-limit` get `{"errors":[...]}` bodies; every other
 * kind (html, drop, malformed-json, invalid-shape, oversized) is the shared implementation's.
 * Data Center's rate limiting (token buckets per user) always says when to come back, so `rate-limit`
 * sends `Retry-After` (default 1 second) where the Cloud sandbox leaves it out unless asked.
 */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

export function respondWithDcFault(fault: Fault, res: ServerResponse, headers: Record<string, string>): void {
  const json = (status: number, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers, ...extra });
    res.end(JSON.stringify(genericDcErrorBody(status)));
  };
  switch (fault.kind) {
    case 'status':
      json(fault.status ?? 500);
      return;
    case 'rate-limit':
      json(429, { 'retry-after': String(fault.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS) });
      return;
    default:
      respondWithFault(fault, res);
  }
}
