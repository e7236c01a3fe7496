#!/usr/bin/env node
// What `culprit/register` costs per request in instructions (valgrind's callgrind), which load does not
// move: on a shared machine the wall-clock bench (overhead.mjs) spreads more than the preload costs.
// The server runs under callgrind and answers SMALL, then (in another run) LARGE requests after the same
// start; (LARGE − SMALL) / (their difference) leaves start-up and shutdown out (bench/callgrind.mjs).
// Math.random is seeded (`--random-seed`), so the 10% sample is the same requests in every mode.
// Counts are the whole process's (the app's thread, and culprit's export worker) and the main thread's.
//   node bench/register/instructions.mjs [--app trivial|ephemera] [--small 300] [--large 1500] [--before DIR] [--jobs 2]
//     [--sample 0.1] [--max-per-second N] [--threads] [--keep DIR] [--single-threaded] [--steady]
// --single-threaded: V8 without its platform threads (GC and compilation on the main thread), whose share of
// the work otherwise moves by ±5% of a request between identical runs.
// --steady: bench/callgrind.mjs's STEADY flags (--single-threaded and a fixed young generation, fixed seeds) and
// its compilers' instructions left out (COMPILERS): the count is the code's execution, so runs of one build agree
// closely; a sampled request's tier-up and deoptimizations then count only by the slower code they run.
// --threads: the count of every thread (callgrind's numbering: 1 the main thread, then V8's platform workers
// in start order, the export worker among the last); --keep DIR: callgrind's files stay there for callgrind_annotate.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { COMPILERS, inParallel, STEADY, valgrindAvailable } from '../callgrind.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: {
    app: { type: 'string', default: 'trivial' },
    small: { type: 'string' },
    large: { type: 'string' },
    before: { type: 'string' },
    jobs: { type: 'string', default: '2' },
    items: { type: 'string', default: '10000' },
    sample: { type: 'string', default: '0.1' },
    'max-per-second': { type: 'string' },
    threads: { type: 'boolean', default: false },
    keep: { type: 'string' },
    'single-threaded': { type: 'boolean', default: false },
    steady: { type: 'boolean', default: false },
  },
});
if (!valgrindAvailable()) {
  console.log('valgrind is not installed: nothing measured');
  process.exit(0);
}
const trivial = values.app === 'trivial';
const small = Number(values.small ?? (trivial ? 300 : 60));
const large = Number(values.large ?? (trivial ? 1500 : 300));
const ephemera = join(root, 'packages/ephemera/dist/cli.js');
const db = join(root, `packages/ephemera/.data/bench-${values.items}.sqlite`);
if (!trivial && !existsSync(db)) throw new Error(`${db} missing: run bench/register/overhead.mjs once (it seeds it)`);
const paths = trivial
  ? ['/']
  : ['/api/ephemera/1337/?img=2&expand=~all', '/api/ephemera/?page_size=20', '/api/ephemera/42/'];
const command = trivial
  ? [fileURLToPath(new URL('trivial-server.mjs', import.meta.url))]
  : [ephemera, 'serve', '--port', '0', '--db', db];

