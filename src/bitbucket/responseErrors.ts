/**
 * Turns a Bitbucket answer that is not a success into a BitbucketError with a sentence for the user.
 * Bodies follow the spec's `error` definition when they are JSON; anything else is described by status.
 */
import { Credential, tokenShape } from './credentials';
import { BitbucketError, ScopeReport } from './errors';
import { schemas } from './schemas';

const SCOPE_PATTERN = /\b(?:read|write|admin|delete):[a-z_-]+(?::bitbucket)?\b/g;

const APP_PASSWORD_MESSAGE =
  'Bitbucket refused this credential. It looks like an app password, and Bitbucket stopped accepting ' +
  'app passwords in July 2026. Create an API token and sign in with it.';

export interface FailedResponse {
  readonly status: number;
  readonly endpoint: string;
  readonly contentType: string;
  readonly bodyText: string;
  readonly retryAfterSeconds?: number;
}

export function errorFromResponse(response: FailedResponse, credential: Credential | undefined): BitbucketError {
  const { status, endpoint } = response;
  const body = parseErrorBody(response.bodyText);
  const serverMessage = body?.error.message;
  const detail = describeDetail(body?.error.detail);
  const common = { status, endpoint, detail: [serverMessage, detail].filter(Boolean).join(' — ') || undefined };
  const looksLikeAppPassword = credential?.kind === 'apiToken' && tokenShape(credential.token) === 'appPasswordLike';

  if (status === 401) {
    if (looksLikeAppPassword) return new BitbucketError('appPasswordRemoved', APP_PASSWORD_MESSAGE, common);
    return new BitbucketError('unauthorized', unauthorizedMessage(credential), common);
  }
  if (status === 403) {
    const scopes = scopesFrom(serverMessage, body?.error.detail);
    if (scopes) {
      return new BitbucketError('missingScope', missingScopeMessage(scopes, endpoint), { ...common, scopes });
    }
    return new BitbucketError(
      'forbidden',
      `Bitbucket refused access to ${endpoint}${serverMessage ? `: ${serverMessage}` : ''}. Ask a workspace admin for access.`,
      common,
    );
  }
  if (status === 404) {
    return new BitbucketError(
      'notFound',
      `Bitbucket found nothing at ${endpoint}. It may have been renamed or deleted, or your account cannot see it.`,
      common,
    );
  }
  if (status === 410) {
    if (looksLikeAppPassword) return new BitbucketError('appPasswordRemoved', APP_PASSWORD_MESSAGE, common);
    return new BitbucketError(
      'gone',
      `Bitbucket no longer offers ${endpoint} (410 Gone). Update the Bitbucket Repositories extension.`,
      common,
    );
  }
  if (status === 429) {
    const when =
      response.retryAfterSeconds === undefined
        ? 'Wait a few minutes and try again.'
        : `Try again in ${formatSeconds(response.retryAfterSeconds)}.`;
    return new BitbucketError('rateLimited', `Bitbucket's rate limit for your account is used up. ${when}`, {
      ...common,
      retryAfterSeconds: response.retryAfterSeconds,
    });
  }
  if (status >= 500) {
    return new BitbucketError(
      'serverError',
      `Bitbucket had a server error (HTTP ${status}) on ${endpoint}. Try again in a moment.`,
      common,
    );
  }
  if (status === 400 && body) {
    return new BitbucketError('badRequest', `Bitbucket refused the request: ${serverMessage}`, {
      ...common,
      fieldErrors: normaliseFields(body.error.fields),
    });
  }
  if (!body && response.bodyText.length > 0) {
    return notJsonError(status, response.contentType, endpoint);
  }
  return new BitbucketError(
    'badRequest',
    `Bitbucket refused ${endpoint} (HTTP ${status})${serverMessage ? `: ${serverMessage}` : '.'}`,
    common,
  );
}

export function notJsonError(status: number, contentType: string, endpoint: string): BitbucketError {
  const type = contentType || 'no content type';
  return new BitbucketError(
    'notJson',
    `Bitbucket's answer to ${endpoint} was not JSON (HTTP ${status}, ${type}). A proxy or single sign-on page ` +
      'may be in the way: check the bitbucket.apiUrl setting and your network.',
    { status, endpoint },
  );
}

function unauthorizedMessage(credential: Credential | undefined): string {
  if (!credential) return 'Bitbucket needs you to sign in for this. Run "Bitbucket: Sign In".';
  if (credential.kind === 'accessToken') {
    return 'Bitbucket did not accept the access token: it is wrong, expired or revoked. Sign in again with a valid token.';
  }
  return (
    'Bitbucket did not accept the email and API token: one of them is wrong, or the token has expired or ' +
    'been revoked. Sign in again with your Atlassian email and a valid API token.'
  );
}

function missingScopeMessage(scopes: ScopeReport, endpoint: string): string {
  const missing = scopes.required.filter((scope) => !scopes.granted.includes(scope));
  const named = missing.length > 0 ? missing : scopes.required;
  if (named.length === 0) {
    return `Your token lacks a scope that ${endpoint} needs. Create a token with the scopes listed in the sign-in help and sign in again.`;
  }
  const list = named.join(', ');
  return `Your token lacks the scope${named.length > 1 ? 's' : ''} ${list}, needed for ${endpoint}. Create a token that has ${named.length > 1 ? 'them' : 'it'} and sign in again.`;
}

function parseErrorBody(text: string) {
  try {
    const parsed = schemas().errorBody.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds granted and required scopes in a 403. Atlassian does not document the shape of `detail`; clients
 * have seen both an object with lists and a sentence, so both are read.
 */
function scopesFrom(message: string | undefined, detail: unknown): ScopeReport | undefined {
  const mentionsScopes = /scope/i.test(message ?? '') || /scope/i.test(describeDetail(detail) ?? '');
  if (!mentionsScopes) return undefined;
  if (detail && typeof detail === 'object') {
    const record = detail as Record<string, unknown>;
    const list = (value: unknown) =>
      Array.isArray(value)
        ? value.filter((s): s is string => typeof s === 'string')
        : typeof value === 'string'
          ? (value.match(SCOPE_PATTERN) ?? [])
          : [];
    return { granted: list(record.granted), required: list(record.required) };
  }
  if (typeof detail === 'string') {
    const [grantedPart, requiredPart] = splitOnRequired(detail);
    return { granted: grantedPart.match(SCOPE_PATTERN) ?? [], required: requiredPart.match(SCOPE_PATTERN) ?? [] };
  }
  return { granted: [], required: [] };
}

function splitOnRequired(text: string): [string, string] {
  const index = text.search(/required/i);
  return index < 0 ? [text, ''] : [text.slice(0, index), text.slice(index)];
}

function describeDetail(detail: unknown): string | undefined {
  if (detail === undefined || detail === null) return undefined;
  return typeof detail === 'string' ? detail : JSON.stringify(detail);
}

function normaliseFields(fields: Record<string, string[] | string> | undefined): Record<string, readonly string[]> | undefined {
  if (!fields) return undefined;
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, Array.isArray(value) ? value : [value]]));
}

function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
