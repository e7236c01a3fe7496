/**
 * culprit/register's limit on the requests its share records a second. On a busy server the share takes
 * thousands of requests a second (10% of 40,000) while the limit keeps 20: once a second's quota is spent,
 * `full` turns the rest away before the share is even drawn, and one timer reopens the next second, so the
 * clock is read only for the requests the limit lets through, not for every request the share takes.
 */

export interface LimitClock {
  now(): number;
  /** Runs `reopen` once `ms` have passed (unref'd in production: the limit never keeps the app alive). */
  after(ms: number, reopen: () => void): void;
}

const SECOND_MS = 1000;

export class PerSecondLimit {
  /** True while this second's quota is spent: the recorder then skips the share's draw as well. */
  full = false;
  private windowStart = Number.NEGATIVE_INFINITY;
  private inWindow = 0;

  /** `limit`: requests a second at most; 0 lets every one through. */
  constructor(
    private readonly limit: number,
    private readonly clock: LimitClock,
  ) {}

  /** Whether one more request fits this second (counted if so). */
  take(): boolean {
    if (this.limit <= 0) return true;
    if (this.full) return false;
    const at = this.clock.now();
    if (at - this.windowStart >= SECOND_MS) {
      this.windowStart = at;
      this.inWindow = 0;
    }
    this.inWindow += 1;
    if (this.inWindow >= this.limit) {
      this.full = true;
      this.clock.after(Math.max(0, this.windowStart + SECOND_MS - at), () => this.reopen());
    }
    return true;
  }

  private reopen(): void {
    this.full = false;
    this.inWindow = 0;
    // the next request taken starts the next second
    this.windowStart = Number.NEGATIVE_INFINITY;
  }
}

/** The production clock: performance.now() and an unref'd timer. */
export function realLimitClock(now: () => number): LimitClock {
  return {
    now,
    after: (ms, reopen) => {
      setTimeout(reopen, ms).unref();
    },
  };
}
