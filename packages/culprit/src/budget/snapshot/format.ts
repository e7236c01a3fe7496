/**
 * Query snapshots as text a reviewer can read in a diff: one line per
 * statement shape and issuing line, with how often it ran and a rows bucket
 * (so a row more or less in the test data does not churn the file). Lines
 * are sorted by place, not by completion order, which concurrent queries
 * would make flaky. Pure.
 */
import { posix, relative, sep } from 'node:path';
import type { Measured } from '../check-budget.js';
import { repeatedQueries } from '../check-budget.js';

export const SNAPSHOT_HEADER =
  '# culprit query snapshots: one block per test (statements by shape, issuing line, count, rows).\n' +
  '# Rewrite with CULPRIT_UPDATE_SNAPSHOTS=1 after a change you meant.\n';

/** Rows per query as an order of magnitude: 0, 1, 2-9, 10-99, 100-999, 1000+. */
export function rowsBucket(rows: number): string {
  if (rows < 1) return '0';
  if (rows < 2) return '1';
  if (rows < 10) return '2-9';
  if (rows < 100) return '10-99';
  if (rows < 1000) return '100-999';
  return '1000+';
}

/** The snapshot lines of one measurement; places relative to `baseDir` (the snapshot's folder). */
export function snapshotLines(measured: Measured, baseDir: string): string[] {
  const rows = repeatedQueries(measured).map((site) => {
    const file = site.location ? relative(baseDir, site.location.file).split(sep).join(posix.sep) : '(no app frame)';
    const place = site.location ? `${file}:${site.location.line}` : file;
    return { place, line: `${place}  ${site.count}×  rows ${rowsBucket(site.rows / site.count)}  ${site.sql}` };
  });
  return rows
    .sort((a, b) => a.place.localeCompare(b.place, 'en', { numeric: true }) || a.line.localeCompare(b.line))
    .map((r) => r.line);
}

/** A snapshot file: its blocks in file order, by test name. */
export type SnapshotFile = Map<string, string[]>;

const BLOCK = /^## (.*)$/;

export function parseSnapshotFile(text: string): SnapshotFile {
  const blocks: SnapshotFile = new Map();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    const header = BLOCK.exec(line);
    if (header) {
      current = [];
      blocks.set(header[1] ?? '', current);
    } else if (current && line.trim() !== '' && !line.startsWith('#')) current.push(line);
  }
  return blocks;
}

export function serializeSnapshotFile(blocks: SnapshotFile): string {
  const parts = [SNAPSHOT_HEADER];
  for (const [name, lines] of blocks) parts.push(`\n## ${name}\n${lines.map((l) => `${l}\n`).join('')}`);
  return parts.join('');
}
