/** The library surface of `culprit bench` and `culprit compare`: run a load, summarize it, compare two runs. */
export { type Comparison, compareRuns, readSavedRun, renderComparison, type SavedRun } from './compare.js';
export { type BenchOptions, type LoadOptions, parseBenchArgs } from './options.js';
export { renderTextReport } from './report-text.js';
export { type RunControl, runLoad } from './run.js';
export { runLoadOnWorkers } from './run-workers.js';
export type { BenchStats } from './stats.js';
export { type BenchSummary, SUMMARY_SCHEMA, summarize } from './summary.js';
export { brokenThresholds, parseThresholds, type Threshold } from './thresholds.js';
