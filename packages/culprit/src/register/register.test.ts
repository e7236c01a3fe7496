/**
 * culprit/register end to end: a real server preloaded with it, and a
 * collector of the test's own on 127.0.0.1 that decodes OTLP with the official
 * definitions. Checks the spans a user's backend receives, and that a
 * collector that is down, stuck or failing changes no response and holds no
 * growing memory.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { senderLimits } from '../otel/otlp-sender.js';
import { type ReceivedSpan, startReceiver } from '../otel/test-support/otlp-receiver.js';

const fixture = fileURLToPath(new URL('../../../../fixtures/otel-register/server.mjs', import.meta.url));
/** 1-based line of the fixture holding `text`. */
function lineOf(text: string): number {
  return (
    readFileSync(fixture, 'utf8')
      .split('\n')
      .findIndex((line) => line.includes(text)) + 1
  );
}
const children = new Set<ChildProcess>();
after(() => {
  for (const child of children) child.kill('SIGKILL');
});

interface App {
  base: string;
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  stderr(): string;
  stop(): Promise<void>;
}

async function startApp(
  env: Record<string, string>,
  nodeArgs: string[] = [],
  script = fixture,
  preload: '--import' | '--require' = '--import',
): Promise<App> {
  const child = spawn(process.execPath, [...nodeArgs, preload, 'culprit/register', script], {
    cwd: fileURLToPath(new URL('.', `file://${fixture}`)),
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let stdout = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (\d+)/.exec(stdout);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`app exited (${code}) before listening: ${stderr}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    async get(path, headers = {}) {
      const response = await fetch(`${base}${path}`, { headers });
      return { status: response.status, body: await response.text() };
    },
    stderr: () => stderr,
    async stop() {
      child.kill('SIGKILL');
      await once(child, 'exit').catch(() => undefined);
      children.delete(child);
    },
  };
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function attribute(span: ReceivedSpan, key: string): unknown {
  return span.attributes[key];
}

// `--require culprit/register` loads the CommonJS build (package.json's `require` condition): the same recording
for (const preload of ['--import', '--require'] as const) {
  test(`${preload} culprit/register: a sampled request reaches the collector: a server span, a span per query with rows and app line, findings as events`, async (t) => {
    const receiver = await startReceiver('ok');
    t.after(() => receiver.close());
    const app = await startApp(
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/`,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s3cret%20value',
        OTEL_SERVICE_NAME: 'cards-api',
        CULPRIT_SAMPLE_RATE: '0',
      },
      [],
      fixture,
      preload,
    );
    t.after(() => app.stop());

    // sample rate 0: only a caller's sampled trace is recorded, and it is continued
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    const cards = await app.get('/cards?limit=20', { traceparent: `00-${traceId}-${parentId}-01` });
    assert.equal(cards.status, 200);
    assert.equal((JSON.parse(cards.body) as unknown[]).length, 20);
    await app.get('/cards?limit=5'); // not sampled
    await app.get('/flush');

    assert.equal(receiver.requests[0]?.path, '/v1/traces');
    assert.equal(receiver.requests[0]?.headers['x-api-key'], 's3cret value');
    assert.equal(receiver.requests[0]?.headers['content-type'], 'application/x-protobuf');
    const server = receiver.spans.filter((span) => span.kind === 2);
    assert.equal(server.length, 1, 'one server span: the unsampled request sent nothing');
    const root = server[0] as ReceivedSpan;
    assert.equal(root.traceId, traceId);
    assert.equal(root.parentSpanId, parentId);
    assert.equal(root.name, 'GET');
    assert.equal(root.resource['service.name'], 'cards-api');
    assert.equal(root.scope, 'culprit');
    assert.equal(attribute(root, 'http.request.method'), 'GET');
    assert.equal(attribute(root, 'url.path'), '/cards');
    assert.equal(attribute(root, 'url.query'), 'limit=?', 'query values redacted');
    assert.equal(attribute(root, 'http.response.status_code'), 200);
    assert.equal(attribute(root, 'server.address'), '127.0.0.1');
    assert.equal(attribute(root, 'culprit.request.queries'), 21);
    assert.equal(attribute(root, 'http.response.body.size'), Buffer.byteLength(cards.body));

    const queries = receiver.spans.filter((span) => span.kind === 3);
    assert.equal(queries.length, 21);
    for (const query of queries) {
      assert.equal(query.parentSpanId, root.spanId);
      assert.equal(query.traceId, traceId);
      assert.ok(query.startMs >= root.startMs && query.endMs <= root.endMs + 1, 'inside the request');
      assert.equal(attribute(query, 'db.system.name'), 'sqlite');
      assert.equal(attribute(query, 'db.operation.name'), 'SELECT');
      assert.match(String(attribute(query, 'code.file.path')), /fixtures\/otel-register\/server\.mjs$/);
    }
    const [list, ...owners] = queries.sort((a, b) => a.startMs - b.startMs);
    assert.equal(attribute(list as ReceivedSpan, 'db.query.text'), 'SELECT * FROM otel_card WHERE id <= ?');
    assert.equal(attribute(list as ReceivedSpan, 'db.response.returned_rows'), 20);
    assert.equal(attribute(list as ReceivedSpan, 'code.line.number'), lineOf('FROM otel_card WHERE'));
    assert.equal((list as ReceivedSpan).name, 'SELECT otel_card');
    for (const owner of owners) {
      assert.equal(attribute(owner, 'db.query.text'), 'SELECT name FROM otel_owner WHERE id = ?');
      assert.equal(attribute(owner, 'db.collection.name'), 'otel_owner');
      assert.equal(attribute(owner, 'db.response.returned_rows'), 1);
      assert.equal(attribute(owner, 'code.line.number'), lineOf('FROM otel_owner WHERE'));
      assert.equal(attribute(owner, 'code.function.name'), 'ownerName');
    }

    const findings = root.events.filter((event) => event.name === 'culprit.finding');
    const nPlusOne = findings.find((event) => event.attributes['culprit.finding.rule'] === 'n-plus-one');
    assert.ok(nPlusOne, `an N+1 finding among ${JSON.stringify(findings)}`);
    assert.match(String(nPlusOne.attributes['culprit.finding.title']), /N\+1/);
    assert.match(String(nPlusOne.attributes['code.file.path']), /server\.mjs$/);
    assert.equal(app.stderr(), '', 'nothing to complain about');
  });
}

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const nodeSqlite = major > 22 || (major === 22 && minor >= 13);

