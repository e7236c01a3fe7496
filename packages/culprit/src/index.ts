export * from './bench/index.js';
export type { ErrorCode } from './errors/catalog.js';
export { CulpritError, isCulpritError } from './errors/culprit-error.js';
export * from './profile/index.js';
