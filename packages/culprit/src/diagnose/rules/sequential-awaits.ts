import type { Finding, SourceLocation } from '../../capture/types.js';
import { clampShare, formatLocation, formatMs, plural } from '../evidence.js';
import { functionKey, lineKey } from '../facts/app-frames.js';
import { enclosingLoop, independentWindows, iterationsIndependent } from '../facts/data-flow.js';
import type { OperationFact } from '../facts/operation-facts.js';
import { isControlStatement } from '../facts/query-facts.js';
import { answered, type RequestFacts } from '../facts/request-facts.js';
import { requestTimeMs } from '../facts/request-time.js';
import { type Rule, severityFor } from '../rule.js';
import { settings } from '../settings.js';
import type { ReadSource } from '../snippets.js';
import { perItemGroups } from './n-plus-one.js';

/**
 * Awaits in sequence that could overlap (Sentry's "consecutive HTTP/DB"):
 * at least settings.sequentialMin operations, each started after the
 * previous one ended, awaited from one function at successive lines, none
 * using what an earlier one returned (facts/data-flow.ts reads that from the
 * source, so the rule needs the target's sources and is silent without).
 * Queries count only where they could overlap: SELECTs on a pooled async
 * driver outside a transaction. The saving is what Promise.all would give:
 * the sum of their times less the longest.
 */
export const sequentialAwaits: Rule = {
  id: 'sequential-awaits',
  kind: 'cause',
  describe: `>= ${settings.sequentialMin} independent HTTP calls, Redis round trips or SELECTs awaited one after another from one function`,
  run(facts) {
    const { readSource } = facts;
    if (!readSource) return [];
    return facts.requests.filter(answered).flatMap((request) => findingsFor(request, readSource));
  },
};

/**
 * Queries that could run beside others: reads on a driver with a pool, outside a transaction. postgres.js
 * always pools; the MariaDB connector also pipelines the queries of one connection; SQLite's drivers run one
 * statement at a time.
 */
const OVERLAPPING_DRIVERS = new Set(['pg', 'mysql2', 'mysql', 'mariadb', 'postgres']);

function candidates(timeline: readonly OperationFact[]): OperationFact[] {
  const out: OperationFact[] = [];
  let inTransaction = false;
  for (const op of timeline) {
    if (op.kind !== 'sql') {
      if (op.commands !== 0) out.push(op);
      continue;
    }
    if (/^\s*(begin|start\s+transaction)/i.test(op.sql)) inTransaction = true;
    if (/^\s*(commit|rollback)/i.test(op.sql)) inTransaction = false;
    if (inTransaction || isControlStatement(op.sql) || !OVERLAPPING_DRIVERS.has(op.driver)) continue;
    if (/^\s*(select|with)\b/i.test(op.sql)) out.push(op);
  }
  return out;
}

/** Runs of operations each starting after every earlier one of the run ended. */
function sequentialRuns(ops: readonly OperationFact[]): OperationFact[][] {
  const runs: OperationFact[][] = [];
  let run: OperationFact[] = [];
  let end = Number.NEGATIVE_INFINITY;
  for (const op of ops) {
    const start = op.startMs ?? 0;
    if (run.length > 0 && start < end - settings.overlapToleranceMs) {
      runs.push(run);
      run = [];
      end = Number.NEGATIVE_INFINITY;
    }
    run.push(op);
    end = Math.max(end, start + op.durationMs);
  }
  runs.push(run);
  return runs.filter((r) => r.length >= settings.sequentialMin);
}

interface Step {
  /** The awaiting function's frame for this step (its line is the await). */
  frame: SourceLocation;
  ops: OperationFact[];
}

/** The innermost frame of `chain` running the function `key`. */
function innermostOf(chain: readonly SourceLocation[], key: string): SourceLocation | undefined {
  for (let i = chain.length - 1; i >= 0; i--) {
    const frame = chain[i] as SourceLocation;
    if (functionKey(frame) === key) return frame;
  }
  return undefined;
}

