/**
 * `culprit trace` as a library function: sends the request `count` times to
 * an opened target, one at a time, and returns the capture. The caller opens
 * and closes the target (so tests and other commands can reuse it).
 */
import { partialNote } from '../capture/partial.js';
import { CAPTURE_SCHEMA, type Capture, type RequestRecord } from '../capture/types.js';
import { isCulpritError } from '../errors/culprit-error.js';
import { type PassBudget, passSpent, spentReason } from '../target/pass-budget.js';
import { sameWork } from '../target/same-work.js';
import { allowedSends, graphqlReadNote, otherTrafficNote, sentNote, unsafeNote } from '../target/send-notes.js';
import type { BreakpointSpec, BreakpointSummary, RunningTarget, TargetRequest } from '../target/types.js';
import { breakpointNotes } from './breakpoint-notes.js';
import { redactCapture, sanitizeRecord } from './redact.js';

export interface TraceRun {
  request: TargetRequest;
  /** Times to send it (`-n`); POST/PUT/PATCH/DELETE go once unless `repeatUnsafe`. */
  count: number;
  /** Send an unsafe method `count` times (`--repeat-unsafe`). */
  repeatUnsafe?: boolean;
  keepParams: boolean;
  /** Full source-mapped stacks per query (`--stacks`). */
  stacks: boolean;
  /** Count constructions per class (V8 count-mode coverage; slows hot small functions). */
  constructions: boolean;
  /** Stop before `count` once the requests took this long (diagnose without -n); absent: send `count`. */
  budget?: PassBudget;
  /** `--log` / `--when` specs, placed before the first request. */
  breakpoints?: BreakpointSpec[];
  /** The culprit command line, for the capture's `tool.command`. */
  commandLine: string;
  version: string;
  /** ISO time; injected so tests are stable. */
  createdAt?: string;
  signal?: AbortSignal;
  /** Add the other traffic seen so far (default); false when the caller adds it after more passes. */
  otherTraffic?: boolean;
  /** Called after each request (progress line). */
  onRequest?: (record: RequestRecord, done: number, total: number) => void;
  /** Awaited once the probe is configured, before the first request (diagnose starts counting calls there). */
  beforeRequests?: () => Promise<void>;
  /** Awaited after each request, before the next is sent (diagnose takes the call counts there). */
  afterRequest?: () => Promise<void>;
}

export const COUNT_MODE_NOTE =
  'constructions were counted with V8 call counting on, which slows small hot functions: time figures are a little high (--no-constructions for clean timings)';

/** Runs the requests and builds the capture (values redacted unless kept). */
export async function runTrace(target: RunningTarget, run: TraceRun): Promise<Capture> {
  await target.probe.configureTrace({ queries: true, constructions: run.constructions, stacks: run.stacks });
  await run.beforeRequests?.();
  const specs = run.breakpoints ?? [];
  if (specs.length) await target.probe.startBreakpoints(specs);
  const requests: RequestRecord[] = [];
  const count = allowedSends(run.request, run.count, run.repeatUnsafe === true);
  const sentBefore = target.sent;
  let summaries: BreakpointSummary[] = [];
  const wallTimes: number[] = [];
  const lastTwoAgree = (): boolean => {
    const [before, last] = requests.slice(-2);
    return before !== undefined && last !== undefined && sameWork(before, last);
  };
  try {
    for (let i = 0; i < count && !run.signal?.aborted && !passSpent(run.budget, wallTimes, lastTwoAgree()); i++) {
      const observed = await target.send(run.request, run.signal ? { signal: run.signal } : {});
      const record = sanitizeRecord({ ...observed, id: i + 1 }, run.keepParams);
      requests.push(record);
      wallTimes.push(observed.wallMs);
      await run.afterRequest?.();
      run.onRequest?.(record, i + 1, count);
    }
  } catch (error) {
    // Ctrl-C: the requests already recorded are kept and reported
    if (!(isCulpritError(error) && error.code === 'CULPRIT_E_INTERRUPTED')) throw error;
  } finally {
    if (specs.length) summaries = await stopBreakpoints(target);
  }
  const events = target.takeBreakpointEvents();
  const notes = [
    ...target.notes,
    ...breakpointNotes(specs, summaries, events.stops),
    ...events.faults.map((f) => `breakpoint fault: ${f}`),
  ];
  if (specs.length && summaries.length === 0) {
    notes.push('the breakpoint agent did not report its hit counts (the target stopped while removing breakpoints)');
  }
  if (run.constructions) notes.push(COUNT_MODE_NOTE);
  if (count < run.count) notes.push(unsafeNote(run.request.method, run.count));
  const read = graphqlReadNote(run.request);
  if (read) notes.push(read);
  const spent = requests.length < count && passSpent(run.budget, wallTimes, lastTwoAgree());
  notes.push(
    sentNote(
      run.request,
      target.sent - sentBefore,
      spent ? `trace, ${spentReason(wallTimes, run.budget, lastTwoAgree())}` : 'trace',
    ),
  );
  if (run.signal?.aborted) notes.push(partialNote(`interrupted after ${requests.length} of ${count} requests`));
  const unrecorded = requests.filter((request) => request.error !== undefined).length;
  if (unrecorded)
    notes.push(partialNote(`${unrecorded} of ${requests.length} requests have no record (see their error)`));
  const faults = await target.probe.faults().catch(() => [] as string[]);
  for (const fault of faults) notes.push(`probe fault (the app was not affected): ${fault}`);
  const capture: Capture = {
    schema: CAPTURE_SCHEMA,
    createdAt: run.createdAt ?? new Date().toISOString(),
    tool: { name: 'culprit', version: run.version, command: run.commandLine },
    target: target.info,
    requests,
  };
  if (specs.some((spec) => spec.kind === 'log')) capture.logs = events.logs;
  if (specs.some((spec) => spec.kind === 'when')) capture.stops = events.stops;
  if (notes.length) capture.notes = notes;
  const redacted = redactCapture(capture, run.keepParams);
  return run.otherTraffic === false ? redacted : withOtherTraffic(redacted, target);
}

/**
 * Adds what the server served for others during the run, apart from
 * culprit's requests, with a note (unless the caller `noted` it already).
 */
export function withOtherTraffic(capture: Capture, target: RunningTarget, options: { noted?: boolean } = {}): Capture {
  const rows = target.otherTraffic();
  const note = otherTrafficNote(rows);
  if (!note) return capture;
  capture.otherTraffic = rows;
  if (!options.noted) capture.notes = [...(capture.notes ?? []), note];
  return capture;
}

/**
 * Removes the breakpoints and returns their hit counts. The target is closed
 * right after, so a failure here (a target that died while its debugger
 * worker stopped) costs only the counts: the hits and stacks already arrived.
 */
async function stopBreakpoints(target: RunningTarget): Promise<BreakpointSummary[]> {
  try {
    return await target.probe.stopBreakpoints();
  } catch {
    return [];
  }
}
