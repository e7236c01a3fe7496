/**
 * Vitest and Jest matchers (`expect.extend(budgetMatchers)`): both runners
 * call a matcher with the received value and its arguments and read
 * `{ pass, message }`, so one object serves both.
 *
 *   expect(await measure(() => app.inject(url))).toStayWithin({ repeatedQueries: 1 })
 *   expect(measurement).toMatchQuerySnapshot()
 */
import { BUDGET_FIELDS, type Budget } from './check-budget.js';
import { budgetFailure, measurementTitle } from './in-process/assert.js';
import type { Measurement } from './in-process/to-measurement.js';
import { callerFile } from './snapshot/caller-file.js';
import { matchQuerySnapshot } from './snapshot/snapshot-file.js';

/** What Vitest and Jest give a matcher as `this` (the part used here). */
export interface MatcherContext {
  isNot?: boolean;
  currentTestName?: string;
  testPath?: string;
}

export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

function isMeasurement(value: unknown): value is Measurement {
  const v = value as Partial<Measurement> | null;
  return typeof v === 'object' && v !== null && Array.isArray(v.queries) && Array.isArray(v.constructions);
}

const notMeasured = (matcher: string, received: unknown): MatcherResult => ({
  pass: false,
  message: () => `${matcher} expects what culprit's measure() returned, got ${typeof received}`,
});

function isBudget(value: unknown): value is Budget {
  if (typeof value !== 'object' || value === null) return false;
  return Object.keys(value).every((key) => (BUDGET_FIELDS as readonly string[]).includes(key));
}

export const budgetMatchers = {
  toStayWithin(this: MatcherContext, received: unknown, budget: Budget): MatcherResult {
    if (!isMeasurement(received)) return notMeasured('toStayWithin', received);
    if (!isBudget(budget)) {
      return {
        pass: false,
        message: () => `toStayWithin expects a budget with fields among ${BUDGET_FIELDS.join(', ')}`,
      };
    }
    const failure = budgetFailure(received, budget);
    return {
      pass: failure === undefined,
      message: () =>
        failure ?? `${measurementTitle(received)} stayed within ${JSON.stringify(budget)}, expected it not to`,
    };
  },

  toMatchQuerySnapshot(this: MatcherContext, received: unknown, name?: string): MatcherResult {
    if (!isMeasurement(received)) return notMeasured('toMatchQuerySnapshot', received);
    const testFile = this.testPath ?? callerFile();
    const testName = name ?? this.currentTestName;
    if (!testFile || !testName) {
      return { pass: false, message: () => 'toMatchQuerySnapshot: the runner gave no test file or name; pass a name' };
    }
    const outcome = matchQuerySnapshot(received, { testFile, name: testName });
    return { pass: outcome.pass, message: () => outcome.message };
  },
};
