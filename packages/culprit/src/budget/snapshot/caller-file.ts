/**
 * The file of whoever called into culprit (the test file), from the stack:
 * the first frame that is neither culprit's own code nor Node's.
 */
import { isOwnFile } from '../../own-code.js';

export function callerFile(): string | undefined {
  const holder: { stack?: unknown } = {};
  const previous = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 30;
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.captureStackTrace(holder, callerFile);
    const sites = Array.isArray(holder.stack) ? (holder.stack as NodeJS.CallSite[]) : [];
    for (const site of sites) {
      const file = site.getFileName();
      if (
        file &&
        !file.startsWith('node:') &&
        file.includes('/') &&
        !file.includes('/node_modules/') &&
        !isOwnFile(file)
      )
        return file;
    }
    return undefined;
  } finally {
    Error.prepareStackTrace = previous;
    Error.stackTraceLimit = limit;
  }
}
