/**
 * The whole investigation in one run: trace the request (queries, rows,
 * constructions, full query stacks, exact calls), profile it (sampled time),
 * then diagnose the joined capture. One target start serves all passes, so
 * a slow server boots once, and the trace pass doubles as the profile's
 * count pass, so the request is sent 2n + 1 times, not 3n + 1.
 *
 * A failed trace pass ends the run (CULPRIT_E_REQUEST_FAILED, unless
 * `allowErrors`): diagnosing a 500 or a lost record would report "no
 * findings" on nothing. Ctrl-C during profiling keeps the trace pass and
 * labels the capture partial.
 */
import { relative } from 'node:path';
import { partialNote } from '../capture/partial.js';
import type { Capture, RequestRecord } from '../capture/types.js';
import { CulpritError, isCulpritError } from '../errors/culprit-error.js';
import { gatherProfile } from '../profile/gather.js';
import { ONE_TRACED_BUDGET, type PassBudget, passSpent, TIMING_BUDGET, TRACE_BUDGET } from '../target/pass-budget.js';
import { requestsFailed } from '../target/request-failure.js';
import { isUnsafeRequest } from '../target/request-shape.js';
import { sameWork } from '../target/same-work.js';
import type { RawScriptCoverage, RunningTarget, TargetRequest } from '../target/types.js';
import { sanitizeRecord } from '../trace/redact.js';
import { COUNT_MODE_NOTE, runTrace, withOtherTraffic } from '../trace/run-trace.js';
import { coldTraceNote } from './cold-trace.js';
import { coldWorkNote } from './cold-work.js';
import { attachPlans, withPlansOf } from './explain-plans.js';
import { passAfterStartUp } from './start-up-wait.js';

