/**
 * "3 days ago" for repository descriptions; coarse on purpose, like Bitbucket's own lists. Written out
 * rather than with Intl.RelativeTimeFormat, whose first use costs tens of milliseconds of locale loading
 * on the way to the first rows (the extension's text is English throughout).
 */
const UNITS: ReadonlyArray<[unit: string, seconds: number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** How a count of one of the larger units reads. */
const ONE_AGO: Readonly<Record<string, string>> = { year: 'last year', month: 'last month', week: 'last week', day: 'yesterday' };

export function fromNow(isoDate: string | undefined, now: number = Date.now()): string | undefined {
  if (!isoDate) return undefined;
  const then = Date.parse(isoDate);
  if (Number.isNaN(then)) return undefined;
  // A date ahead of this machine's clock is a clock out of step, not news from the future.
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  for (const [unit, size] of UNITS) {
    const count = Math.trunc(seconds / size);
    if (count === 0) continue;
    if (count === 1) return ONE_AGO[unit] ?? `1 ${unit} ago`;
    return `${count} ${unit}s ago`;
  }
  return 'just now';
}
