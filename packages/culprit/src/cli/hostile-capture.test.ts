// Crafted capture files: culprit reads them, and must neither open the paths
// they name, nor print their terminal escapes, nor crash on their shape.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Capture } from '../capture/types.js';
import { main } from './main.js';
import { escapeControls } from './terminal-text.js';
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

  test('its terminal escapes are never printed raw (clear screen, title, OSC 52 clipboard)', async () => {
    const evil = '\u001b[2J\u001b]0;pwned\u0007\u001b]52;c;cm0gLXJmIH4=\u0007\u009b31m';
    const capture = craftedCapture(secret, { notes: [`note ${evil}`] });
    const request = capture.requests[0]!;
    request.url = `/items${evil}`;
    const clean = write('escapes.json', capture);
    request.status = 500;
    request.bodyHead = `boom ${evil}`;
    request.error = `failed ${evil}`;
    const failing = write('escapes-failing.json', capture);
    for (const args of [
      ['diagnose', clean],
      ['diagnose', clean, '--json'],
      ['diagnose', failing],
      ['diagnose', failing, '--json'],
    ]) {
      const { code, out, err } = await run(args);
      for (const text of [out, err]) {
        assert.equal(escapeControls(text), text, `${args.join(' ')}: ${JSON.stringify(text)}`);
      }
      if (args.length === 3 && code === 0) assert.doesNotThrow(() => JSON.parse(out), 'JSON output stays JSON');
    }
  });

  test('a malformed capture is one coded line, never an internal error', async () => {
    const good = craftedCapture(secret);
    const cases: Array<[string, unknown]> = [
      ['"tool": null', { ...good, tool: null }],
      ['a request that is a number', { ...good, requests: [1] }],
      ['a query without SQL', { ...good, requests: [{ ...good.requests[0], queries: [{ durationMs: 1 }] }] }],
      ['a finding without evidence', { ...good, findings: [{ rule: 'x', severity: 'info', title: 't' }] }],
      ['a note that is an object', { ...good, notes: [{}] }],
    ];
    for (const [what, capture] of cases) {
      const path = write('malformed.json', capture);
      for (const command of [
        ['diagnose', path],
        ['view', path, '--html', join(dir, 'm.html')],
      ]) {
        const { code, err } = await run(command);
        assert.equal(code, 2, `${what}: ${err}`);
        assert.match(err, /^culprit: CULPRIT_E_BAD_CAPTURE: .*malformed\.json: \S.*\n$/, what);
        assert.doesNotMatch(err, /internal error|\n\s+at /, what);
      }
    }
  });
});
