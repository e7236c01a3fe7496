// The breakpoint agent in a real child process (tsx, source maps), against an
// ORM-style fixture: Model constructed once per row, a serializer that loads
// the whole "table".
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { LogpointHit, StackCapture } from '../../capture/types.js';
import type { BreakpointEvent, SpecSummary } from './protocol.js';

const root = fileURLToPath(new URL('../../../../../', import.meta.url));
const fixture = 'fixtures/orm-model-loop/run-agent.ts';

interface Outcome {
  result?: { many: boolean; first: string };
  events?: BreakpointEvent[];
  summary?: SpecSummary[];
  error?: { code: string; message: string };
  msPerHit?: number;
}

function runFixture(input: { log?: string[]; when?: string[]; rows: number; noStop?: boolean }): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--enable-source-maps', fixture, JSON.stringify(input)],
      { cwd: root, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`fixture failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as Outcome);
      },
    );
  });
}

// The child runs are independent: start them together (each mostly waits on tsx start-up).
const constructorSpec = 'Model#constructor args[0].id, this.constructor.name';
const lineSpec = 'fixtures/orm-model-loop/queryset.ts:13 item.title';
const runs = {
  logpoints: runFixture({ log: [constructorSpec, lineSpec], rows: 250 }),
  when: runFixture({ when: ['Ephemeron#constructor args[0].id === 300'], rows: 400 }),
  unknownClass: runFixture({ log: ['Ephemron#constructor args[0]'], rows: 1 }),
  unknownFile: runFixture({ when: ['fixtures/orm-model-loop/querysets.ts:3 true'], rows: 1 }),
  noStop: runFixture({
    log: ['Model#constructor args[0].id'],
    when: ['Model#constructor args[0].id === 3'], // the --log's function too: one shared breakpoint
    rows: 5,
    noStop: true,
  }),
};
for (const run of Object.values(runs)) run.catch(() => undefined); // awaited (and reported) by their test

const logs = (outcome: Outcome): LogpointHit[] =>
  (outcome.events ?? []).flatMap((event) => (event.type === 'log' ? [event.hit] : []));
const stops = (outcome: Outcome): StackCapture[] =>
  (outcome.events ?? []).flatMap((event) => (event.type === 'stop' ? [event.capture] : []));

test('logpoints on a constructor and on a TypeScript line record every hit, and change nothing', async () => {
  const outcome = await runs.logpoints;
  assert.deepEqual(outcome.result, { many: true, first: 'card 1' });
  const hits = logs(outcome).filter((hit) => hit.spec === constructorSpec);
  assert.equal(hits.length, 250);
  assert.deepEqual(hits[41]?.values, ['42', 'Ephemeron']);
  assert.deepEqual(
    hits.map((hit) => Number(hit.values[0])),
    Array.from({ length: 250 }, (_, i) => i + 1),
  );
  assert.match(hits[0]?.location?.file ?? '', /fixtures\/orm-model-loop\/models\.ts$/);
  assert.equal(hits[0]?.location?.line, 9, 'the TypeScript line of the constructor');
  assert.equal(outcome.summary?.[0]?.hits, 250);
  const msPerHit = outcome.msPerHit ?? 0;
  assert.ok(msPerHit > 0.005 && msPerHit < 5, `a hit costs ${msPerHit} ms (calibrated at start)`);
  assert.equal(outcome.summary?.[0]?.overheadMs, 250 * msPerHit);
  // the TypeScript line is mapped to tsx's generated code
  const lineHits = logs(outcome).filter((hit) => hit.spec === lineSpec);
  assert.equal(lineHits.length, 250);
  assert.deepEqual(lineHits[29]?.values, ['card 30']);
  assert.equal(lineHits[0]?.location?.line, 13);
});

test('--when captures the stack where the condition first holds, with locals and code lines', async () => {
  const outcome = await runs.when;
  assert.deepEqual(outcome.result, { many: true, first: 'card 1' });
  const [capture] = stops(outcome);
  assert.ok(capture, 'one capture');
  assert.equal(stops(outcome).length, 1);
  assert.equal(capture.hitsBeforeMatch, 299);
  assert.ok((capture.overheadMs ?? 0) > 0);
  assert.equal(outcome.summary?.[0]?.hits, 300, 'the breakpoint was removed at the match');
  const names = capture.frames.map((frame) => frame.functionName);
  assert.deepEqual(names.slice(0, 3), ['Ephemeron', 'loadAll', 'getSerializer']);
  const [, loadAll, serializer] = capture.frames;
  assert.match(loadAll?.file ?? '', /queryset\.ts$/);
  assert.equal(loadAll?.line, 12);
  assert.equal(loadAll?.locals.row, '{id: 300, title: "card 300"}');
  assert.match(loadAll?.locals.built ?? '', /^Array\(299\) \[Ephemeron, /);
  assert.ok(loadAll?.snippet?.lines.includes('    const item = new Ephemeron(row);'));
  assert.equal(serializer?.line, 19);
  assert.match(serializer?.snippet?.lines.join('\n') ?? '', /leftover debug code/);
});

test('an unknown class or file is a coded error naming the closest ones', async () => {
  const byClass = await runs.unknownClass;
  assert.equal(byClass.error?.code, 'CULPRIT_E_UNKNOWN_LOG_TARGET');
  assert.match(byClass.error?.message ?? '', /no class named 'Ephemron'.*closest class names: Ephemeron/);
  const byFile = await runs.unknownFile;
  assert.equal(byFile.error?.code, 'CULPRIT_E_UNKNOWN_LOG_TARGET');
  assert.match(
    byFile.error?.message ?? '',
    /no loaded script has the file .*closest files: fixtures\/orm-model-loop\/queryset\.ts/,
  );
});

test('an app that ends with the agent still on exits as it would have', async () => {
  const outcome = await runs.noStop; // execFile rejects on a non-zero exit or a hang (timeout)
  assert.deepEqual(outcome.result, { many: true, first: 'card 1' });
  assert.equal(logs(outcome).length, 5, 'the logpoint kept counting after the --when matched');
  assert.deepEqual(
    stops(outcome)[0]
      ?.frames.slice(0, 3)
      .map((frame) => frame.functionName),
    ['Model', 'Ephemeron', 'loadAll'],
  );
});
