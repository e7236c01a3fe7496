// 100,000 queries in one request, through the real binary in command mode:
// the capture accounts for every query (2,000 kept, the rest folded by line)
// and culprit's own peak memory stays bounded. Needs `npm run build`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { queryTotals } from '../capture/query-totals.js';
import type { Capture } from '../capture/types.js';
import { QUERY_DETAIL_LIMIT } from '../probe/query-fold.js';

const fixtures = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/culprit.js', import.meta.url));

/** culprit's peak RSS before this change: ~8 KB per query (≈ 800 MB here); now a fixed cost. */
const PEAK_RSS_LIMIT_MB = 250;

test('100,000 queries in one request: all counted, 2,000 kept, culprit stays under 250 MB', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'culprit-many-'));
  try {
    const peakFile = join(dir, 'peak');
    const hook = join(dir, 'peak.cjs');
    // preloaded into culprit only (not NODE_OPTIONS, so the target does not get it)
    writeFileSync(
      hook,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(peakFile)}, String(process.resourceUsage().maxRSS)));`,
    );
    const save = join(dir, 'capture.json');
    const args = ['-r', hook, bin, 'trace', '--no-constructions', '--save', save, '/slow?n=100000'];
    args.push('--', process.execPath, 'server.js');
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, args, { cwd: `${fixtures}trace-sqlite`, timeout: 240_000 }, (error, out, err) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: out, stderr: err }),
      );
    });
    assert.equal(code, 0, stderr);
    const capture = JSON.parse(readFileSync(save, 'utf8')) as Capture;
    const [request] = capture.requests;
    assert.ok(request);
    assert.equal(request.queries.length, QUERY_DETAIL_LIMIT);
    const totals = queryTotals(request);
    assert.equal(totals.count, 100_001, 'one count query, then 100,000 lookups');
    assert.equal(totals.folded, 100_001 - QUERY_DETAIL_LIMIT);
    const [fold] = request.foldedQueries ?? [];
    assert.equal(fold?.sql, 'SELECT title FROM card WHERE id = ?');
    assert.match(fold?.location?.file ?? '', /trace-sqlite\/app\.js$/);
    assert.equal(fold?.location?.line, 28);
    assert.match(stdout, /\b100,001\b/, 'the table counts folded queries');
    assert.match(stdout, /app\.js:28 +100,000×/);
    const peakMb = Number(readFileSync(peakFile, 'utf8')) / 1024;
    assert.ok(peakMb < PEAK_RSS_LIMIT_MB, `culprit peaked at ${peakMb.toFixed(0)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
