/**
 * Whether a statement's PostgreSQL plan is too cheap for its time to be its
 * own work. The planner's costs count pages read (1 a page) and rows handled
 * (0.01 a row), from the table's real size even before ANALYZE, and do not
 * move with the machine's load; a statement's time does. Five small reads of
 * a menu sent at once, on a busy machine, each took 20–40 ms for plans
 * costing 17–461 (a few hundred pages), a primary-key lookup among them:
 * their time was waiting (for a core, for each other), not reading, and no
 * index shortens a wait. Pure.
 */

import { COST } from './pg-seq-scans.js';
import { PLAN_DIALECT } from './plan-facts.js';
import type { QueryFact } from './query-facts.js';

/**
 * A plan whose every node costs less than this reads a few hundred pages at most: a few milliseconds on any
 * machine, under the 20 ms a warning needs (settings.warningMinMs). A whole-table read of 100,000 narrow
 * rows costs about 2,000.
 */
const CHEAP_PLAN_COST = 1_000;

const NODE_COST = new RegExp(COST.source, 'g');

/** The largest total cost of any node of a PostgreSQL plan (a Limit's is prorated, its input's is not). */
export function planCostCeiling(query: QueryFact): number | undefined {
  if (PLAN_DIALECT[query.driver] !== 'postgresql' || !query.plan) return undefined;
  let ceiling: number | undefined;
  for (const line of query.plan)
    for (const match of line.matchAll(NODE_COST)) ceiling = Math.max(ceiling ?? 0, Number(match[1]));
  return ceiling;
}

/** The statement's plan is known and cheap: no node of it costs CHEAP_PLAN_COST. */
export function isCheapPlan(query: QueryFact): boolean {
  const ceiling = planCostCeiling(query);
  return ceiling !== undefined && ceiling < CHEAP_PLAN_COST;
}
