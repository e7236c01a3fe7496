/**
 * The whole investigation in one run: trace the request (queries, rows,
 * constructions, full query stacks), profile it (sampled time + exact
 * calls), then diagnose the joined capture. One target start serves all
 * passes, so a slow server boots once.
 *
 * A failed trace pass ends the run (CULPRIT_E_REQUEST_FAILED, unless
 * `allowErrors`): diagnosing a 500 or a lost record would report "no
 * findings" on nothing. Ctrl-C during profiling keeps the trace pass and
 * labels the capture partial.
 */
import { partialNote } from '../capture/partial.js';
import type { Capture } from '../capture/types.js';
import { CulpritError, isCulpritError } from '../errors/culprit-error.js';
import { gatherProfile } from '../profile/gather.js';
import { requestsFailed } from '../target/request-failure.js';
import { isUnsafeMethod } from '../target/request-shape.js';
import type { RunningTarget, TargetRequest } from '../target/types.js';
import { runTrace, withOtherTraffic } from '../trace/run-trace.js';
import { attachPlans } from './explain-plans.js';

export interface InvestigationOptions {
  request: TargetRequest;
  /** Requests per pass. */
  count: number;
  keepParams: boolean;
  /** Add the profiling passes (time per function, exact call counts). */
  profile: boolean;
  intervalUs: number;
  commandLine: string;
  version: string;
  /** Diagnose a request that failed or answered >= 400 instead of stopping (`--allow-errors`). */
  allowErrors?: boolean;
  /** Ask the database for the plans of slow or large queries (EXPLAIN, never ANALYZE); default on. */
  explain?: boolean;
  /** Send POST/PUT/PATCH/DELETE more than once: -n times per pass, and profile them (`--repeat-unsafe`). */
  repeatUnsafe?: boolean;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export async function runInvestigation(target: RunningTarget, options: InvestigationOptions): Promise<Capture> {
  options.onProgress?.('tracing queries and constructions…');
  const traced = await runTrace(target, {
    request: options.request,
    count: options.count,
    repeatUnsafe: options.repeatUnsafe === true,
    keepParams: options.keepParams,
    // Stacks let diagnose blame the line where a query's path leaves the normal one.
    stacks: true,
    constructions: true,
    commandLine: options.commandLine,
    version: options.version,
    otherTraffic: false,
    ...(options.signal ? { signal: options.signal } : {}),
    onRequest: (_record, done, total) => options.onProgress?.(`tracing ${done}/${total}`),
  });
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
  const unsafe = isUnsafeMethod(options.request.method) && options.repeatUnsafe !== true;
  if (options.profile && unsafe) {
    notes.push(
      `not profiled: profiling sends ${options.request.method} again (${2 * options.count + 1} more times); --repeat-unsafe to profile it`,
    );
  }
  if (!options.profile || unsafe || options.signal?.aborted) return withOtherTraffic({ ...capture, notes }, target);
  // Count mode deoptimizes code: the timing pass must run without it.
  await target.probe.configureTrace({ queries: false, constructions: false, stacks: false });
  try {
    const gathered = await gatherProfile(target, {
      request: options.request,
      warmup: 1, // lets V8 re-optimize what the counting pass deoptimized
      runs: options.count,
      intervalUs: options.intervalUs,
      allowErrors: true,
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (phase, done, total) => options.onProgress?.(`profiling: ${phase} ${done}/${total}`),
    });
    notes.push(gathered.sent);
    return withOtherTraffic({ ...capture, notes, profile: gathered.profile }, target);
  } catch (error) {
    if (!isCulpritError(error) || error.code !== 'CULPRIT_E_INTERRUPTED') throw error;
    notes.push(partialNote('interrupted during profiling; no profile, so findings come from the trace pass only'));
    return withOtherTraffic({ ...capture, notes }, target);
  }
}
