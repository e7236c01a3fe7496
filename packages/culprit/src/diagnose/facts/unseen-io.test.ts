// Which socket I/O counts as unseen, and the unseen-queries finding it makes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HttpCallRecord, NetworkUse, QueryRecord } from '../../capture/types.js';
import { diagnose } from '../diagnose.js';
import { capture, request } from '../test-support/captures.js';
import { describeRemote, unseenIoOf } from './unseen-io.js';

const mongo: NetworkUse = { remote: '10.0.0.5:27017', kind: 'tcp', writes: 4, bytes: 900, connects: 1 };
const api: NetworkUse = { remote: '127.0.0.1:4000', kind: 'tcp', writes: 1, bytes: 120, connects: 1 };
const query: QueryRecord = { driver: 'pg', sql: 'SELECT ?', durationMs: 1, rows: 1 };
const call = { client: 'fetch', method: 'GET', origin: 'http://localhost:4000' } as HttpCallRecord;

test('raw socket writes with nothing recorded are unseen; a query, a Redis command or HTTP kind explain them', () => {
  assert.deepEqual(unseenIoOf(request({ network: [mongo], databaseClients: ['mongodb'] })), {
    remotes: [mongo],
    clients: ['mongodb'],
  });
  assert.equal(unseenIoOf(request({ network: [mongo], queries: [query] })), undefined);
  assert.equal(unseenIoOf(request({ network: [{ ...mongo, kind: 'http' }] })), undefined);
  assert.equal(unseenIoOf(request({})), undefined);
});

test("fetch's sockets carry no mark: a remote on a recorded HTTP call's port is that call", () => {
  assert.equal(unseenIoOf(request({ network: [api], http: [call] })), undefined);
  assert.deepEqual(unseenIoOf(request({ network: [api, mongo], http: [call] }))?.remotes, [mongo]);
});

test('well-known ports are named', () => {
  assert.equal(describeRemote('10.0.0.5:27017'), "10.0.0.5:27017 (MongoDB's port)");
  assert.equal(describeRemote('[::1]:5432'), "[::1]:5432 (PostgreSQL's port)");
  assert.equal(describeRemote('127.0.0.1:4567'), '127.0.0.1:4567');
  assert.equal(describeRemote('unix socket'), 'unix socket');
});

test('diagnose: a warning when the request waited on the unseen I/O, info when it did not', () => {
  const waited = diagnose(
    capture([request({ wallMs: 400, cpuMs: 20, network: [mongo], databaseClients: ['mongodb'] })]),
  );
  assert.equal(waited[0]?.rule, 'unseen-queries');
  assert.equal(waited[0]?.severity, 'warning');
  assert.equal(
    waited[0]?.title,
    "GET /x talked to 10.0.0.5:27017 (MongoDB's port) but culprit recorded no query: its client is not hooked; loaded: mongodb",
  );
  const quick = diagnose(capture([request({ wallMs: 5, cpuMs: 4, network: [mongo] })]));
  assert.equal(quick[0]?.severity, 'info');
});

test('diagnose: a long wait on a recorded HTTP call is not "no SQL seen"', () => {
  const findings = diagnose(
    capture([request({ wallMs: 400, cpuMs: 20, http: [{ ...call, startMs: 5, durationMs: 370 }] })]),
  );
  assert.equal(
    findings.find((finding) => finding.rule === 'unseen-queries'),
    undefined,
  );
});
