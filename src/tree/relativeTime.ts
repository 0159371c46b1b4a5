/** "3 days ago" for repository descriptions; coarse on purpose, like Bitbucket's own lists. */
const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

export function fromNow(isoDate: string | undefined, now: number = Date.now()): string | undefined {
  if (!isoDate) return undefined;
  const then = Date.parse(isoDate);
  if (Number.isNaN(then)) return undefined;
  const seconds = Math.round((then - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return 'just now';
}
