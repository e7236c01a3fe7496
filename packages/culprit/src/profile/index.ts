/** The library surface of `culprit profile`: gather, build the model, render it, export it, diff two. */
export { type Exporter, type ExportFormat, type ExportMeta, exporters } from '../export/registry.js';
export { buildProfile, type ProfileInputs, positionsToMap, scriptsToRead } from './build-profile.js';
export { diffProfiles, type FunctionChange, type ProfileDiff, renderDiff } from './diff.js';
export { type Gathered, type GatherOptions, gatherProfile } from './gather.js';
export { type PstatsOptions, type PstatsRow, pstatsRows, type SortKey, sortKeys } from './pstats.js';
export { renderPstats } from './render-pstats.js';
export { type TimeitStats, timeitLine, timeitStats } from './timeit.js';
