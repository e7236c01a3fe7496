// RunningTarget's waiting rules with a fake transport and fake probes: the
// record wait starts when the response ended (the old 10 s limit, counted from
// the send, made observable with a short injected timeout), records are taken
// by marker from any probe, other traffic is counted apart, Ctrl-C ends a send at once.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import { isCulpritError } from '../errors/culprit-error.js';
import { MARKER_HEADER, type ProbeMessage, type ProbeRequest, WATCH_ROW_FIELDS } from '../probe/protocol.js';
import type { ProbeHub, ProbeLink } from './probe-link.js';
import { runningTarget } from './running-target.js';
import type { TargetRequest } from './types.js';

/** A probe link that answers every call and lets the test push records. */
class FakeLink extends EventEmitter {
  closed = false;
  call(): Promise<unknown> {
    return Promise.resolve(null);
  }
  push(record: ProbeRequest): void {
    this.emit('request', record);
    this.emit('message', { type: 'request', record } satisfies ProbeMessage);
  }
  pushRows(count: number): void {
    const rows = Array.from({ length: count }, () => [0, 200, 1, 1, 0, 0, 0, Date.now()]).flat();
    this.emit('message', { type: 'watch.rows', routes: [['GET', '/x', 'folded']], rows } satisfies ProbeMessage);
  }
  pushOther(path: string): void {
    this.emit('message', { type: 'request.other', method: 'GET', path, status: 200, count: 1 } satisfies ProbeMessage);
  }
}

function record(marker: string, url = '/x'): ProbeRequest {
  return {
    method: 'GET',
    url,
    status: 200,
    wallMs: 1,
    cpuMs: 1,
    bytes: 2,
    scopeId: 1,
    marker,
    queries: [],
    tables: { statements: [], locations: [], stacks: [] },
    constructions: [],
  };
}

/** A target whose `deliver` answers after `responseMs` and whose probe records `recordLagMs` after that. */
function fakeTarget(options: {
  responseMs: number;
  recordLagMs?: number;
  recordTimeoutMs: number;
  links?: FakeLink[];
}) {
  const links = options.links ?? [new FakeLink()];
  const hub = Object.assign(new EventEmitter(), { links });
  const delivered: TargetRequest[] = [];
  const target = runningTarget({
    link: links[0] as unknown as ProbeLink,
    hub: hub as unknown as ProbeHub,
    info: { mode: 'module' },
    notes: [],
    recordTimeoutMs: options.recordTimeoutMs,
    exited: new Promise(() => {}),
    listen: () => Promise.resolve('http://127.0.0.1:1'),
    stop: () => Promise.resolve(),
    async deliver(request, signal) {
      delivered.push(request);
      const marker = request.headers?.[MARKER_HEADER] ?? '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, options.responseMs);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new Error('aborted'));
        });
      });
      if (options.recordLagMs !== undefined) {
        const answering = links[delivered.length % links.length] as FakeLink;
        setTimeout(() => answering.push(record(marker, request.path)), options.recordLagMs);
      }
      return 200;
    },
  });
  return { target, delivered, links };
}

describe('running target', () => {
  test('a request slower than the record timeout keeps its record: the wait starts at the response', async () => {
    // before: a 100 ms limit counted from the send lost this 400 ms request
    const { target } = fakeTarget({ responseMs: 400, recordLagMs: 20, recordTimeoutMs: 100 });
    const observed = await target.send({ method: 'GET', path: '/slow' });
    assert.equal(observed.error, undefined);
    assert.equal(observed.status, 200);
  });

  test('a record later than the timeout after the response: an error naming the timeout and --timeout', async () => {
    const { target } = fakeTarget({ responseMs: 10, recordLagMs: 300, recordTimeoutMs: 100 });
    const observed = await target.send({ method: 'GET', path: '/x' });
    assert.match(observed.error ?? '', /did not arrive within 0\.1 s after the response ended \(raise --timeout\)/);
    assert.equal(observed.status, 200, 'the status is known');
  });

  test("records are matched by marker: someone else's record never answers culprit's send", async () => {
    const { target, links, delivered } = fakeTarget({ responseMs: 50, recordLagMs: 10, recordTimeoutMs: 1000 });
    const link = links[0] as FakeLink;
    setTimeout(() => link.push(record('not-ours', '/health')), 10);
    setTimeout(() => link.pushOther('/health'), 20);
    const observed = await target.send({ method: 'GET', path: '/mine' });
    assert.equal(observed.url, '/mine');
    assert.match(delivered[0]?.headers?.[MARKER_HEADER] ?? '', /^[\w-]+-1$/);
    assert.deepEqual(target.otherTraffic(), [{ method: 'GET', path: '/health', status: 200, count: 1 }]);
    assert.equal(target.sent, 1);
  });

  test('cluster: a record from another probe (worker) is taken', async () => {
    const { target } = fakeTarget({
      responseMs: 5,
      recordLagMs: 5,
      recordTimeoutMs: 1000,
      links: [new FakeLink(), new FakeLink()],
    });
    const first = await target.send({ method: 'GET', path: '/a' });
    const second = await target.send({ method: 'GET', path: '/b' });
    assert.deepEqual([first.url, second.url, first.error, second.error], ['/a', '/b', undefined, undefined]);
  });

  test('Ctrl-C ends a send that never gets an answer, at once', async () => {
    const { target } = fakeTarget({ responseMs: 60_000, recordTimeoutMs: 1000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await assert.rejects(target.send({ method: 'GET', path: '/hang' }, { signal: controller.signal }), (error) => {
      assert.ok(isCulpritError(error));
      assert.equal(error.code, 'CULPRIT_E_INTERRUPTED');
      return true;
    });
    assert.ok(Date.now() - started < 500);
  });

  test("watch: every probe's unmarked records reach the watcher, culprit's own sends never do", async () => {
    const first = new FakeLink();
    const { target } = fakeTarget({ responseMs: 5, recordLagMs: 5, recordTimeoutMs: 1000, links: [first] });
    const seen: string[] = [];
    const stop = target.onWatched({
      record: (r) => seen.push(r.url),
      rows: (batch) => seen.push(`${batch.rows.length / WATCH_ROW_FIELDS} counted`),
    });
    first.push(record('', '/browser'));
    first.pushRows(2);
    await target.send({ method: 'GET', path: '/culprits-own' });
    stop();
    first.push(record('', '/after-stop'));
    first.pushRows(1);
    assert.deepEqual(seen, ['/browser', '2 counted']);
  });
});
