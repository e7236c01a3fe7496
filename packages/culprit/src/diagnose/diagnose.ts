import type { Capture, DiagnosisTotals, Finding } from '../capture/types.js';
import { factsOf } from './facts/request-facts.js';
import { foldSymptoms, mergeHotspots, mergeSlowLoads } from './fold.js';
import { ranked } from './rank.js';
import type { Rule } from './rule.js';
import { cacheNeverHits } from './rules/cache-never-hits.js';
import { connectionPerUse } from './rules/connection-per-use.js';
import { cpuHotspot } from './rules/cpu-hotspot.js';
import { duplicateQueries } from './rules/duplicate-queries.js';
import { eventLoopBlocking } from './rules/event-loop-blocking.js';
import { excessRows } from './rules/excess-rows.js';
import { httpNPlusOne } from './rules/http-n-plus-one.js';
import { httpRetries } from './rules/http-retries.js';
import { keySetPerRequest } from './rules/key-set-per-request.js';
import { largePayload } from './rules/large-payload.js';
import { nPlusOne } from './rules/n-plus-one.js';
import { pairMatching } from './rules/pair-matching.js';
import { redisNPlusOne } from './rules/redis-n-plus-one.js';
import { requestFailed } from './rules/request-failed.js';
import { sequentialAwaits } from './rules/sequential-awaits.js';
import { slowDownstream } from './rules/slow-downstream.js';
import { slowQuery } from './rules/slow-query.js';
import { slowRedisCommand } from './rules/slow-redis-command.js';
import { unseenQueries } from './rules/unseen-queries.js';
import { wideColumns } from './rules/wide-columns.js';
import type { TableDeclaration } from './schema/declaration.js';
import type { ReadSource } from './snippets.js';
import { totalsOf } from './totals.js';

/** Every rule, in no particular order: ranking is by severity then the time a fix would save. */
export const rules: readonly Rule[] = [
  requestFailed,
  excessRows,
  nPlusOne,
  duplicateQueries,
  slowQuery,
  wideColumns,
  largePayload,
  cpuHotspot,
  pairMatching,
  eventLoopBlocking,
  unseenQueries,
  httpNPlusOne,
  redisNPlusOne,
  sequentialAwaits,
  httpRetries,
  cacheNeverHits,
  slowDownstream,
  slowRedisCommand,
  connectionPerUse,
  keySetPerRequest,
];

export interface Diagnosis {
  totals: DiagnosisTotals[];
  findings: Finding[];
}

/**
 * Facts → causes (each naming one app line) → symptoms folded into the
 * causes that explain them → ranked, most serious and most costly first.
 */
export function diagnoseFully(
  capture: Capture,
  ruleSet: readonly Rule[] = rules,
  readSource?: ReadSource,
  schema?: readonly TableDeclaration[],
): Diagnosis {
  const facts = factsOf(capture, readSource, schema);
  const causes = mergeSlowLoads(
    mergeHotspots(ruleSet.filter((r) => r.kind === 'cause').flatMap((rule) => rule.run(facts))),
  );
  const symptoms = ruleSet.filter((r) => r.kind === 'symptom').flatMap((rule) => rule.run(facts));
  // Causes first: a symptom left unexplained is context, never the headline over a cause.
  const unexplained = foldSymptoms(causes, symptoms);
  const findings = ranked(causes, unexplained, facts.requests);
  return { totals: totalsOf(facts, findings), findings };
}

/** The ranked findings of a capture. */
export function diagnose(capture: Capture, ruleSet: readonly Rule[] = rules): Finding[] {
  return diagnoseFully(capture, ruleSet).findings;
}
