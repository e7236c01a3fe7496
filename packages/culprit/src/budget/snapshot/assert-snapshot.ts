/**
 * `assertQuerySnapshot(measurement, t)` for node:test (or any runner): the
 * snapshot file sits beside the calling test file, found from the stack.
 */
import { AssertionError } from 'node:assert';
import type { Measured } from '../check-budget.js';
import { callerFile } from './caller-file.js';
import { matchQuerySnapshot } from './snapshot-file.js';

/** A test's name, or node:test's TestContext (its full name when Node has one). */
export type SnapshotName = string | { name: string; fullName?: string };

export interface AssertSnapshotOptions {
  /** The test file the snapshot sits beside (default: the caller's file). */
  testFile?: string;
  update?: boolean;
}

export function snapshotName(name: SnapshotName): string {
  return typeof name === 'string' ? name : (name.fullName ?? name.name);
}

export function assertQuerySnapshot(measured: Measured, name: SnapshotName, options: AssertSnapshotOptions = {}): void {
  const testFile = options.testFile ?? callerFile();
  if (!testFile)
    throw new TypeError('assertQuerySnapshot: cannot tell the test file from the stack; pass { testFile }');
  const outcome = matchQuerySnapshot(measured, {
    testFile,
    name: snapshotName(name),
    ...(options.update === undefined ? {} : { update: options.update }),
  });
  if (!outcome.pass) throw new AssertionError({ message: outcome.message, operator: 'assertQuerySnapshot' });
}
