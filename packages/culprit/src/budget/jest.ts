/**
 * `import 'culprit/budget/jest'` (in a test file or in `setupFilesAfterEach`):
 * registers the budget matchers with Jest's global `expect` and declares
 * their types on `jest.Matchers`.
 */
import type { Budget } from './check-budget.js';
import { budgetMatchers } from './matchers.js';

interface ExtendableExpect {
  extend(matchers: Record<string, unknown>): void;
}

const jestExpect = (globalThis as { expect?: ExtendableExpect }).expect;
if (typeof jestExpect?.extend !== 'function') {
  throw new TypeError(
    "culprit/budget/jest: no global expect; import it from a Jest test or setup file (Vitest: 'culprit/budget/vitest')",
  );
}
jestExpect.extend(budgetMatchers);

declare global {
  namespace jest {
    // the type parameters of @types/jest's declaration, which this one merges into
    // biome-ignore lint/complexity/noBannedTypes: must match @types/jest's `T = {}` exactly
    interface Matchers<R, T = {}> {
      /** Passes when the measure() result breaks no limit of `budget`; the message names the line and query. */
      toStayWithin(budget: Budget): R;
      /** Compares the measure() result's queries with the snapshot file beside the test (CULPRIT_UPDATE_SNAPSHOTS=1 rewrites). */
      toMatchQuerySnapshot(name?: string): R;
      /** (unused: present so the declaration merges with @types/jest's) */
      readonly __culpritReceived?: T;
    }
  }
}
