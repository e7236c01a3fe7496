/**
 * Golden files under fixtures/profile-raw/golden/: compares output with the
 * saved file; `UPDATE_GOLDEN=1` rewrites it (review the diff before committing).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rawFixtureDir } from './raw-fixture.js';

const goldenDir = new URL('golden/', rawFixtureDir);

export function assertGolden(name: string, actual: string): void {
  const file = new URL(name, goldenDir);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.equal(
    actual,
    readFileSync(file, 'utf8'),
    `output differs from golden ${file.pathname} (UPDATE_GOLDEN=1 to accept)`,
  );
}

/** The raw fixture files, one golden test each. */
export function rawFixtures(): Array<{ name: string; file: URL }> {
  return readdirSync(rawFixtureDir)
    .filter((entry) => entry.endsWith('.raw.json'))
    .sort()
    .map((entry) => ({ name: entry.replace(/\.raw\.json$/, ''), file: new URL(entry, rawFixtureDir) }));
}
