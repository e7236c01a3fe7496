import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ensureViewerBuilt } from '../../report/test-support/chromium.js';
import { fakeCapture } from '../../report/test-support/fake-capture.js';
import { main } from '../main.js';
import { type RecordingIo, recordingIo } from '../test-support/recording-io.js';

ensureViewerBuilt();
const dir = mkdtempSync(join(tmpdir(), 'culprit-view-'));
const capturePath = join(dir, 'capture.json');
writeFileSync(capturePath, JSON.stringify(fakeCapture({ nodes: 500 })));
after(() => rmSync(dir, { recursive: true, force: true }));

function io(signal = new AbortController().signal): RecordingIo {
  return recordingIo(dir, { env: {}, signal });
}

test('--html writes one self-contained file: inline script, style and data, no external reference', async () => {
  const target = join(dir, 'report.html');
  const cli = io();
  assert.equal(await main(['view', capturePath, '--html', target], cli), 0);
  const html = readFileSync(target, 'utf8');
  assert.match(html, /<script type="application\/json" id="culprit-data">/);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/);
  assert.ok(!/\s(src|href)=/i.test(html), 'no src= or href= attributes at all');
  assert.ok(!/<link\b/i.test(html));
  assert.match(cli.out(), /wrote .*report.html/);
});

test('bad input is a one-line coded error with exit 2', async () => {
  const notJson = join(dir, 'bad.json');
  writeFileSync(notJson, '{"schema": "culprit.capture/0", "requests": []}');
  const cases: Array<[string[], RegExp]> = [
    [['view'], /CULPRIT_E_MISSING_ARGUMENT/],
    [
      ['view', join(dir, 'missing.json')],
      /CULPRIT_E_UNREADABLE_FILE: cannot read capture .*missing.json: no such file/,
    ],
    [['view', notJson], /CULPRIT_E_BAD_CAPTURE: .*unsupported capture schema "culprit.capture\/0"/],
    [['view', capturePath, '--diff'], /CULPRIT_E_MISSING_ARGUMENT: --diff needs two captures/],
    [['view', capturePath, '--port', 'abc'], /CULPRIT_E_BAD_FLAG_VALUE/],
    [['view', capturePath, '--bogus'], /CULPRIT_E_UNKNOWN_FLAG/],
  ];
  for (const [args, expected] of cases) {
    const cli = io();
    assert.equal(await main(args, cli), 2, args.join(' '));
    assert.match(cli.err(), expected);
    assert.equal(cli.err().trim().split('\n').length, 1);
  }
});

test('serving: 127.0.0.1 only, only the report, rebinding hosts refused, stops on abort', async () => {
  const controller = new AbortController();
  const cli = io(controller.signal);
  const running = main(['view', capturePath, capturePath, '--no-open'], cli);
  let url = '';
  for (let i = 0; i < 100 && !url; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    url = /http:\/\/127\.0\.0\.1:\d+\//.exec(cli.out())?.[0] ?? '';
  }
  assert.ok(url, cli.out() + cli.err());
  const page = await fetch(url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /"kind":"diff"/);
  assert.equal((await fetch(`${url}capture.json`)).status, 404);
  assert.equal((await fetch(`${url}../../etc/passwd`)).status, 404);
  assert.equal((await fetch(url, { method: 'POST' })).status, 405);
  const { request } = await import('node:http');
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(url, { headers: { host: 'evil.example:80' } }, (res) => resolve(res.statusCode ?? 0));
    req.on('error', reject);
    req.end();
  });
  assert.equal(status, 403);
  controller.abort();
  assert.equal(await running, 0);
});
