import { apiError, MESSAGES } from './errors';

/**
 * Page-numbered pagination as the spec's "Pagination" narrative describes it: `page` and `pagelen`
 * (10 to 100, default 10) in, an envelope with `size`, `page`, `pagelen`, `values` and absolute
 * `next` / `previous` links out. The links repeat the request's query (fields, q, sort...) with
 * only `page` changed, and `next` is absent on the last page.
 */
export const MIN_PAGELEN = 10;
export const MAX_PAGELEN = 100;
export const DEFAULT_PAGELEN = 10;

export interface PageRequest {
  page: number;
  pagelen: number;
}

export interface Envelope<T> {
  pagelen: number;
  size: number;
  values: T[];
  page: number;
  next?: string;
  previous?: string;
}

export function parsePageRequest(query: URLSearchParams): PageRequest {
  const pagelenText = query.get('pagelen');
  const pageText = query.get('page');
  const pagelen = pagelenText === null ? DEFAULT_PAGELEN : Number(pagelenText);
  const page = pageText === null ? 1 : Number(pageText);
  if (!/^\d+$/.test(pagelenText ?? '10') || pagelen < MIN_PAGELEN || pagelen > MAX_PAGELEN) {
    throw apiError(400, MESSAGES.invalidPagelen, { detail: `pagelen must be between ${MIN_PAGELEN} and ${MAX_PAGELEN}` });
  }
  if (!/^\d+$/.test(pageText ?? '1') || page < 1) {
    throw apiError(400, MESSAGES.invalidPage, { detail: 'page must be a positive integer' });
  }
  return { page, pagelen };
}

/**
 * One page of `items`. `requestUrl` is the absolute URL the client asked for (on the sandbox);
 * `render` turns only the items on this page into JSON, so big collections stay cheap.
 */
export function paginate<T, R>(items: readonly T[], request: PageRequest, requestUrl: URL, render: (item: T) => R): Envelope<R> {
  const start = (request.page - 1) * request.pagelen;
  const envelope: Envelope<R> = {
    pagelen: request.pagelen,
    size: items.length,
    values: items.slice(start, start + request.pagelen).map(render),
    page: request.page,
  };
  if (start + request.pagelen < items.length) {
    envelope.next = pageLink(requestUrl, request.page + 1);
  }
  if (request.page > 1) {
    envelope.previous = pageLink(requestUrl, Math.min(request.page - 1, Math.max(1, Math.ceil(items.length / request.pagelen))));
  }
  return envelope;
}

function pageLink(requestUrl: URL, page: number): string {
  const link = new URL(requestUrl.href);
  link.searchParams.set('page', String(page));
  return link.href;
}
