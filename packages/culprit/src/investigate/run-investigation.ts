/**
 * The whole investigation in one run: trace the request (queries, rows,
 * constructions, full query stacks), profile it (sampled time + exact
 * calls), then diagnose the joined capture. One target start serves all
 * passes, so a slow server boots once.
 */
import type { Capture } from '../capture/types.js';
import { gatherProfile } from '../profile/gather.js';
import type { RunningTarget, TargetRequest } from '../target/types.js';
import { runTrace } from '../trace/run-trace.js';

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
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export async function runInvestigation(target: RunningTarget, options: InvestigationOptions): Promise<Capture> {
  options.onProgress?.('tracing queries and constructions…');
  const capture = await runTrace(target, {
    request: options.request,
    count: options.count,
    keepParams: options.keepParams,
    // Stacks let diagnose blame the line where a query's path leaves the normal one.
    stacks: true,
    constructions: true,
    commandLine: options.commandLine,
    version: options.version,
    ...(options.signal ? { signal: options.signal } : {}),
    onRequest: (_record, done, total) => options.onProgress?.(`tracing ${done}/${total}`),
  });
  if (!options.profile || options.signal?.aborted) return capture;
  // Count mode deoptimizes code: the timing pass must run without it.
  await target.probe.configureTrace({ queries: false, constructions: false, stacks: false });
  const { profile } = await gatherProfile(target, {
    request: options.request,
    warmup: 1, // lets V8 re-optimize what the counting pass deoptimized
    runs: options.count,
    intervalUs: options.intervalUs,
    allowErrors: true,
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (phase, done, total) => options.onProgress?.(`profiling: ${phase} ${done}/${total}`),
  });
  return { ...capture, profile };
}
