#!/usr/bin/env node
// What measure() (culprit/budget, in-process) adds to a request in a test:
// ephemera's story request through Fastify's inject, plain vs inside measure()
// (queries, HTTP calls, blocking: the default) vs measure({ constructions: true }).
// Each variant runs in its own fresh process (count-mode coverage, once on,
// stays on for the process), variants alternate over rounds so machine noise
// hits all alike; each process warms up, then times N requests one by one.
// Target (issue 12): measure() adds <= 2 ms per measured request (the default, without constructions).
// Needs `npm run build`. Usage: node bench/budget/measure-overhead.mjs [--rounds R] [--requests N] [--items N]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const root = new URL('../../', import.meta.url).pathname;
const STORY = '/api/ephemera/1337/?img=2&expand=~all&referrer=/ephemera/1337/';
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '200' },
    items: { type: 'string', default: '10000' },
    child: { type: 'string' },
    db: { type: 'string' },
  },
});

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

if (values.child) {
  // one variant in this process: prints the median ms per request as JSON
  const { buildApp } = await import(join(root, 'packages/ephemera/dist/build-app.js'));
  const { measure } = await import(join(root, 'packages/culprit/dist/budget/index.js'));
  const app = await buildApp({
    db: { kind: 'sqlite', file: values.db },
    incident: false,
    environment: 'production',
    logger: false,
  });
  const variants = {
    plain: () => app.inject(STORY),
    measure: () => measure(() => app.inject(STORY)),
    'measure + constructions': () => measure(() => app.inject(STORY), { constructions: true }),
  };
  const run = variants[values.child];
  for (let i = 0; i < 50; i++) await run(); // warm-up: JIT, caches, count mode switched on
  const times = [];
  for (let i = 0; i < Number(values.requests); i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  await app.close();
  process.stdout.write(JSON.stringify({ median: median(times) }));
  process.exit(0);
}

for (const file of ['packages/ephemera/dist/build-app.js', 'packages/culprit/dist/budget/index.js']) {
  if (!existsSync(join(root, file))) {
    process.stderr.write(`bench/budget: ${file} is missing; run \`npm run build\` first\n`);
    process.exit(2);
  }
}
const dataDir = join(root, 'packages/ephemera/.data');
mkdirSync(dataDir, { recursive: true });
const db = join(dataDir, `bench-${values.items}.sqlite`);
if (!existsSync(db)) {
  process.stderr.write(`seeding ${values.items} postcards into ${db}…\n`);
  execFileSync(process.execPath, [
    join(root, 'packages/ephemera/dist/cli.js'),
    'seed',
    '--count',
    values.items,
    '--db',
    db,
  ]);
}

const names = ['plain', 'measure', 'measure + constructions'];
const results = Object.fromEntries(names.map((n) => [n, []]));
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const name of names) {
    const out = spawnSync(
      process.execPath,
      [new URL(import.meta.url).pathname, '--child', name, '--db', db, '--requests', values.requests],
      {
        encoding: 'utf8',
      },
    );
    if (out.status !== 0) {
      process.stderr.write(out.stderr);
      process.exit(1);
    }
    results[name].push(JSON.parse(out.stdout).median);
  }
  process.stderr.write(`round ${round}/${values.rounds} done\n`);
}
const plain = median(results.plain);
console.log(
  `story request (${values.items} postcards), median ms per request over ${values.rounds} rounds × ${values.requests} requests`,
);
for (const name of names) {
  const ms = median(results[name]);
  const added = ms - plain;
  console.log(
    `${name.padEnd(28)} ${ms.toFixed(2).padStart(7)} ms  ${name === 'plain' ? '' : `+${added.toFixed(2)} ms (${(ms / plain).toFixed(2)}×)${added <= 2 ? '  ok (≤ 2 ms)' : '  OVER 2 ms'}`}`,
  );
}
