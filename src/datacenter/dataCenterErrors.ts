/**
 * Bitbucket Data Center's errors in the extension's words: its error document
 * (`{"errors":[{"context","message","exceptionName"}]}`, RestErrorMessage), its statuses (401 both for a refused
 * token and for a missing permission, which the exception name tells apart; 409 for a name already taken),
 * and what reaching a self-hosted server can go wrong with (a login page or proxy in the way, a certificate
 * this computer does not trust). Plugged into BitbucketHttp as its `HostErrors`. No `vscode` import.
 */
import { BitbucketError } from '../bitbucket/errors';
import type { HostErrors } from '../bitbucket/http';
import { safeHost } from '../bitbucket/http';
import type { FailedResponse } from '../bitbucket/responseErrors';
import { t } from '../common/l10n';
import { dataCenterSchemas, DcErrorBody } from './dataCenterSchemas';

/** Certificate errors Node reports when the chain ends at an authority this computer does not trust. */
const UNTRUSTED_CERTIFICATE = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_CHAIN_TOO_LONG',
]);
const EXPIRED_CERTIFICATE = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const WRONG_NAME_CERTIFICATE = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);

/** Exception names of a missing permission, as opposed to a refused credential (both are 401). */
const PERMISSION_EXCEPTION = /Authori[sz]ationException|PermissionException|NotPermitted/i;

/** The Data Center wording of every error BitbucketHttp raises. `signedIn`: whether a token is sent. */
export function dataCenterErrors(signedIn: boolean): HostErrors {
  return {
    fromResponse: (response) => dataCenterErrorFromResponse(response, signedIn),
    notJson: dataCenterNotJson,
    redirect: dataCenterRedirect,
    network: dataCenterNetworkError,
  };
}

export function dataCenterErrorFromResponse(response: FailedResponse, signedIn: boolean): BitbucketError {
  const { status, endpoint } = response;
  const body = parseErrorBody(response.bodyText);
  const messages = (body?.errors ?? []).map((error) => error.message).filter((message): message is string => Boolean(message));
  const exception = body?.errors.find((error) => error.exceptionName)?.exceptionName ?? '';
  /** What the server said, joined; undefined when it said nothing. */
  const said = messages.length > 0 ? messages.join(' ') : undefined;
  const common = { status, endpoint, detail: [exception, ...messages].filter(Boolean).join(' — ') || undefined };

  if (status === 401) {
    if (!signedIn) {
      return new BitbucketError(
        'unauthorized',
        t('Bitbucket Data Center wants a signed-in account for {0}. Sign in with an HTTP access token.', endpoint),
        common,
      );
    }
    if (PERMISSION_EXCEPTION.test(exception) || /not permitted/i.test(messages.join(' '))) {
      return new BitbucketError(
        'forbidden',
        t(
          'Bitbucket Data Center refused {0}: the token, or the account it belongs to, lacks the permission it needs. Ask a project administrator for access, or sign in with a token that has more permission.',
          endpoint,
        ),
        common,
      );
    }
    return new BitbucketError(
      'unauthorized',
      t(
        'Bitbucket Data Center did not accept the token: it is wrong, expired or revoked. Create a new HTTP access token and sign in again.',
      ),
      common,
    );
  }
  if (status === 403) {
    return new BitbucketError(
      'forbidden',
      said
        ? t('Bitbucket Data Center refused {0}: {1} Ask your Bitbucket administrator for access.', endpoint, said)
        : t('Bitbucket Data Center refused {0}. Ask your Bitbucket administrator for access.', endpoint),
      common,
    );
  }
  if (status === 404) {
    return new BitbucketError(
      'notFound',
      said
        ? t(
            'Bitbucket Data Center found nothing at {0}: {1} It may have been renamed or deleted, or the token cannot see it.',
            endpoint,
            said,
          )
        : t('Bitbucket Data Center found nothing at {0}. It may have been renamed or deleted, or the token cannot see it.', endpoint),
      common,
    );
  }
  if (status === 429) {
    const seconds = response.retryAfterSeconds;
    const message =
      seconds === undefined
        ? t('Bitbucket Data Center is limiting how many requests your token may make. Wait a minute and try again.')
        : seconds === 1
          ? t('Bitbucket Data Center is limiting how many requests your token may make. Try again in 1 second.')
          : t('Bitbucket Data Center is limiting how many requests your token may make. Try again in {0} seconds.', seconds);
    return new BitbucketError('rateLimited', message, {
      ...common,
      retryAfterSeconds: seconds,
    });
  }
  if (status >= 500) {
    return new BitbucketError(
      'serverError',
      t(
        'Bitbucket Data Center had a server error (HTTP {0}) on {1}. Try again in a moment; if it persists, tell your Bitbucket administrator.',
        status,
        endpoint,
      ),
      common,
    );
  }
  if (!body && response.bodyText.trim().length > 0) return dataCenterNotJson(status, response.contentType, endpoint);
  // 400 (a field's validation error) and 409 (a name already taken) name the field in `context`.
  const refused = said ? t('Bitbucket Data Center refused {0}: {1}', endpoint, said) : t('Bitbucket Data Center refused {0}.', endpoint);
  return new BitbucketError('badRequest', refused, {
    ...common,
    fieldErrors: fieldErrors(body),
  });
}

