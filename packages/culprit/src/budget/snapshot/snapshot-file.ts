/**
 * Checks a measurement against its block in the snapshot file beside the
 * test (`<test file>.queries`), writing the block when it is new (except on
 * CI, where a missing snapshot fails) or when CULPRIT_UPDATE_SNAPSHOTS=1.
 * Reads and writes synchronously, so two checks of one process never
 * interleave a read and a write.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Measured } from '../check-budget.js';
import { parseSnapshotFile, serializeSnapshotFile, snapshotLines } from './format.js';
import { lineDiff } from './line-diff.js';

export const UPDATE_ENV = 'CULPRIT_UPDATE_SNAPSHOTS';

export interface SnapshotTarget {
  /** The test file (path or file URL); the snapshot is `<it>.queries`. */
  testFile: string;
  /** The block's name: the test's name (two snapshots in one test need two names). */
  name: string;
  /** Rewrite the block (default: the CULPRIT_UPDATE_SNAPSHOTS environment variable); false: never write, a missing block fails. */
  update?: boolean;
}

export interface SnapshotOutcome {
  pass: boolean;
  message: string;
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

export function snapshotPath(testFile: string): string {
  return `${testFile.startsWith('file://') ? fileURLToPath(testFile) : testFile}.queries`;
}

export function matchQuerySnapshot(measured: Measured, target: SnapshotTarget): SnapshotOutcome {
  const file = snapshotPath(target.testFile);
  const name = target.name;
  const now = snapshotLines(measured, dirname(file));
  const blocks = existsSync(file) ? parseSnapshotFile(readFileSync(file, 'utf8')) : new Map<string, string[]>();
  const recorded = blocks.get(name);
  const update = target.update ?? truthy(process.env[UPDATE_ENV]);
  const same = recorded !== undefined && recorded.length === now.length && recorded.every((l, i) => l === now[i]);
  if (same) return { pass: true, message: `query snapshot '${name}' matches ${file}` };
  if (recorded === undefined && (target.update === false || (!update && truthy(process.env.CI)))) {
    const why = target.update === false ? 'update: false' : 'on CI missing snapshots fail';
    return {
      pass: false,
      message: `no query snapshot '${name}' in ${file} (${why}; run the test locally, or with ${UPDATE_ENV}=1, and commit the file)`,
    };
  }
  if (recorded === undefined || update) {
    blocks.set(name, now);
    writeFileSync(file, serializeSnapshotFile(blocks));
    return { pass: true, message: `query snapshot '${name}' written to ${file}` };
  }
  return {
    pass: false,
    message: [
      `queries of '${name}' changed from the snapshot in ${file}`,
      '(- recorded, + now; place  count  rows per query  statement)',
      ...lineDiff(recorded, now),
      `If the change is meant, rerun with ${UPDATE_ENV}=1 to rewrite the snapshot.`,
    ].join('\n'),
  };
}