/**
 * The steps of a run as seen from the function that awaits them: the deepest
 * function every op's chain passes through at which their lines differ.
 * Chains are matched by function, not by depth: the first call of a handler
 * can carry callers the later ones, resumed after an await, have lost (a
 * router's parameter callback that called the route synchronously).
 * Consecutive ops from one line are one step (a helper making two calls);
 * a line seen again, or going back up, is a loop: the steps end there.
 */
function stepsOf(run: readonly OperationFact[]): Step[] {
  const lead = run[0];
  if (!lead) return [];
  for (let depth = lead.chain.length - 1; depth >= 0; depth--) {
    const key = functionKey(lead.chain[depth] as SourceLocation);
    const frames = run.map((op) => innermostOf(op.chain, key));
    if (frames.some((frame) => frame === undefined)) continue;
    if (new Set(frames.map((frame) => lineKey(frame as SourceLocation))).size < 2) continue;
    const steps: Step[] = [];
    for (const [i, op] of run.entries()) {
      const frame = frames[i] as SourceLocation;
      const last = steps[steps.length - 1];
      if (last && last.frame.line === frame.line) {
        last.ops.push(op);
        continue;
      }
      if (last && frame.line < last.frame.line) break;
      steps.push({ frame, ops: [op] });
    }
    return steps;
  }
  return [];
}

/**
 * Splits a run where the awaiting function changes (another handler's or helper's calls): an op stays with
 * the part before it while either one's outermost function runs in the other's chain.
 */
function byFunction(run: readonly OperationFact[]): OperationFact[][] {
  const parts: OperationFact[][] = [];
  const runsIn = (chain: readonly SourceLocation[], frame: SourceLocation | undefined): boolean =>
    frame !== undefined && innermostOf(chain, functionKey(frame)) !== undefined;
  for (const op of run) {
    const part = parts[parts.length - 1];
    const head = part?.[0];
    if (part && head && (runsIn(op.chain, head.chain[0]) || runsIn(head.chain, op.chain[0]))) part.push(op);
    else parts.push([op]);
  }
  return parts.filter((p) => p.length >= settings.sequentialMin && p.every((op) => op.chain.length > 0));
}

function spanOf(step: Step): number {
  const start = Math.min(...step.ops.map((op) => op.startMs ?? 0));
  const end = Math.max(...step.ops.map((op) => (op.startMs ?? 0) + op.durationMs));
  return end - start;
}

/** The op's first `frames` app frames (outermost first), by `file:line`: ops issued from one loop share them down to the loop. */
function chainKey(op: OperationFact, frames: number): string {
  return op.chain.slice(0, frames).map(lineKey).join(' ');
}

/**
 * A loop that awaits one call per iteration, each a different call (another
 * endpoint, another key kind: one shape with other values is an N+1's, judged
 * there), none needing an earlier iteration's answer: the steps are its
 * iterations, at the line in the loop that awaits. The loop is the innermost
 * frame of the calls' chain that the source shows inside a loop and that
 * every call went through by the same callers; below it, each iteration may
 * call through another function (a table of loaders, one per section).
 */
