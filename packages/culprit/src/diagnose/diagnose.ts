import type { Capture, Finding } from '../capture/types.js';
import type { Rule } from './rule.js';
import { callStorm } from './rules/call-storm.js';
import { eventLoopBlocking } from './rules/event-loop-blocking.js';
import { hotFunction } from './rules/hot-function.js';
import { repeatedQuery } from './rules/repeated-query.js';
import { slowQuery } from './rules/slow-query.js';
import { wholeTableLoad } from './rules/whole-table-load.js';

/** Every rule, in no particular order: ranking is by severity then impact. */
export const rules: readonly Rule[] = [
  wholeTableLoad,
  repeatedQuery,
  slowQuery,
  eventLoopBlocking,
  callStorm,
  hotFunction,
];

const severityRank = { critical: 0, warning: 1, info: 2 } as const;

/** Runs every rule over a capture and ranks the findings, most serious and most costly first. */
export function diagnose(capture: Capture, ruleSet: readonly Rule[] = rules): Finding[] {
  const findings = ruleSet.flatMap((rule) => rule.run(capture));
  return findings.sort((a, b) => severityRank[a.severity] - severityRank[b.severity] || b.impact - a.impact);
}
