import { type ErrorCode, errorCatalog } from './catalog.js';

/** A failure a user can act on: a code from the catalog and one line of text. */
export class CulpritError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CulpritError';
    this.code = code;
  }

  /** Exit status for the binary: 2 when the command line was wrong, 1 when the run failed. */
  get exitCode(): 1 | 2 {
    return errorCatalog[this.code].usage ? 2 : 1;
  }
}

/** Narrows an unknown thrown value without comparing message text. */
export function isCulpritError(value: unknown): value is CulpritError {
  return value instanceof CulpritError;
}