test('node:sqlite: no hooked file ever loads, so the driver hooks load at the first recorded request and its queries are spans', {
  skip: nodeSqlite ? undefined : `node:sqlite needs Node >= 22.13 (this is ${process.versions.node})`,
}, async (t) => {
  const receiver = await startReceiver('ok');
  t.after(() => receiver.close());
  const script = fileURLToPath(new URL('../../../../fixtures/otel-register/node-sqlite.mjs', import.meta.url));
  const app = await startApp({ OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/`, CULPRIT_SAMPLE_RATE: '1' }, [], script);
  t.after(() => app.stop());
  assert.equal((await app.get('/items')).status, 200);
  await app.get('/flush');
  const root = receiver.spans.find((span) => span.kind === 2 && attribute(span, 'url.path') === '/items');
  assert.ok(root, 'the /items server span arrived');
  const queries = receiver.spans.filter((span) => span.kind === 3 && span.parentSpanId === root.spanId);
  assert.equal(queries.length, 3, 'the statement prepared at start, run 3 times in the first recorded request');
  for (const query of queries) assert.equal(attribute(query, 'db.operation.name'), 'SELECT');
});

test('an outbound HTTP call is a CLIENT span with url.full, its status and the app line; the callee continues nothing', async (t) => {
  const receiver = await startReceiver('ok');
  t.after(() => receiver.close());
  const app = await startApp({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, CULPRIT_SAMPLE_RATE: '1' });
  t.after(() => app.stop());
  assert.equal((await app.get('/summary')).body, '{"cards":2}');
  await app.get('/flush');
  const summary = receiver.spans.find((span) => span.kind === 2 && span.attributes['url.path'] === '/summary');
  assert.ok(summary, 'the /summary server span');
  const calls = receiver.spans.filter((span) => span.kind === 3 && span.parentSpanId === summary.spanId);
  assert.equal(calls.length, 1);
  const call = calls[0] as ReceivedSpan;
  assert.equal(call.name, 'GET /cards');
  assert.equal(attribute(call, 'http.request.method'), 'GET');
  assert.match(String(attribute(call, 'url.full')), /^http:\/\/127\.0\.0\.1:\d+\/cards\?limit=\?$/);
  assert.equal(attribute(call, 'server.address'), '127.0.0.1');
  assert.equal(attribute(call, 'http.response.status_code'), 200);
  assert.equal(attribute(call, 'code.line.number'), lineOf('await fetch('));
  // the callee (the same server) is its own trace: culprit does not inject headers into the app's calls
  assert.equal(receiver.spans.filter((span) => span.kind === 2 && span.attributes['url.path'] === '/cards').length, 1);
});

test("an outbound call through node:http's get, a named import of the app's ES module, is a CLIENT span at its line", async (t) => {
  // culprit/register wraps node:http when the app has loaded it (not at start): the named import follows the wrap
  const receiver = await startReceiver('ok');
  t.after(() => receiver.close());
  const app = await startApp({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, CULPRIT_SAMPLE_RATE: '1' });
  t.after(() => app.stop());
  assert.equal((await app.get('/summary-get')).body, '{"cards":2}');
  await app.get('/flush');
  const summary = receiver.spans.find((span) => span.kind === 2 && span.attributes['url.path'] === '/summary-get');
  assert.ok(summary, 'the /summary-get server span');
  const calls = receiver.spans.filter((span) => span.kind === 3 && span.parentSpanId === summary.spanId);
  assert.equal(calls.length, 1);
  assert.equal(attribute(calls[0] as ReceivedSpan, 'code.line.number'), lineOf('get(`http://127.0.0.1'));
});

test('a collector that is down, stuck or failing changes no response, blocks nothing and holds bounded memory', async (t) => {
  const down = `http://127.0.0.1:${await closedPort()}`;
  const stuck = await startReceiver('hang');
  const failing = await startReceiver('error500');
  t.after(() => Promise.all([stuck.close(), failing.close()]));
  const cases: Array<[string, string]> = [
    ['down', down],
    ['stuck', stuck.url],
    ['answering 500', failing.url],
  ];
  const expected = JSON.stringify(
    Array.from({ length: 20 }, (_, i) => ({ id: i + 1, title: `card ${i + 1}`, owner: `owner ${((i + 1) % 5) + 1}` })),
  );
  for (const [name, endpoint] of cases) {
    const app = await startApp(
      {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${endpoint}/v1/traces`,
        OTEL_EXPORTER_OTLP_TIMEOUT: '500',
        CULPRIT_SAMPLE_RATE: '1',
      },
      ['--expose-gc'],
    );
    try {
      const burst = async (n: number): Promise<void> => {
        for (let i = 0; i < n; i += 10) {
          const answers = await Promise.all(Array.from({ length: 10 }, () => app.get('/cards?limit=20')));
          for (const answer of answers) {
            assert.equal(answer.status, 200, name);
            assert.equal(answer.body, expected, name);
          }
        }
      };
      await burst(60);
      const before = JSON.parse((await app.get('/heap')).body) as { heapUsed: number };
      await burst(240);
      const afterBurst = JSON.parse((await app.get('/heap')).body) as { heapUsed: number };
      type Counts = {
        exportedSpans: number;
        droppedSpans: number;
        queuedSpans: number;
        pending: number;
        failures: Record<string, number>;
      };
      const during = JSON.parse((await app.get('/counts')).body) as Counts;
      assert.ok(
        during.queuedSpans <= senderLimits.maxQueuedSpans,
        `${name}: worker queue bounded (${during.queuedSpans})`,
      );
      // flush waits out what is in flight (a stuck collector: one timeout per batch)
      await app.get('/flush');
      const counts = JSON.parse((await app.get('/counts')).body) as Counts;
      assert.equal(counts.exportedSpans, 0, `${name}: nothing can have been exported`);
      assert.ok(counts.droppedSpans > 0, `${name}: spans dropped, not held: ${JSON.stringify(counts)}`);
      const kinds = Object.keys(counts.failures);
      const kind = name === 'down' ? 'network' : name === 'stuck' ? 'timeout' : 'http 500';
      assert.ok(kinds.includes(kind), `${name}: ${kind} failures counted, got ${kinds.join(', ')}`);
      const growth = afterBurst.heapUsed - before.heapUsed;
      assert.ok(growth < 4 * 1024 * 1024, `${name}: app heap grew ${growth} bytes over 240 requests`);
      assert.equal(app.stderr(), '', `${name}: the app's stderr stays quiet`);
    } finally {
      await app.stop();
    }
  }
});

// with `--require`, the app's `import … from 'culprit/register'` is the ES module entry, another module graph:
// it reaches the registration the CommonJS entry started (activation.ts), and starts none of its own
for (const preload of ['--import', '--require'] as const) {
  test(`${preload}: inert in a worker thread (the preload runs there too): only the main thread records`, async () => {
    // the worker inherits the preload; register's counts() says whether it started there
    const script = `
    import { Worker } from 'node:worker_threads';
    import { counts } from 'culprit/register';
    const inWorker = await new Promise((resolve, reject) => {
      const worker = new Worker("import('node:worker_threads').then(async (w) => w.parentPort.postMessage(String(await (await import('culprit/register')).counts())))", { eval: true });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    console.log(JSON.stringify({ main: (await counts()) !== undefined, worker: inWorker }));
  `;
    const child = spawn(process.execPath, [preload, 'culprit/register', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('.', `file://${fixture}`)),
      env: { PATH: process.env.PATH ?? '', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    children.delete(child);
    assert.equal(code, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), { main: true, worker: 'undefined' });
    // one registration: a second would warn of its own export worker or double the hooks' spans
    assert.equal(stderr, '');
  });
}
