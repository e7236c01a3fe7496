/**
 * `culprit/budget`: performance budgets for tests. In the test's own process:
 * measure() a callback, then check it (assertStaysWithin / toStayWithin),
 * check how it scales with the data (assertScales) or snapshot its queries.
 * In a child process (black box): measureRequest / assertWithinBudget.
 */
export {
  type Budget,
  type BudgetViolation,
  checkBudget,
  describeViolations,
  type Measured,
} from './check-budget.js';
export { assertStaysWithin, budgetFailure } from './in-process/assert.js';
export { type MeasureOptions, measure } from './in-process/measure.js';
export type { HttpCall, Measurement } from './in-process/to-measurement.js';
export { budgetMatchers, type MatcherContext, type MatcherResult } from './matchers.js';
export { assertWithinBudget, type MeasureOptions as ChildMeasureOptions, measureRequest } from './measure-request.js';
export {
  assertScales,
  measureScaling,
  type ScalesOptions,
  type ScalingReport,
} from './scaling/assert-scales.js';
export type { Growth, ScaledField, ScalingBreach } from './scaling/growth.js';
export { type AssertSnapshotOptions, assertQuerySnapshot, type SnapshotName } from './snapshot/assert-snapshot.js';
export { UPDATE_ENV as SNAPSHOT_UPDATE_ENV } from './snapshot/snapshot-file.js';
