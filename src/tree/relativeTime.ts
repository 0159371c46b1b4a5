/**
 * "3 days ago" for repository descriptions; coarse on purpose, like Bitbucket's own lists. Written out
 * rather than with Intl.RelativeTimeFormat, whose first use costs tens of milliseconds of locale loading
 * on the way to the first rows; each unit reads as a whole message, for one and for more, so a translator
 * words each of them.
 */
import { t } from '../common/l10n';

interface Unit {
  readonly seconds: number;
  /** How one of the unit reads ("last week", "1 hour ago"). */
  readonly one: () => string;
  /** How more than one reads ("3 weeks ago"). */
  readonly many: (count: number) => string;
}

const UNITS: readonly Unit[] = [
  { seconds: 365 * 24 * 3600, one: () => t('last year'), many: (count) => t('{0} years ago', count) },
  { seconds: 30 * 24 * 3600, one: () => t('last month'), many: (count) => t('{0} months ago', count) },
  { seconds: 7 * 24 * 3600, one: () => t('last week'), many: (count) => t('{0} weeks ago', count) },
  { seconds: 24 * 3600, one: () => t('yesterday'), many: (count) => t('{0} days ago', count) },
  { seconds: 3600, one: () => t('1 hour ago'), many: (count) => t('{0} hours ago', count) },
  { seconds: 60, one: () => t('1 minute ago'), many: (count) => t('{0} minutes ago', count) },
];

export function fromNow(isoDate: string | undefined, now: number = Date.now()): string | undefined {
  if (!isoDate) return undefined;
  const then = Date.parse(isoDate);
  if (Number.isNaN(then)) return undefined;
  // A date ahead of this machine's clock is a clock out of step, not news from the future.
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  for (const unit of UNITS) {
    const count = Math.trunc(seconds / unit.seconds);
    if (count === 0) continue;
    return count === 1 ? unit.one() : unit.many(count);
  }
  return t('just now');
}