export function dataCenterNotJson(status: number, contentType: string, endpoint: string): BitbucketError {
  return new BitbucketError(
    'notJson',
    contentType
      ? t(
          "Bitbucket Data Center's answer to {0} was not JSON (HTTP {1}, {2}): a login page, proxy or single sign-on gateway may be in the way. Check the server address and that its REST API accepts tokens.",
          endpoint,
          status,
          contentType,
        )
      : t(
          "Bitbucket Data Center's answer to {0} was not JSON (HTTP {1}, no content type): a login page, proxy or single sign-on gateway may be in the way. Check the server address and that its REST API accepts tokens.",
          endpoint,
          status,
        ),
    { status, endpoint },
  );
}

function dataCenterRedirect(status: number, endpoint: string, location: string | null): BitbucketError {
  const host = location ? safeHost(location) : undefined;
  const message =
    host !== undefined
      ? t(
          'Bitbucket Data Center answered {0} with a redirect (HTTP {1}) to {2}, which was not followed so the token stays with this server. Check the server address: use the one Bitbucket itself redirects to (https://, its host name and any path such as /bitbucket).',
          endpoint,
          status,
          host,
        )
      : location
        ? t(
            'Bitbucket Data Center answered {0} with a redirect (HTTP {1}) to another address, which was not followed so the token stays with this server. Check the server address: use the one Bitbucket itself redirects to (https://, its host name and any path such as /bitbucket).',
            endpoint,
            status,
          )
        : t(
            'Bitbucket Data Center answered {0} with a redirect (HTTP {1}), which was not followed so the token stays with this server. Check the server address: use the one Bitbucket itself redirects to (https://, its host name and any path such as /bitbucket).',
            endpoint,
            status,
          );
  return new BitbucketError('invalidResponse', message, { endpoint, status });
}

/** No answer: the sentence names what Node said went wrong, and for certificates what to do about it. */
export function dataCenterNetworkError(error: unknown, url: URL, endpoint: string): BitbucketError {
  const code = (error as { code?: string }).code ?? '';
  const init = { endpoint, detail: (error as Error).message, cause: error };
  if (UNTRUSTED_CERTIFICATE.has(code)) {
    return new BitbucketError(
      'network',
      t(
        "The certificate of {0} is not signed by an authority this computer trusts ({1}). If your company uses its own certificate authority, let VS Code use the system certificates (the http.systemCertificates setting) or point the NODE_EXTRA_CA_CERTS environment variable at the authority's certificate file, then restart VS Code.",
        url.host,
        code,
      ),
      init,
    );
  }
  if (EXPIRED_CERTIFICATE.has(code)) {
    return new BitbucketError(
      'network',
      t(
        "The certificate of {0} is not valid now ({1}): it has expired or is not valid yet. Ask the server's administrator to renew it, and check this computer's clock.",
        url.host,
        code,
      ),
      init,
    );
  }
  if (WRONG_NAME_CERTIFICATE.has(code)) {
    return new BitbucketError(
      'network',
      t(
        'The certificate of {0} is made out to another name ({1}). Use the server address the certificate names, as the browser shows it.',
        url.host,
        code,
      ),
      init,
    );
  }
  const message =
    code === 'ENOTFOUND'
      ? t('Could not reach Bitbucket Data Center at {0} ({1}). Check the host name in the server address, then try again.', url.host, code)
      : code
        ? t(
            'Could not reach Bitbucket Data Center at {0} ({1}). Check the server address, your connection and proxy settings, then try again.',
            url.host,
            code,
          )
        : t(
            'Could not reach Bitbucket Data Center at {0}. Check the server address, your connection and proxy settings, then try again.',
            url.host,
          );
  return new BitbucketError('network', message, init);
}

function parseErrorBody(text: string): DcErrorBody | undefined {
  try {
    const parsed = dataCenterSchemas().errorBody.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Messages by the field their `context` names; undefined when none names one. */
function fieldErrors(body: DcErrorBody | undefined): Record<string, readonly string[]> | undefined {
  const fields: Record<string, string[]> = {};
  for (const error of body?.errors ?? []) {
    if (error.context && error.message) fields[error.context] = [...(fields[error.context] ?? []), error.message];
  }
  return Object.keys(fields).length > 0 ? fields : undefined;
}
