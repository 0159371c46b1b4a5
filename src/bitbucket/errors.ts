/**
 * Typed errors from the Bitbucket client. Each carries the sentence a user should read (its `message`)
 * and a `kind` the UI switches on to offer the right action. `detail` is for the log only.
 */

import { ExplainedError, Remedy } from '../common/explainedError';

export type BitbucketErrorKind =
  | 'unauthorized' // 401: wrong, expired or removed credential
  | 'appPasswordRemoved' // 401/410 for a credential shaped like an app password
  | 'missingScope' // 403 naming scopes
  | 'forbidden' // 403 without scope details
  | 'notFound' // 404
  | 'gone' // 410
  | 'badRequest' // 400, possibly with field errors
  | 'rateLimited' // 429
  | 'serverError' // 5xx
  | 'network' // no HTTP answer: refused, reset, DNS
  | 'timeout'
  | 'cancelled'
  | 'notJson' // an HTML page or other non-JSON body, typically a proxy or SSO gateway
  | 'invalidResponse' // JSON that does not have the shape the API documents
  | 'insecureUrl' // credentials would travel over plain http to a non-loopback host
  | 'invalidName'; // a workspace or repository name that would not stay one path segment (`.`, `..`, empty)

export interface ScopeReport {
  readonly granted: readonly string[];
  readonly required: readonly string[];
}

export interface BitbucketErrorInit {
  readonly status?: number;
  readonly endpoint?: string;
  readonly detail?: string;
  readonly retryAfterSeconds?: number;
  readonly scopes?: ScopeReport;
  readonly fieldErrors?: Readonly<Record<string, readonly string[]>>;
  readonly cause?: unknown;
}

export class BitbucketError extends ExplainedError {
  readonly status?: number;
  readonly endpoint?: string;
  readonly detail?: string;
  readonly retryAfterSeconds?: number;
  readonly scopes?: ScopeReport;
  readonly fieldErrors?: Readonly<Record<string, readonly string[]>>;

  constructor(
    readonly kind: BitbucketErrorKind,
    message: string,
    init: BitbucketErrorInit = {},
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'BitbucketError';
    this.status = init.status;
    this.endpoint = init.endpoint;
    this.detail = init.detail;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.scopes = init.scopes;
    this.fieldErrors = init.fieldErrors;
  }

  /** True when signing in again (with a new or better token) is the way out. */
  get needsNewCredentials(): boolean {
    return this.kind === 'unauthorized' || this.kind === 'appPasswordRemoved' || this.kind === 'missingScope';
  }

  get remedy(): Remedy | undefined {
    if (this.needsNewCredentials) return 'signIn';
    return ['rateLimited', 'serverError', 'network', 'timeout', 'notJson'].includes(this.kind) ? 'retry' : undefined;
  }
}

export function isBitbucketError(error: unknown, kind?: BitbucketErrorKind): error is BitbucketError {
  return error instanceof BitbucketError && (kind === undefined || error.kind === kind);
}
