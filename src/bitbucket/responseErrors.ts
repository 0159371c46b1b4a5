/**
 * Turns a Bitbucket answer that is not a success into a BitbucketError with a sentence for the user.
 * Bodies follow the spec's `error` definition when they are JSON; anything else is described by status.
 */
import { Commands } from '../common/commandIds';
import { paletteTitle, t } from '../common/l10n';
import { Credential, tokenShape } from './credentials';
import { BitbucketError, ScopeReport } from './errors';
import { schemas } from './schemas';

const SCOPE_PATTERN = /\b(?:read|write|admin|delete):[a-z_-]+(?::bitbucket)?\b/g;

function appPasswordMessage(): string {
  return t(
    'Bitbucket refused this credential. It looks like an app password, and Bitbucket stopped accepting app passwords in July 2026. Create an API token and sign in with it.',
  );
}

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
    if (looksLikeAppPassword) return new BitbucketError('appPasswordRemoved', appPasswordMessage(), common);
    return new BitbucketError('unauthorized', unauthorizedMessage(credential), common);
  }
  if (status === 403) {
    const scopes = scopesFrom(serverMessage, body?.error.detail);
    if (scopes) {
      return new BitbucketError('missingScope', missingScopeMessage(scopes, endpoint), { ...common, scopes });
    }
    return new BitbucketError(
      'forbidden',
      serverMessage
        ? t('Bitbucket refused access to {0}: {1}. Ask a workspace admin for access.', endpoint, serverMessage)
        : t('Bitbucket refused access to {0}. Ask a workspace admin for access.', endpoint),
      common,
    );
  }
  if (status === 404) {
    return new BitbucketError(
      'notFound',
      t('Bitbucket found nothing at {0}. It may have been renamed or deleted, or your account cannot see it.', endpoint),
      common,
    );
  }
  if (status === 410) {
    if (looksLikeAppPassword) return new BitbucketError('appPasswordRemoved', appPasswordMessage(), common);
    return new BitbucketError(
      'gone',
      t('Bitbucket no longer offers {0} (410 Gone). Update the Bitbucket Repositories extension.', endpoint),
      common,
    );
  }
  if (status === 429) {
    return new BitbucketError('rateLimited', rateLimitMessage(response.retryAfterSeconds), {
      ...common,
      retryAfterSeconds: response.retryAfterSeconds,
    });
  }
  if (status >= 500) {
    return new BitbucketError(
      'serverError',
      t('Bitbucket had a server error (HTTP {0}) on {1}. Try again in a moment.', status, endpoint),
      common,
    );
  }
  if (status === 400 && body) {
    return new BitbucketError('badRequest', t('Bitbucket refused the request: {0}', body.error.message), {
      ...common,
      fieldErrors: normaliseFields(body.error.fields),
    });
  }
  if (!body && response.bodyText.length > 0) {
    return notJsonError(status, response.contentType, endpoint);
  }
  return new BitbucketError(
    'badRequest',
    serverMessage
      ? t('Bitbucket refused {0} (HTTP {1}): {2}', endpoint, status, serverMessage)
      : t('Bitbucket refused {0} (HTTP {1}).', endpoint, status),
    common,
  );
}

export function notJsonError(status: number, contentType: string, endpoint: string): BitbucketError {
  return new BitbucketError(
    'notJson',
    contentType
      ? t(
          "Bitbucket's answer to {0} was not JSON (HTTP {1}, {2}). A proxy or single sign-on page may be in the way: check the bitbucket.apiUrl setting and your network.",
          endpoint,
          status,
          contentType,
        )
      : t(
          "Bitbucket's answer to {0} was not JSON (HTTP {1}, no content type). A proxy or single sign-on page may be in the way: check the bitbucket.apiUrl setting and your network.",
          endpoint,
          status,
        ),
    { status, endpoint },
  );
}

function unauthorizedMessage(credential: Credential | undefined): string {
  if (!credential) return t('Bitbucket needs you to sign in for this. Run "{0}".', paletteTitle(Commands.signIn));
  if (credential.kind === 'accessToken') {
    return t('Bitbucket did not accept the access token: it is wrong, expired or revoked. Sign in again with a valid token.');
  }
  return t(
    'Bitbucket did not accept the email and API token: one of them is wrong, or the token has expired or been revoked. Sign in again with your Atlassian email and a valid API token.',
  );
}

function missingScopeMessage(scopes: ScopeReport, endpoint: string): string {
  const missing = scopes.required.filter((scope) => !scopes.granted.includes(scope));
  const named = missing.length > 0 ? missing : scopes.required;
  if (named.length === 0) {
    return t(
      'Your token lacks a scope that {0} needs. Create a token with the scopes listed in the sign-in help and sign in again.',
      endpoint,
    );
  }
  const list = named.join(', ');
  return named.length > 1
    ? t('Your token lacks the scopes {0}, needed for {1}. Create a token that has them and sign in again.', list, endpoint)
    : t('Your token lacks the scope {0}, needed for {1}. Create a token that has it and sign in again.', list, endpoint);
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

function rateLimitMessage(seconds: number | undefined): string {
  if (seconds === undefined) return t("Bitbucket's rate limit for your account is used up. Wait a few minutes and try again.");
  if (seconds === 1) return t("Bitbucket's rate limit for your account is used up. Try again in 1 second.");
  if (seconds < 90) return t("Bitbucket's rate limit for your account is used up. Try again in {0} seconds.", seconds);
  return t("Bitbucket's rate limit for your account is used up. Try again in {0} minutes.", Math.ceil(seconds / 60));
}
