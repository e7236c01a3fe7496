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
  /** Stop after this many sends whatever their times (`ONE_TRACED_BUDGET`). */
  maxSends?: number;
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
 * reads). A diagnose that profiles traces once: a run that spends this
 * budget alone is checked by `looksCold` after the timing pass, a shorter
 * one by the warm-up after it, which records its queries (the same work or
 * not); either way a cold run (a route compiled on first hit, a cache
 * filled) is traced once more.
 */
export const TRACE_BUDGET: PassBudget = { minSends: 1, wallMs: PASS_WALL_MS, steadyWork: true };
/**
 * The trace pass of a diagnose that profiles: one run, as long as it is,
 * since the warm-up after it records its queries and so says whether that
 * run did what every run does (a second traced run said it before, at count
 * mode's cost: the story request at 10k rows, 0.3 s cold traced, then 0.17 s,
 * then a warm-up, for the work the warm-up now checks).
 */
export const ONE_TRACED_BUDGET: PassBudget = { ...TRACE_BUDGET, maxSends: 1 };

/** The timing pass follows warm runs: one is enough when it is long, two when they agree. */
export const TIMING_BUDGET: PassBudget = { minSends: 1, wallMs: PASS_WALL_MS, steadyWithin: STEADY_WITHIN };

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

/**
 * Whether a traced run of `tracedMs` was a cold first run, next to a timed run of `timedMs`: each run's own
 * time, its wall time less what waiting for a core added (`investigate/cold-trace.ts`).
 */
export function looksCold(tracedMs: number, timedMs: number): boolean {
  return tracedMs > COLD_RATIO * timedMs;
}

/**
 * Whether a pass that sent requests taking `wallTimes` (ms) may stop before
 * its count; `sameWork`: its last two requests did the same work.
 */
export function passSpent(budget: PassBudget | undefined, wallTimes: readonly number[], sameWork = false): boolean {
  if (!budget || wallTimes.length < budget.minSends) return false;
  if (budget.maxSends !== undefined && wallTimes.length >= budget.maxSends) return true;
  return wallSpent(budget, wallTimes) || passSteady(budget, wallTimes, sameWork);
}

/** Whether one more send, as long as the last, would end past the budget's wall time. */
function wallSpent(budget: PassBudget, wallTimes: readonly number[]): boolean {
  const spent = wallTimes.reduce((sum, ms) => sum + ms, 0);
  return spent + (wallTimes.at(-1) ?? 0) > budget.wallMs;
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

/**
 * Whether the timing pass may stop at its first timed run: it took no longer
 * than the warm-up just before it, give or take the budget's `steadyWithin`.
 * That warm-up is the first run after count mode, its deoptimized code
 * optimized again as it ran (and it records its queries), so it is the
 * slower of the two when anything is still settling; a timed run as fast as
 * it, or faster, ran the re-optimized code. A second timed run then agreed
 * with the first (ephemera's story at 3k rows: warm-up 200-241 ms, timed
 * 143 then 143, 190 then 168), so it added a send, not a different picture:
 * at the story's 10k rows (0.1 s) the timed runs were half of a diagnose's
 * sends (issue 15). A timed run slower than the warm-up (load, a collection)
 * is judged by the next one, as before.
 */
export function steadyAfterWarmup(
  budget: PassBudget | undefined,
  warmupMs: number | undefined,
  timedMs: readonly number[],
): boolean {
  if (warmupMs === undefined || timedMs.length !== 1 || budget?.steadyWithin === undefined) return false;
  return (timedMs[0] as number) <= warmupMs * (1 + budget.steadyWithin);
}

/** The sent note's reason when `steadyAfterWarmup` ended the timing pass. */
export function steadyAfterWarmupReason(timedMs: number, budget: PassBudget | undefined): string {
  const within = Math.round((budget?.steadyWithin ?? 0) * 100);
  return `stopped at ${(timedMs / 1000).toFixed(1)} s of requests: the timed run took no longer than the warm-up (within ${within}%) (-n for more)`;
}

/** Why a pass sent fewer than asked, for its sent note: "stopped at 2.1 s of requests: …". */
export function spentReason(wallTimes: readonly number[], budget?: PassBudget, sameWork = false): string {
  const seconds = (wallTimes.reduce((sum, ms) => sum + ms, 0) / 1000).toFixed(1);
  const spent = `stopped at ${seconds} s of requests: a pass spends about ${PASS_WALL_MS / 1000} s unless -n is given`;
  if (budget?.maxSends !== undefined && wallTimes.length >= budget.maxSends && !wallSpent(budget, wallTimes)) {
    const runs = budget.maxSends === 1 ? 'one run' : `${budget.maxSends} runs`;
    return `stopped after ${runs}: the warm-up after it checks its work (-n for more)`;
  }
  if (!passSteady(budget, wallTimes, sameWork)) return spent;
  if (budget?.steadyWork === true && sameWork) {
    return `stopped at ${seconds} s of requests: the last two did the same work (-n for more)`;
  }
  const within = Math.round((budget?.steadyWithin ?? 0) * 100);
  return `stopped at ${seconds} s of requests: the last two took times within ${within}% (-n for more)`;
}
