/**
 * Data Center's paged APIs, as the REST reference's "Paged APIs" section describes them: `start` (0-based,
 * inclusive) and `limit` in; `{size, limit, isLastPage, start, nextPageStart?, values}` out, where
 * `nextPageStart` appears only when `isLastPage` is false and `size` is the number of values on this page.
 * Most resources default to 25 and the server caps `limit` (page.max... 1,000 by default); the response's
 * `limit` is the one applied, so clients can see the cap.
 */
export interface Page<T> {
  size: number;
  limit: number;
  isLastPage: boolean;
  values: T[];
  start: number;
  nextPageStart?: number;
}

export interface PageRequest {
  start: number;
  limit: number;
}

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 1000;

function wholeNumber(value: string | null): number | undefined {
  if (value === null || value.trim() === '') {
    return undefined;
  }
  const parsed = Number(value);
  return Number.isFinite(parsed) ? Math.floor(parsed) : undefined;
}

/** Reads `start` and `limit`; nonsense falls back to the defaults, as Bitbucket is lenient here. */
export function pageRequest(query: URLSearchParams, defaultLimit = DEFAULT_LIMIT, maxLimit = MAX_LIMIT): PageRequest {
  const start = Math.max(0, wholeNumber(query.get('start')) ?? 0);
  const asked = wholeNumber(query.get('limit'));
  const limit = asked === undefined || asked <= 0 ? defaultLimit : Math.min(asked, maxLimit);
  return { start, limit };
}

/** One page of `items` (already filtered and ordered). */
export function page<T, R = T>(items: readonly T[], request: PageRequest, map?: (item: T) => R): Page<R> {
  const slice = items.slice(request.start, request.start + request.limit);
  const values = map ? slice.map(map) : (slice as unknown as R[]);
  const isLastPage = request.start + slice.length >= items.length;
  // In the reference's order: size, limit, isLastPage, values, start, nextPageStart.
  const result: Page<R> = { size: values.length, limit: request.limit, isLastPage, values, start: request.start };
  if (!isLastPage) {
    result.nextPageStart = request.start + slice.length;
  }
  return result;
}
