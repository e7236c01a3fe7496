import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CulpritError } from '../errors/culprit-error.js';
import { parseDurationMs } from './duration.js';
import { parseBenchArgs } from './options.js';

const URL_ = 'http://127.0.0.1:3000/api?x=1';
const parse = (...args: string[]) => parseBenchArgs(args, process.cwd(), 'test-agent');

function usageError(args: string[], code: string): void {
  assert.throws(
    () => parse(...args),
    (error: unknown) =>
      error instanceof CulpritError && error.code === code && error.exitCode === 2 && !error.message.includes('\n'),
    `${args.join(' ')} → ${code}`,
  );
}

test("hey's defaults and flags, in hey's single-dash spelling", () => {
  const o = parse(URL_);
  assert.equal(o.load.requests, 200);
  assert.equal(o.load.concurrency, 50);
  assert.equal(o.load.timeoutMs, 20_000);
  assert.equal(o.load.method, 'GET');
  const h = parse(
    '-n',
    '10',
    '-c',
    '1',
    '-m',
    'post',
    '-H',
    'X-A: 1',
    '-H',
    'X-B:2',
    '-d',
    'body',
    '-T',
    'application/json',
    '-A',
    'text/plain',
    '-a',
    'u:p',
    '-host',
    'example.test',
    '-disable-compression',
    '-disable-keepalive',
    '-disable-redirects',
    '-t',
    '3',
    URL_,
  );
  assert.equal(h.load.requests, 10);
  assert.equal(h.load.concurrency, 1);
  assert.equal(h.load.method, 'POST');
  assert.equal(h.load.timeoutMs, 3000);
  assert.equal(h.load.keepAlive, false);
  assert.equal(h.load.followRedirects, false);
  assert.equal(Buffer.from(h.load.body ?? []).toString(), 'body');
  assert.deepEqual(h.load.headers, [
    ['X-A', '1'],
    ['X-B', '2'],
    ['Host', 'example.test'],
    ['User-Agent', 'test-agent'],
    ['Accept', 'text/plain'],
    ['Authorization', `Basic ${Buffer.from('u:p').toString('base64')}`],
    ['Content-Type', 'application/json'],
  ]);
});

test('long GNU spellings, =values, -z, -q, --warmup, --workers, outputs, thresholds', () => {
  const o = parse(
    '--connections=4',
    '--duration',
    '1m30s',
    '--rate',
    '250',
    '--warmup',
    '2s',
    '--workers',
    '2',
    '--json',
    '--save',
    'out.json',
    '--fail-if',
    'p99>200ms',
    '--fail-if',
    'errors>0',
    URL_,
  );
  assert.equal(o.load.concurrency, 4);
  assert.equal(o.load.durationMs, 90_000);
  assert.equal(o.load.requests, undefined);
  assert.equal(o.load.rate, 250);
  assert.deepEqual(o.warmup, { durationMs: 2000 });
  assert.equal(o.workers, 2);
  assert.equal(o.output, 'json');
  assert.equal(o.save, 'out.json');
  assert.equal(o.thresholds.length, 2);
  assert.deepEqual(parse('--warmup', '50', URL_).warmup, { requests: 50 });
  assert.equal(parse('-o', 'csv', URL_).output, 'csv');
  assert.ok(parse(URL_).load.headers.some(([k, v]) => k === 'Accept-Encoding' && v === 'gzip'));
});

test('-D reads the body from a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'culprit-bench-'));
  writeFileSync(join(dir, 'body.json'), '{"a":1}');
  const o = parseBenchArgs(['-D', 'body.json', '-m', 'POST', URL_], dir, 'ua');
  assert.equal(Buffer.from(o.load.body ?? []).toString(), '{"a":1}');
});

test('bad input is a one-line usage error (exit 2) with its code', () => {
  usageError(['not a url'], 'CULPRIT_E_BAD_URL');
  usageError(['ftp://127.0.0.1/'], 'CULPRIT_E_BAD_URL');
  usageError(['-c', '0', URL_], 'CULPRIT_E_BAD_FLAG_VALUE');
  usageError(['-n', '2', '-c', '3', URL_], 'CULPRIT_E_BAD_FLAG_VALUE');
  usageError(['-H', 'no colon here', URL_], 'CULPRIT_E_BAD_HEADER');
  usageError(['-H', 'Bad Name: x', URL_], 'CULPRIT_E_BAD_HEADER');
  usageError(['-D', '/nonexistent/body', URL_], 'CULPRIT_E_UNREADABLE_FILE');
  usageError(['--nope', URL_], 'CULPRIT_E_UNKNOWN_FLAG');
  usageError(['-x', 'proxy:1', URL_], 'CULPRIT_E_UNKNOWN_FLAG');
  usageError(['-n'], 'CULPRIT_E_MISSING_ARGUMENT');
  usageError([], 'CULPRIT_E_MISSING_ARGUMENT');
  usageError([URL_, URL_], 'CULPRIT_E_MISSING_ARGUMENT');
  usageError(['-n', '10', '-z', '5s', URL_], 'CULPRIT_E_FLAG_CONFLICT');
  usageError(['-d', 'x', '-D', 'y', URL_], 'CULPRIT_E_FLAG_CONFLICT');
  usageError(['--json', '-o', 'csv', URL_], 'CULPRIT_E_FLAG_CONFLICT');
  usageError(['-z', 'soon', URL_], 'CULPRIT_E_BAD_FLAG_VALUE');
  usageError(['-q', '0', URL_], 'CULPRIT_E_BAD_FLAG_VALUE');
  usageError(['-o', 'xml', URL_], 'CULPRIT_E_BAD_FLAG_VALUE');
  usageError(['-a', 'nopassword', URL_], 'CULPRIT_E_BAD_FLAG_VALUE');
  usageError(['--workers', '9', '-c', '4', URL_], 'CULPRIT_E_BAD_FLAG_VALUE');
  usageError(['--fail-if', 'p99 is high', URL_], 'CULPRIT_E_BAD_THRESHOLD');
  usageError(['-disable-keepalive=maybe', URL_], 'CULPRIT_E_BAD_FLAG_VALUE');
});

test('durations as hey (Go) writes them', () => {
  assert.equal(parseDurationMs('10s'), 10_000);
  assert.equal(parseDurationMs('1m30s'), 90_000);
  assert.equal(parseDurationMs('500ms'), 500);
  assert.equal(parseDurationMs('2'), 2000);
  assert.equal(parseDurationMs('1h'), 3_600_000);
  assert.equal(parseDurationMs('10x'), undefined);
  assert.equal(parseDurationMs(''), undefined);
});
