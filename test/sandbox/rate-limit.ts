/** Rolling one-hour windows, one per key (a credential or, unauthenticated, an IP address). */
export const HOUR_MS = 60 * 60 * 1000;

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
}

export class RollingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly windowMs = HOUR_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request for `key` unless it would go over `limit`. */
  take(key: string, limit: number): RateDecision {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((time) => now - time < this.windowMs);
    const allowed = recent.length < limit;
    if (allowed) {
      recent.push(now);
    }
    this.hits.set(key, recent);
    return { allowed, limit, remaining: Math.max(0, limit - recent.length) };
  }

  reset(): void {
    this.hits.clear();
  }
}
