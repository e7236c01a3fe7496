// A Vitest project of its own, run by ../../matchers.test.ts: the matchers in a real Vitest.
// A long timeout: the machine running the suite may be loaded (counts are asserted, never times).
export default { test: { include: ['*.vitest.ts'], root: import.meta.dirname, testTimeout: 120_000 } };
