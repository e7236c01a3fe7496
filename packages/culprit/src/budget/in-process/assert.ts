/**
 * Plain assertions over a measure() result, for node:test or any runner:
 * they throw an AssertionError whose message names the broken limits, the
 * line and the query. The Vitest/Jest matchers call the same checks.
 */
import { AssertionError } from 'node:assert';
import { type Budget, checkBudget, describeViolations } from '../check-budget.js';
import type { Measurement } from './to-measurement.js';

/** What a measurement's failure message calls it. */
export function measurementTitle(measurement: Pick<Measurement, 'label'>): string {
  return measurement.label ?? 'the measured code';
}

/** The failure message, or undefined when `measurement` stays within `budget`. */
export function budgetFailure(measurement: Measurement, budget: Budget): string | undefined {
  if (budget.constructions !== undefined && !measurement.constructionsCounted) {
    // a limit that cannot fail is a test bug: say how to count them
    throw new TypeError(
      `the budget limits constructions but ${measurementTitle(measurement)} did not count them: measure(fn, { constructions: true })`,
    );
  }
  const violations = checkBudget(measurement, budget);
  if (violations.length === 0) return undefined;
  let message = describeViolations(measurement, violations, measurementTitle(measurement));
  if (measurement.overlapped && violations.some((v) => v.limit.includes('constructions'))) {
    message += '\n  (another measurement ran at the same time: constructions count both)';
  }
  return message;
}

/** Throws when `measurement` breaks `budget`; returns it otherwise, for chaining. */
export function assertStaysWithin<T>(measurement: Measurement<T>, budget: Budget): Measurement<T> {
  const failure = budgetFailure(measurement, budget);
  if (failure)
    throw new AssertionError({ message: failure, actual: measurement, expected: budget, operator: 'toStayWithin' });
  return measurement;
}
