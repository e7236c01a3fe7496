/**
 * `import 'culprit/budget/vitest'` (in a test file or a setup file):
 * registers the budget matchers with Vitest's `expect` and declares their
 * types on Vitest's `Assertion`.
 */
import { expect } from 'vitest';
import type { Budget } from './check-budget.js';
import { budgetMatchers } from './matchers.js';

expect.extend(budgetMatchers);

declare module 'vitest' {
  interface Assertion<T> {
    /** Passes when the measure() result breaks no limit of `budget`; the message names the line and query. */
    toStayWithin(budget: Budget): T;
    /** Compares the measure() result's queries with the snapshot file beside the test (CULPRIT_UPDATE_SNAPSHOTS=1 rewrites). */
    toMatchQuerySnapshot(name?: string): T;
  }
}
