// Crafted capture files: culprit reads them, and must neither open the paths
// they name, nor print their terminal escapes, nor crash on their shape.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Capture } from '../capture/types.js';
import { main } from './main.js';
import { recordingIo } from './test-support/recording-io.js';

const dir = mkdtempSync(join(tmpdir(), 'culprit-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const secret = join(dir, 'secret.txt');
writeFileSync(secret, ['TOP-SECRET-1', 'TOP-SECRET-2', 'TOP-SECRET-3', 'TOP-SECRET-4'].join('\n'));

/** A request whose 60 identical queries come from line 2 of `file`: diagnose blames that line. */
function craftedCapture(file: string, extra: Partial<Capture> = {}): Capture {
  const query = { driver: 'pg', sql: 'SELECT * FROM t WHERE id = ?', durationMs: 5, rows: 1 };
  return {
    schema: 'culprit.capture/1',
    createdAt: '2024-01-01T00:00:00.000Z',
    tool: { name: 'culprit', version: '0.1.0', command: 'trace' },
    target: { mode: 'module', module: 'app.js' },
    requests: [
      {
        id: 1,
        method: 'GET',
        url: '/items',
        status: 200,
        wallMs: 400,
        cpuMs: 50,
        bytes: 100,
        queries: Array.from({ length: 60 }, () => ({ ...query, location: { file, line: 2, column: 1 } })),
        constructions: [],
      },
    ],
    ...extra,
  };
}

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = recordingIo(dir);
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('a crafted capture', () => {
  test('never makes culprit print a local file it names (text, JSON, HTML)', async () => {
    for (const file of [secret, `file://${secret}`]) {
      const path = write('crafted.json', craftedCapture(file));
      const text = await run(['diagnose', path]);
      const json = await run(['diagnose', path, '--json']);
      const html = join(dir, 'crafted.html');
      await run(['diagnose', path, '--html', html]);
      for (const output of [text.out, text.err, json.out, readFileSync(html, 'utf8')]) {
        assert.doesNotMatch(output, /TOP-SECRET/);
      }
      assert.match(text.out + json.out, /secret\.txt/, 'the finding still names the file');
    }
  });
});
