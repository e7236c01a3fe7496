/**
 * Which requests `culprit watch` records in detail (queries with their
 * stacks and statements, HTTP calls, the body's size, blocking): recording
 * one costs about as much as serving it, so under real traffic only a share
 * is; every other request is counted (route, status, times, CPU, query and
 * row counts) and nothing more. Per route key (method and path with ids
 * folded, known when the request starts): the first requests, then one per
 * interval, plus the next request to a URL that was slower than every
 * request of its route recorded so far; all under one budget per second so
 * that many routes (or paths folding badly) cannot make every request
 * detailed. Pure: the clock and the coin are injected.
 */

export interface SamplerSettings {
  /** Requests of each route key recorded in detail before the interval applies. */
  first: number;
  /** After those, at most one detailed request per route key per this many ms. */
  intervalMs: number;
  /** Detailed requests per second over all routes (a token bucket of this depth). */
  perSecond: number;
  /** Route keys tracked; past it the rest share one. */
  maxKeys: number;
  /** URLs waiting for their next request to be detailed (slow outliers). */
  maxWanted: number;
}

export const DEFAULT_SAMPLER: SamplerSettings = {
  first: 10,
  intervalMs: 500,
  perSecond: 20,
  maxKeys: 1000,
  maxWanted: 64,
};

/**
 * The default, or what `CULPRIT_WATCH_SAMPLE` (`first,intervalMs`) sets: under valgrind a server answers a
 * few requests a second, where the default interval details every other one; bench/watch/instructions.mjs
 * prices the counted path with `0,1e9` (nothing detailed) and the detailed one with `1e9,0`.
 */
export function samplerSettings(env: NodeJS.ProcessEnv): SamplerSettings {
  const match = /^\s*([\d.e+]+)\s*,\s*([\d.e+]+)\s*$/.exec(env.CULPRIT_WATCH_SAMPLE ?? '');
  if (!match) return DEFAULT_SAMPLER;
  const [first, intervalMs] = [Number(match[1]), Number(match[2])];
  if (!(Number.isFinite(first) && Number.isFinite(intervalMs))) return DEFAULT_SAMPLER;
  // a bench's knob: no per-second cap either, or it would decide the share instead
  return { ...DEFAULT_SAMPLER, first, intervalMs, perSecond: first > 0 ? Number.POSITIVE_INFINITY : 0 };
}

const OVERFLOW_KEY = '\0other';

interface KeyState {
  detailed: number;
  /** When the interval allows the next detailed request. */
  nextAt: number;
  /** The slowest detailed request of this key, ms. */
  slowestMs: number;
}

export class WatchSampler {
  private readonly keys = new Map<string, KeyState>();
  /** Slow URLs whose next request is recorded in detail. */
  private readonly wanted = new Set<string>();
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly now: () => number,
    private readonly settings: SamplerSettings = DEFAULT_SAMPLER,
    private readonly random: () => number = Math.random,
  ) {
    this.tokens = settings.perSecond;
    this.refilledAt = now();
  }

  /** Whether the request to `url` (route key `key`) starting now is recorded in detail. */
  detail(key: string, url: string): boolean {
    const state = this.stateOf(key);
    const at = this.now();
    const slow = this.wanted.size > 0 && this.wanted.has(url);
    const due = state.detailed < this.settings.first || at >= state.nextAt;
    if (!(slow || due) || !this.takeToken(at)) return false;
    if (slow) this.wanted.delete(url);
    state.detailed += 1;
    // spaced with jitter, so that detail does not lock onto a periodic pattern of the traffic
    if (state.detailed >= this.settings.first) state.nextAt = at + this.settings.intervalMs * (0.5 + this.random());
    return true;
  }

  /**
   * A finished request of `key`: a detailed one raises the route's slowest;
   * a counted one slower than that asks for the next request to its URL.
   */
  finished(key: string, url: string, wallMs: number, detailed: boolean): void {
    const state = this.stateOf(key);
    if (detailed) {
      if (wallMs > state.slowestMs) state.slowestMs = wallMs;
      return;
    }
    if (wallMs > state.slowestMs && state.detailed > 0 && this.wanted.size < this.settings.maxWanted)
      this.wanted.add(url);
  }

  private stateOf(key: string): KeyState {
    let state = this.keys.get(key);
    if (!state) {
      if (this.keys.size >= this.settings.maxKeys) key = OVERFLOW_KEY;
      state = this.keys.get(key);
      if (!state) {
        state = { detailed: 0, nextAt: 0, slowestMs: 0 };
        this.keys.set(key, state);
      }
    }
    return state;
  }

  private takeToken(at: number): boolean {
    const { perSecond } = this.settings;
    this.tokens = Math.min(perSecond, this.tokens + ((at - this.refilledAt) * perSecond) / 1000);
    this.refilledAt = at;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