function loopSteps(part: readonly OperationFact[], readSource: ReadSource): Step[] {
  const lead = part[0];
  const shapes = new Set(part.map((op) => op.label)).size;
  // mostly one shape with other values is an N+1 (its rule judges it), not a list of independent calls
  if (!lead || shapes < 2 || shapes * 2 <= part.length) return [];
  for (let depth = lead.chain.length - 1; depth >= 0; depth--) {
    if (new Set(part.map((op) => chainKey(op, depth + 1))).size > 1) continue;
    const frame = lead.chain[depth] as SourceLocation;
    const text = readSource(frame.file.replace(/^file:\/\//, ''));
    if (text === undefined) return [];
    const lines = text.split(/\r?\n/);
    const loop = enclosingLoop(lines, frame.line);
    if (!loop) continue;
    if (!iterationsIndependent(lines, loop, frame.line)) return [];
    return part.map((op) => ({ frame, ops: [op] }));
  }
  return [];
}

function findingsFor(request: RequestFacts, readSource: ReadSource): Finding[] {
  const findings: Finding[] = [];
  // statements an N+1 repeats per item: overlapping one item's few is nothing beside loading them all at once
  const perItem = new Set(perItemGroups(request).flatMap((group) => group.map((query) => query.sql)));
  const timeline = request.timeline.filter((op) => op.kind !== 'sql' || !perItem.has(op.sql));
  for (const run of sequentialRuns(candidates(timeline))) {
    for (const part of byFunction(run)) {
      const looped = loopSteps(part, readSource);
      if (looped.length >= settings.sequentialMin) {
        findings.push(describe(request, looped, true));
        continue;
      }
      const steps = stepsOf(part);
      if (steps.length < settings.sequentialMin) continue;
      const file = steps[0]?.frame.file ?? '';
      const text = readSource(file.replace(/^file:\/\//, ''));
      if (text === undefined) continue;
      const windows = independentWindows(
        text.split(/\r?\n/),
        steps.map((step) => step.frame.line),
      );
      let at = 0;
      for (const window of windows) {
        const group = steps.slice(at, at + window.length);
        at += window.length;
        if (group.length >= settings.sequentialMin) findings.push(describe(request, group));
      }
    }
  }
  return findings;
}

const KIND_NOUN = { sql: 'query', http: 'HTTP call', redis: 'Redis round trip' } as const;

function describe(request: RequestFacts, steps: Step[], looped = false): Finding {
  const { request: record, endpoint } = request;
  const requestMs = requestTimeMs(record);
  const spans = steps.map(spanOf);
  const total = spans.reduce((sum, ms) => sum + ms, 0);
  const longest = Math.max(...spans);
  const savesMs = Math.min(requestMs, Math.max(0, total - longest));
  const first = steps[0]?.frame as SourceLocation;
  const last = steps[steps.length - 1]?.frame as SourceLocation;
  const kinds = new Set(steps.flatMap((step) => step.ops.map((op) => op.kind)));
  const noun = kinds.size === 1 ? KIND_NOUN[[...kinds][0] as keyof typeof KIND_NOUN] : 'operation';
  const where = first.functionName ? ` in ${first.functionName}()` : '';
  const together = `run together they would take ${formatMs(longest)} instead of ${formatMs(total)}`;
  const finding: Finding = {
    endpoint,
    rule: sequentialAwaits.id,
    severity: severityFor(savesMs, requestMs),
    title: looped
      ? `${endpoint} awaits ${plural(steps.length, `independent ${noun}`)} one per loop iteration${where} at ${formatLocation(first)}: ${together}`
      : `${endpoint} awaits ${plural(steps.length, `independent ${noun}`)} one after another${where} at ${formatLocation(first)}–${last.line}: ${together}`,
    impact: clampShare(savesMs / Math.max(requestMs, 1e-9)),
    savesMs,
    location: first,
    evidence: steps.map((step, i) => ({
      label: `${looped ? `iteration ${i + 1}` : `line ${step.frame.line}`} at +${formatMs(Math.min(...step.ops.map((op) => op.startMs ?? 0)))}`,
      value: `${step.ops.map((op) => op.label).join('; ')} (${formatMs(spans[i] ?? 0)})`,
    })),
    suggestion: looped
      ? "No iteration uses an earlier one's result: start them together (await Promise.all(list.map(async (item) => …))) so the request waits for the longest, not the sum."
      : "None of these uses an earlier one's result: start them together (const [a, b, c] = await Promise.all([…])) so the request waits for the longest, not the sum.",
  };
  if (!looped) finding.relatedLines = steps.slice(1).map((step) => step.frame.line);
  return finding;
}
