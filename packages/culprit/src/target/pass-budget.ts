/**
 * How many times a pass of `culprit diagnose` sends the request when `-n`
 * was not given: up to the default count, but a pass spends about a second
 * of requests, so a slow request costs a few sends, not 2n + 1 of them. The
 * story request at 100k rows takes 1.5 s: 7 sends made diagnose cost 10× the
 * request (issue 15). A pass does not start a send that, as long as the last
 * one, would end past the budget: at 0.55 s per request a second send made
 * each pass cost 1.1 s. Requests under a third of a second are sent as often
 * as before. Pure.
 */

/**
 * When a pass may stop early: after `minSends`, once its requests took
 * `wallMs` together, or once its last two requests agree: took times within
 * `steadyWithin` of each other (a fraction of the longer), or, with
 * `steadyWork`, did the same work (`same-work.ts`, judged by the pass).
 */
export interface PassBudget {
  minSends: number;
  wallMs: number;
  steadyWithin?: number;
  steadyWork?: boolean;
}

/** A pass's requests beyond this much wall time add little: the profile has ≥ 1,000 samples by then. */
export const PASS_WALL_MS = 1_000;

/**
 * Two timed runs this close are steady: a third adds a send, not a different
 * picture. A short request (ephemera's story at 10k rows, 0.1 s) was sent
 * 3 times per pass to fill the second; the cost of a diagnose is then its
 * passes, not its work (issue 15). A cold first run is slower than the next
 * by far more than this (the story at 10k rows: 0.30 s, then 0.17 s), so it
 * is never one of a steady pair.
 */
export const STEADY_WITHIN = 0.2;

/**
 * The trace pass may stop after one long run, or two that did the same work
 * (times under count mode and load say little; the diagnosis reads the
 * median run, the faster of two, so a cold first run is not the one it
 * reads); a cold single run (a route compiled on first hit, a cache filled)
 * is caught after the timing pass by `looksCold`, and the request traced once more.
 */
export const TRACE_BUDGET: PassBudget = { minSends: 1, wallMs: PASS_WALL_MS, steadyWork: true };
/** The timing pass follows warm runs: one is enough when it is long, two when they agree. */
export const TIMING_BUDGET: PassBudget = { minSends: 1, wallMs: PASS_WALL_MS, steadyWithin: STEADY_WITHIN };

/**
 * A traced run this long makes the warm-up unneeded: what count mode
 * deoptimized is optimized again within the first milliseconds of the timed
 * run (story request, 100k rows: the first run after the count pass took
 * 1.54 s CPU, the timed runs after it 1.49–1.90 s).
 */
export const WARM_RUN_MS = 250;

/**
 * A traced run this many times slower than the warm timed run was cold, not
 * slowed by counting: count mode costs up to +55% (hot small functions), and
 * a first run's compilation comes on top of it. The story request's first
 * traced run was 1.4× its timed run at 100k rows, and 2.0× (1.56 s, 0.78 s)
 * once the probe left the target's source maps unread: the request was
 * traced again for nothing. A route that fills a cache on its first hit runs
 * many times slower than that.
 */
export const COLD_RATIO = 2.5;

/** Whether a traced run of `tracedMs` was a cold first run, next to a timed run of `timedMs`. */
export function looksCold(tracedMs: number, timedMs: number): boolean {
  return tracedMs > COLD_RATIO * timedMs;
}

/**
 * Whether a pass that sent requests taking `wallTimes` (ms) may stop before
 * its count; `sameWork`: its last two requests did the same work.
 */
export function passSpent(budget: PassBudget | undefined, wallTimes: readonly number[], sameWork = false): boolean {
  if (!budget || wallTimes.length < budget.minSends) return false;
  const spent = wallTimes.reduce((sum, ms) => sum + ms, 0);
  return spent + (wallTimes.at(-1) ?? 0) > budget.wallMs || passSteady(budget, wallTimes, sameWork);
}

/** Whether the pass's last two requests agree, as its budget asks (see `PassBudget`). */
export function passSteady(budget: PassBudget | undefined, wallTimes: readonly number[], sameWork = false): boolean {
  if (!budget || wallTimes.length < 2) return false;
  if (budget.steadyWork === true && sameWork) return true;
  if (budget.steadyWithin === undefined) return false;
  const last = wallTimes.at(-1) as number;
  const before = wallTimes.at(-2) as number;
  return Math.abs(last - before) <= budget.steadyWithin * Math.max(last, before);
}

/** Why a pass sent fewer than asked, for its sent note: "stopped at 2.1 s of requests: …". */
export function spentReason(wallTimes: readonly number[], budget?: PassBudget, sameWork = false): string {
  const seconds = (wallTimes.reduce((sum, ms) => sum + ms, 0) / 1000).toFixed(1);
  const spent = `stopped at ${seconds} s of requests: a pass spends about ${PASS_WALL_MS / 1000} s unless -n is given`;
  if (!passSteady(budget, wallTimes, sameWork)) return spent;
  if (budget?.steadyWork === true && sameWork) {
    return `stopped at ${seconds} s of requests: the last two did the same work (-n for more)`;
  }
  const within = Math.round((budget?.steadyWithin ?? 0) * 100);
  return `stopped at ${seconds} s of requests: the last two took times within ${within}% (-n for more)`;
}
