/**
 * The API root and page sizes, apart from the client: the settings read them at activation, and the
 * client (with zod and node-fetch) is loaded only when the first request is made.
 */
export const DEFAULT_API_URL = 'https://api.bitbucket.org/2.0';

export const MIN_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;

/** A page size Bitbucket accepts: 10 to 100 (it answers 400 outside), the default for nonsense. */
export function clampPageSize(size: number): number {
  if (!Number.isFinite(size)) return DEFAULT_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(MIN_PAGE_SIZE, Math.round(size)));
}
