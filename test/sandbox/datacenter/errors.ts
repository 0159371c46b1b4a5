import { STATUS_CODES } from 'http';

/**
 * Bitbucket Data Center's error document (RestErrorMessage in Atlassian's OpenAPI):
 * `{"errors":[{"context":null,"message":"…","exceptionName":"com.atlassian.bitbucket.…"}]}`.
 * `context` names the offending field of a validation error (then `exceptionName` is null).
 * Messages and exception names below are the ones real servers send, where public captures show them.
 */
export interface DcErrorMessage {
  context: string | null;
  message: string;
  exceptionName: string | null;
}

export interface DcErrorBody {
  errors: DcErrorMessage[];
}

export const EXCEPTIONS = {
  authentication: 'com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException',
  authorisation: 'com.atlassian.bitbucket.AuthorisationException',
  noSuchProject: 'com.atlassian.bitbucket.project.NoSuchProjectException',
  noSuchRepository: 'com.atlassian.bitbucket.repository.NoSuchRepositoryException',
  noSuchPath: 'com.atlassian.bitbucket.content.NoSuchPathException',
  noSuchCommit: 'com.atlassian.bitbucket.commit.NoSuchCommitException',
  noSuchUser: 'com.atlassian.bitbucket.user.NoSuchUserException',
  noSuchBranch: 'com.atlassian.bitbucket.repository.NoSuchBranchException',
  rateLimited: 'com.atlassian.bitbucket.ratelimit.RateLimitedException',
} as const;

export const MESSAGES = {
  authenticationFailed: 'Authentication failed. Please check your credentials and try again.',
  notPermitted: 'You are not permitted to access this resource',
  rateLimited: 'You have been rate limited. Try again later.',
} as const;

export class DcError extends Error {
  constructor(
    readonly status: number,
    readonly body: DcErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.errors[0]?.message ?? `HTTP ${status}`);
  }
}

export function dcErrorBody(message: string, exceptionName: string | null, context: string | null = null): DcErrorBody {
  return { errors: [{ context, message, exceptionName }] };
}

export function dcError(status: number, message: string, exceptionName: string | null, context: string | null = null): DcError {
  return new DcError(status, dcErrorBody(message, exceptionName, context));
}

/** 401 for a refused credential (the authentication filter answers before any resource). */
export const authenticationFailed = (): DcError => dcError(401, MESSAGES.authenticationFailed, EXCEPTIONS.authentication);
/** 401, as the reference documents for "insufficient permissions" (also for anonymous callers). */
export const notPermitted = (): DcError => dcError(401, MESSAGES.notPermitted, EXCEPTIONS.authorisation);
export const noSuchProject = (key: string): DcError => dcError(404, `Project ${key} does not exist.`, EXCEPTIONS.noSuchProject);
export const noSuchRepository = (key: string, slug: string): DcError =>
  dcError(404, `Repository ${key}/${slug} does not exist.`, EXCEPTIONS.noSuchRepository);
/** A field's validation error: 400 with `context` naming the field. */
export const invalidField = (field: string | null, message: string): DcError => dcError(400, message, null, field);

/** A plausible body for any status, used by the `status` fault. */
export function genericDcErrorBody(status: number): DcErrorBody {
  switch (status) {
    case 401:
      return dcErrorBody(MESSAGES.authenticationFailed, EXCEPTIONS.authentication);
    case 403:
      return dcErrorBody(MESSAGES.notPermitted, EXCEPTIONS.authorisation);
    case 429:
      return dcErrorBody(MESSAGES.rateLimited, EXCEPTIONS.rateLimited);
    default:
      return dcErrorBody(STATUS_CODES[status] ?? 'Error', status >= 500 ? 'java.lang.IllegalStateException' : null);
  }
}
