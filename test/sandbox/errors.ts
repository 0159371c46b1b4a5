import { STATUS_CODES } from 'http';

/** Bitbucket's error document: `{"type": "error", "error": {"message", "detail"?, "fields"?, "id"?, "data"?}}`. */
export interface ErrorBody {
  type: 'error';
  error: {
    message: string;
    detail?: string | Record<string, unknown>;
    fields?: Record<string, string[]>;
    id?: string;
    data?: Record<string, unknown>;
  };
}

export const MESSAGES = {
  invalidCredentials: 'Token is invalid, expired, or not supported for this endpoint.',
  authenticationRequired: 'Authentication required. Sign in with an API token, or use an access token.',
  missingScope: 'Your credentials lack one or more required privilege scopes.',
  wrongMechanism: 'This API is not accessible by this authentication mechanism.',
  tokenWorkspace: 'This access token is not valid for this workspace.',
  rateLimited: 'Rate limit for this resource has been exceeded',
  duplicateSlug: 'Repository with this Slug and Owner already exists.',
  invalidPagelen: 'Invalid pagelen',
  invalidPage: 'Invalid page',
  gone: 'This API is no longer available. See https://developer.atlassian.com/cloud/bitbucket/changelog/#CHANGE-2770',
} as const;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.error.message);
  }
}

export function errorBody(message: string, extra: Omit<ErrorBody['error'], 'message'> = {}): ErrorBody {
  return { type: 'error', error: { message, ...extra } };
}

export function apiError(status: number, message: string, extra: Omit<ErrorBody['error'], 'message'> = {}): ApiError {
  return new ApiError(status, errorBody(message, extra));
}

/** A plausible body for any status, used by the `status` fault. */
export function genericErrorBody(status: number): ErrorBody {
  switch (status) {
    case 401:
      return errorBody(MESSAGES.invalidCredentials);
    case 404:
      return errorBody('Resource not found');
    case 410:
      return errorBody(MESSAGES.gone);
    case 429:
      return errorBody(MESSAGES.rateLimited);
    default:
      if (status >= 500) {
        return errorBody(status === 500 ? 'Something went wrong' : (STATUS_CODES[status] ?? 'Server error'), {
          id: `sandbox-${status}-0000000000000000`,
        });
      }
      return errorBody(STATUS_CODES[status] ?? 'Error');
  }
}