// the collector: accepts everything at once
const sink = createServer((request, response) => {
  request.resume();
  request.on('end', () => response.writeHead(200).end());
});
await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
// under callgrind a server answers a few hundred requests a second, where the default limit (20 a second)
// leaves ~10% sampled; at production rates that share is far smaller. `--sample 0` prices the path of a
// request not sampled, `--sample 1 --max-per-second 0` that of a recorded one.
const env = {
  OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sink.address().port}`,
  CULPRIT_SAMPLE_RATE: values.sample,
  ...(values['max-per-second'] === undefined ? {} : { CULPRIT_SAMPLE_MAX_PER_SECOND: values['max-per-second'] }),
};
const modes = { plain: [], register: ['--import', 'culprit/register'] };
if (values.before)
  modes['register (before)'] = ['--import', pathToFileURL(join(values.before, 'dist/register/index.js')).href];

// a keep-alive socket the slowed server closes as it is reused: sent again on a new one
async function get(agent, port, path) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await getOnce(agent, port, path);
    } catch (error) {
      if (error.code !== 'ECONNRESET' || attempt >= 3) throw error;
    }
  }
}

function getOnce(agent, port, path) {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ agent, host: '127.0.0.1', port, path }, (response) => {
      response.resume();
      response.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Instructions of the server answering `count` requests (4 keep-alive connections), whole process and main thread. */
async function run(args, count) {
  const dir = mkdtempSync(join(tmpdir(), 'culprit-instructions-'));
  const out = join(dir, 'callgrind.out');
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--separate-threads=yes',
      `--callgrind-out-file=${out}`,
      ...(values.steady ? [...COMPILERS.map((name) => `--toggle-collect=${name}`), '--collect-atstart=yes'] : []),
      process.execPath,
      // STEADY's random seed is 1: the seeded sample is another set of requests than without --steady
      ...(values.steady ? STEADY : ['--random-seed=42']),
      ...(values['single-threaded'] && !values.steady ? ['--single-threaded'] : []),
      ...args,
      ...command,
    ],
    { cwd: root, env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const closed = new Promise((resolve) => child.once('close', resolve));
  const port = await new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const match = /listening on (\d+)|(?:127\.0\.0\.1|localhost):(\d+)/.exec(text);
      if (match) resolve(Number(match[1] ?? match[2]));
    });
    child.once('exit', () => reject(new Error(`server exited before listening: ${stderr.slice(-400)}`)));
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < count) await get(agent, port, paths[next++ % paths.length]);
    }),
  );
  agent.destroy();
  // the sampled requests' last batch goes to the worker and out (its send waits up to 1 s for companions)
  await new Promise((resolve) => setTimeout(resolve, 3000));
  child.kill('SIGTERM');
  await closed;
  const totals = {};
  for (const name of readdirSync(dir)) {
    const text = readFileSync(join(dir, name), 'utf8');
    const total = /^(?:totals|summary): (\d+)/m.exec(text);
    if (total) totals[name] = Number(total[1]);
  }
  if (values.keep) {
    const kept = join(values.keep, `${args.length === 0 ? 'plain' : args.at(-1).replace(/\W+/g, '_')}-${count}`);
    mkdirSync(kept, { recursive: true });
    cpSync(dir, kept, { recursive: true });
  }
  rmSync(dir, { recursive: true, force: true });
  const all = Object.values(totals).reduce((sum, n) => sum + n, 0);
  const main = Object.entries(totals).find(([name]) => /-0*1$/.test(name))?.[1] ?? Number.NaN;
  if (all === 0) throw new Error(`no callgrind totals: ${stderr.slice(-400)}`);
  // thread number (callgrind's file suffix) → instructions
  const byThread = Object.fromEntries(
    Object.entries(totals).map(([name, n]) => [Number(/-(\d+)$/.exec(name)?.[1]), n]),
  );
  return { all, main, byThread };
}

const tasks = [];
for (const [mode, args] of Object.entries(modes)) {
  for (const count of [small, large]) tasks.push(async () => ({ mode, count, ...(await run(args, count)) }));
}
const results = await inParallel(tasks, Number(values.jobs));
sink.close();

const per = {};
for (const mode of Object.keys(modes)) {
  const [few, many] = [small, large].map((count) => results.find((r) => r.mode === mode && r.count === count));
  per[mode] = {
    all: (many.all - few.all) / (large - small) / 1000,
    main: (many.main - few.main) / (large - small) / 1000,
  };
  if (values.threads) {
    const ids = [...new Set([...Object.keys(few.byThread), ...Object.keys(many.byThread)])].sort((a, b) => a - b);
    const cells = ids.map(
      (id) => `${id}: ${(((many.byThread[id] ?? 0) - (few.byThread[id] ?? 0)) / (large - small) / 1000).toFixed(1)}`,
    );
    console.log(`${mode} per thread (thousands per request) ${cells.join('  ')}`);
  }
}
const plain = per.plain;
console.log(
  `culprit/register, thousands of instructions per request (callgrind, ${values.app}, (${large} − ${small} requests), seeded sample ${values.sample}${values['single-threaded'] ? ', --single-threaded' : ''}${values.steady ? ', steady V8, compilers left out' : ''}${values['max-per-second'] === undefined ? '' : `, at most ${values['max-per-second']}/s`})`,
);
console.log(`${'mode'.padEnd(20)} ${'process'.padStart(9)}  ratio  ${'main thread'.padStart(11)}  ratio`);
for (const [mode, r] of Object.entries(per)) {
  console.log(
    `${mode.padEnd(20)} ${r.all.toFixed(1).padStart(9)}  ${(r.all / plain.all).toFixed(2)}×  ${r.main.toFixed(1).padStart(11)}  ${(r.main / plain.main).toFixed(2)}×`,
  );
}