export interface InvestigationOptions {
  request: TargetRequest;
  /** Requests per pass. */
  count: number;
  /**
   * `count` is the most per pass, not the number (diagnose without -n): a
   * pass stops once its requests took a second, the warm-up is left out after
   * long traced runs, and one traced run much slower than the timed run (a
   * cold first run) is traced again.
   */
  budgeted?: boolean;
  keepParams: boolean;
  /** Add the profiling passes (time per function, exact call counts). */
  profile: boolean;
  intervalUs: number;
  commandLine: string;
  version: string;
  /** Diagnose a request that failed or answered >= 400 instead of stopping (`--allow-errors`). */
  allowErrors?: boolean;
  /**
   * The target is a server culprit started, reached as soon as its port opened (command mode): a first pass
   * that answers only 5xx may be its start-up, and is sent again a few times (start-up-wait.ts).
   */
  waitForStartUp?: boolean;
  /** Ask the database for the plans of slow or large queries (EXPLAIN, never ANALYZE); default on. */
  explain?: boolean;
  /** Send POST/PUT/PATCH/DELETE more than once: -n times per pass, and profile them (`--repeat-unsafe`). */
  repeatUnsafe?: boolean;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export async function runInvestigation(target: RunningTarget, options: InvestigationOptions): Promise<Capture> {
  const unsafe = isUnsafeRequest(options.request) && options.repeatUnsafe !== true;
  const profiling = options.profile && !unsafe;
  // When a profile follows, the trace pass is also its count pass: calls are counted per request
  // (one coverage take after each), constructions come from those takes, and the profile sends
  // the request N times fewer (diagnose -n 3: 7 sends, not 10).
  const takes: RawScriptCoverage[][] = [];
  options.onProgress?.('tracing queries and constructions…');
  // Without -n the trace pass sends once: the warm-up after it checks its work (below).
  const oneTraced = options.budgeted === true && profiling;
  // a server that listens before its start-up ends fails the first pass: wait for it and send the pass again
  const started = await passAfterStartUp({
    pass: () => {
      takes.length = 0;
      return tracePass(target, options, {
        count: options.count,
        counting: profiling ? takes : undefined,
        ...(options.budgeted ? { budget: oneTraced ? ONE_TRACED_BUDGET : TRACE_BUDGET } : {}),
      });
    },
    records: (capture) => capture.requests,
    repeatable: !unsafe && options.allowErrors !== true && options.waitForStartUp === true,
    onRetry: (status) =>
      options.onProgress?.(`the request answered ${status}; waiting for the server's start-up and sending it again…`),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => performance.now(),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let traced = started.note
    ? { ...started.result, notes: [...(started.result.notes ?? []), started.note] }
    : started.result;
  if (profiling) traced = { ...traced, notes: [...(traced.notes ?? []), COUNT_MODE_NOTE] };
  // the plans of the statements a finding may judge, through the app's own connections (--no-explain: none)
  const capture =
    options.explain === false || traced.requests.length === 0
      ? traced
      : await attachPlans(traced, target.probe).catch((error: unknown) => ({
          ...traced,
          notes: [...(traced.notes ?? []), `no query plans: ${error instanceof Error ? error.message : String(error)}`],
        }));
  if (capture.requests.length === 0) {
    throw new CulpritError(
      'CULPRIT_E_INTERRUPTED',
      'interrupted before the first request was traced; nothing to diagnose',
    );
  }
  const failed = options.allowErrors ? undefined : requestsFailed(capture.requests);
  if (failed) throw failed;
  const notes = capture.notes ?? [];
  if (options.profile && unsafe) {
    notes.push(
      `not profiled: profiling sends ${options.request.method} again (${options.count + 1} more times); --repeat-unsafe to profile it`,
    );
  }
  if (!profiling || options.signal?.aborted) return withOtherTraffic({ ...capture, notes }, target);
  const records = [...capture.requests];
  const [first] = records;
  // The warm-up lets V8 re-optimize what count mode deoptimized; a run long enough to spend the
  // trace pass does that itself. Without -n the warm-up records its queries (no stacks): the same
  // work as the one traced run says that run did what every run does, which a second traced run
  // said before, at count mode's cost and with a warm-up after it.
  const longRun = oneTraced && first !== undefined && passSpent(TRACE_BUDGET, [first.wallMs]);
  const checkWork = oneTraced && !longRun && first !== undefined;
  let otherWork = false;
  // Count mode deoptimizes code: the timing pass must run without it.
  await target.probe.configureTrace({ queries: checkWork, constructions: false, stacks: false });
  const afterWarmup = async (warmed: RequestRecord[]): Promise<void> => {
    const last = warmed.at(-1);
    otherWork = first !== undefined && last !== undefined && !sameWork(first, sanitizeRecord(last, options.keepParams));
    await target.probe.configureTrace({ queries: false, constructions: false, stacks: false });
  };
  // A traced run that did other work than the warm-up (it filled a cache), or one long traced run
  // much slower than the warm timed run in its own time (a cold first run, not a loaded machine): trace once more.
  const recount = async (timed: RequestRecord[]): Promise<void> => {
    const [warm] = timed;
    // -n 1 asked for one traced run, not for a cold one: its figures would be the route's one-time work
    const oneRun = options.budgeted ? options.count >= 2 : options.count === 1;
    if (!oneRun || records.length !== 1 || !first || !warm) return;
    const why = checkWork ? (otherWork ? OTHER_WORK_NOTE : undefined) : coldTraceNote(first, warm);
    if (why === undefined || options.signal?.aborted) return;
    const again = await tracePass(target, options, { count: 1, counting: takes });
    const record = again.requests[0];
    if (!record) return;
    records.push(withPlansOf({ ...record, id: first.id + 1 }, capture.requests));
    const coldWork = coldWorkNote(first, record, (file) => relative(process.cwd(), file));
    notes.push(
      why,
      ...(coldWork ? [coldWork] : []),
      ...(again.notes ?? []).filter((note) => /request sent/.test(note)),
    );
    await target.probe.configureTrace({ queries: false, constructions: false, stacks: false });
  };
  try {
    const gathered = await gatherProfile(target, {
      request: options.request,
      warmup: longRun ? 0 : 1,
      ...(checkWork ? { afterWarmup, warmupPairs: true } : {}),
      runs: options.count,
      ...(options.budgeted ? { budget: TIMING_BUDGET } : {}),
      intervalUs: options.intervalUs,
      allowErrors: true,
      counted: { records, takes },
      recount,
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (phase, done, total) => options.onProgress?.(`profiling: ${phase} ${done}/${total}`),
    });
    notes.push(gathered.sent);
    // each traced request's constructions, from the calls counted while it ran
    const requests = records.map((request, i) => ({
      ...request,
      constructions: gathered.countedConstructions[i] ?? request.constructions,
    }));
    return withOtherTraffic({ ...capture, requests, notes, profile: gathered.profile }, target);
  } catch (error) {
    if (!isCulpritError(error) || error.code !== 'CULPRIT_E_INTERRUPTED') throw error;
    notes.push(partialNote('interrupted during profiling; no profile, so findings come from the trace pass only'));
    return withOtherTraffic({ ...capture, notes }, target);
  }
}

const OTHER_WORK_NOTE =
  'the warm-up did other work than the one traced run (its statements, rows or calls differ: a cache filled?), so the request was traced once more';

/**
 * The trace pass: queries with their stacks, and, when `counting` takes are
 * given, calls counted per request (one coverage take after each, pushed there).
 */
async function tracePass(
  target: RunningTarget,
  options: InvestigationOptions,
  pass: { count: number; counting: RawScriptCoverage[][] | undefined; budget?: PassBudget },
): Promise<Capture> {
  const takes = pass.counting;
  try {
    return await runTrace(target, {
      request: options.request,
      count: pass.count,
      repeatUnsafe: options.repeatUnsafe === true,
      keepParams: options.keepParams,
      // Stacks let diagnose blame the line where a query's path leaves the normal one.
      stacks: true,
      constructions: !takes,
      commandLine: options.commandLine,
      version: options.version,
      otherTraffic: false,
      ...(pass.budget ? { budget: pass.budget } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(takes
        ? {
            // counters start at zero: the requests below only
            beforeRequests: () => target.probe.startCallCounts(),
            afterRequest: async () => {
              takes.push(await target.probe.takeCallCounts());
            },
          }
        : {}),
      onRequest: (_record, done, total) => options.onProgress?.(`tracing ${done}/${total}`),
    });
  } finally {
    if (takes) await target.probe.stopCallCounts().catch(() => undefined); // a stopped target cannot answer
  }
}
