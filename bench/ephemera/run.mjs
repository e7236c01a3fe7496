#!/usr/bin/env node
// Checks ephemera's performance targets (issue 3) as ratios, in one run:
//   1. clean code: the story's request p50 at 1,000,000 items ≤ 1.2 × its p50 at 10,000;
//   2. incident on: the same request at 100,000 items ≥ 3 × slower than clean;
//   3. a surname search at 100,000 items: p50 ≤ 20 ms.
// Archives are seeded once into packages/ephemera/.data/bench-N.sqlite and reused.
// Servers run as real processes (`ephemera serve --port 0`); load is sent with
// `culprit bench` (one connection, like the story's `hey -c 1`), alternating
// between the servers being compared so machine noise hits both alike.
// Needs `npm run build`. Usage: node bench/ephemera/run.mjs [--big N] [--rounds R] [--json]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = new URL('../../', import.meta.url).pathname;
const ephemera = join(root, 'packages/ephemera/dist/cli.js');
const culprit = join(root, 'packages/culprit/bin/culprit.js');
const STORY = '/api/ephemera/13373/?img=2&expand=~all';
// A 10,000-item archive has no item 13373: target 1 fetches the same item, 1337, at both sizes.
const STORY_SMALL = '/api/ephemera/1337/?img=2&expand=~all';
const SEARCH = '/api/ephemera/?q=Ashworth';

const { values } = parseArgs({
  options: {
    big: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
});
const big = Number(values.big);
const rounds = Number(values.rounds);
const log = (line) => process.stderr.write(`${line}\n`);

for (const file of [ephemera, culprit]) {
  if (!existsSync(file)) {
    log(`bench/ephemera: ${file} is missing; run \`npm run build\` first`);
    process.exit(2);
  }
}

/** Seeds an archive of `count` items unless a complete one is there; returns its path and seed time. */
function archive(count) {
  const file = join(root, `packages/ephemera/.data/bench-${count}.sqlite`);
  if (existsSync(file) && existsSync(`${file}.done`)) return { file, seedSeconds: null };
  log(`seeding ${count.toLocaleString('en-US')} items into ${file} …`);
  const started = performance.now();
  const result = spawnSync(process.execPath, [ephemera, 'seed', '--count', String(count), '--db', file], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`seeding ${count} failed (exit ${result.status})`);
  spawnSync('touch', [`${file}.done`]);
  return { file, seedSeconds: (performance.now() - started) / 1000 };
}

/** Starts `ephemera serve --port 0` and resolves with its address once it prints it. */
function serve(file, incident) {
  const args = [ephemera, 'serve', '--port', '0', '--db', file, ...(incident ? ['--incident'] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const address = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (address) resolve({ address, stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`ephemera serve exited (${code}) before listening`)));
  });
}

/** p50 in ms of `n` sequential requests, measured by `culprit bench`. */
function p50(url, n, warmup) {
  const result = spawnSync(
    process.execPath,
    [culprit, 'bench', '-n', String(n), '-c', '1', '--warmup', String(warmup), '--json', url],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (result.status !== 0) throw new Error(`culprit bench failed: ${result.stderr}`);
  const report = JSON.parse(result.stdout);
  if (report.errors > 0 || !report.statusCodes['200']) throw new Error(`errors while benching ${url}`);
  return report.latencyMs.p50;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Alternates rounds between servers; each server's figure is the median of its round p50s. */
function compare(servers, path, n, warmup) {
  const perRound = servers.map(() => []);
  for (let round = 0; round < rounds; round++) {
    servers.forEach((server, i) => {
      perRound[i].push(p50(server.address + path, n, round === 0 ? warmup : 2));
    });
    log(`  round ${round + 1}/${rounds}: ${perRound.map((r) => `${r.at(-1).toFixed(2)} ms`).join(' vs ')}`);
  }
  return perRound.map(median);
}

const small = archive(10_000);
const mid = archive(100_000);
const large = archive(big);
const figures = { seedSeconds: { 10000: small.seedSeconds, 100000: mid.seedSeconds, [big]: large.seedSeconds } };

log(`target 1: clean p50 at ${big.toLocaleString('en-US')} vs 10,000 items`);
{
  const servers = [await serve(small.file, false), await serve(large.file, false)];
  try {
    const [p10k, pBig] = compare(servers, STORY_SMALL, 40, 20);
    figures.clean = { p50At10k: p10k, p50AtBig: pBig, ratio: pBig / p10k, target: '≤ 1.2' };
  } finally {
    for (const s of servers) s.stop();
  }
}

log('target 2 and 3: incident vs clean, and surname search, at 100,000 items');
{
  const servers = [await serve(mid.file, false), await serve(mid.file, true)];
  try {
    const clean = [];
    const incident = [];
    for (let round = 0; round < Math.min(rounds, 3); round++) {
      clean.push(p50(servers[0].address + STORY, 20, 5));
      incident.push(p50(servers[1].address + STORY, 3, 1));
      log(`  round ${round + 1}: clean ${clean.at(-1).toFixed(2)} ms, incident ${incident.at(-1).toFixed(1)} ms`);
    }
    figures.incident = {
      cleanP50: median(clean),
      incidentP50: median(incident),
      ratio: median(incident) / median(clean),
      target: '≥ 3',
    };
    const search = [];
    for (let round = 0; round < rounds; round++) search.push(p50(servers[0].address + SEARCH, 40, 10));
    figures.search = { p50: median(search), target: '≤ 20 ms' };
  } finally {
    for (const s of servers) s.stop();
  }
}

const checks = [
  ['clean p50 ratio (1M / 10k)', figures.clean.ratio, figures.clean.ratio <= 1.2],
  ['incident / clean at 100k', figures.incident.ratio, figures.incident.ratio >= 3],
  ['surname search p50 at 100k (ms)', figures.search.p50, figures.search.p50 <= 20],
];
if (values.json) process.stdout.write(`${JSON.stringify({ big, rounds, figures }, null, 2)}\n`);
else {
  const ms = (x) => `${x.toFixed(2)} ms`;
  const lines = [
    `clean story request p50: ${ms(figures.clean.p50At10k)} at 10,000, ${ms(figures.clean.p50AtBig)} at ${big.toLocaleString('en-US')}`,
    `incident at 100,000: ${ms(figures.incident.incidentP50)} vs clean ${ms(figures.incident.cleanP50)}`,
    `surname search at 100,000: ${ms(figures.search.p50)}`,
    ...checks.map(([name, value, ok]) => `${ok ? 'PASS' : 'FAIL'}  ${name}: ${value.toFixed(2)}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
process.exitCode = checks.every(([, , ok]) => ok) ? 0 : 1;
