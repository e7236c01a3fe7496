// A Jest project of its own, run by ../../matchers.test.ts: the matchers and measure() in a real Jest.
// ESM test files need `node --experimental-vm-modules`; no transform: the test imports culprit's built dist.
// A long timeout: the machine running the suite may be loaded (counts are asserted, never times).
export default { rootDir: import.meta.dirname, testMatch: ['**/*.jest.mjs'], transform: {}, testTimeout: 120_000 };
