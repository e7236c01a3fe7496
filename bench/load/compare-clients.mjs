#!/usr/bin/env node
// One run that drives the same trivial server with culprit bench, autocannon,
// wrk and hey at the same connection count, and prints for each: requests/s
// and client CPU µs per request (user+sys of the client process ÷ requests).
// Then the 20 ms-server p50 (culprit vs wrk) and the memory check
// (peak RSS of culprit at 10,000 vs 1,000,000 requests).
//
//   npm run build && node bench/load/compare-clients.mjs [--seconds 5] [-c 50] [--rounds 3]
//                                                          [--mem-requests 1000000] [--skip-memory]
//
// Clients run in rotating order for --rounds rounds (the machine's noise hits
// every client alike) and the median per client is compared.
//
// Needs GNU time (/usr/bin/time); wrk and hey from Debian (apt-get install -y wrk hey) — missing peers are
// reported and skipped. Bounded: each client runs --seconds, the memory check stops at 1,000,000 requests.
import { parseArgs } from 'node:util';
import { haveGnuTime, measured, startServer } from './measure.mjs';
import { tools } from './tools.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    c: { type: 'string', default: '50' },
    'mem-requests': { type: 'string', default: '1000000' },
    'skip-memory': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.c);
const memRequests = Number(values['mem-requests']);
const rounds = Number(values.rounds);
if (!haveGnuTime) {
  console.error('compare-clients: needs GNU time at /usr/bin/time (apt-get install -y time)');
  process.exit(2);
}

const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs every available client `rounds` times in rotating order; returns name → list of results. */
async function rotate(names, options) {
  const runnable = names.filter((name) => {
    const available = tools[name].available();
    if (available !== true) console.log(`${name.padEnd(12)}  skipped: ${available}`);
    return available === true;
  });
  const results = Object.fromEntries(runnable.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < runnable.length; i++) {
      const name = runnable[(i + round) % runnable.length];
      const run = await measured(tools[name].command(options), { timeoutMs: (seconds + 30) * 1000 });
      const r = tools[name].parse(run.stdout);
      const row = { ...r, cpuUsPerReq: (run.cpuS * 1e6) / r.requests };
      results[name].push(row);
      options.onRun?.(name, round, row);
    }
  }
  return results;
}

async function throughput() {
  const server = await startServer(0);
  let results;
  try {
    console.log(
      `\n# Throughput: trivial server, c=${connections}, ${seconds}s per client, ${rounds} rounds (${server.url})\n`,
    );
    console.log('round client        requests      req/s   CPU µs/req');
    results = await rotate(Object.keys(tools), {
      url: server.url,
      connections,
      seconds,
      onRun: (name, round, r) =>
        console.log(
          `${String(round + 1).padStart(5)} ${name.padEnd(12)}  ${String(r.requests).padStart(8)}  ${fmt(r.rps).padStart(9)}  ${fmt(r.cpuUsPerReq).padStart(11)}`,
        ),
    });
  } finally {
    server.stop();
  }
  const rows = {};
  console.log('\nmedians      req/s   CPU µs/req');
  for (const [name, runs] of Object.entries(results)) {
    rows[name] = { rps: median(runs.map((r) => r.rps)), cpuUsPerReq: median(runs.map((r) => r.cpuUsPerReq)) };
    console.log(`${name.padEnd(10)}  ${fmt(rows[name].rps).padStart(9)}  ${fmt(rows[name].cpuUsPerReq).padStart(11)}`);
  }
  const c = rows.culprit;
  if (!c) return;
  console.log('\nTargets (ratios of medians in this run):');
  for (const [peer, limit, what] of [
    ['autocannon', 1, 'client CPU/request ≤ autocannon'],
    ['wrk', 2, 'client CPU/request ≤ 2× wrk'],
  ]) {
    const p = rows[peer];
    if (!p) continue;
    const ratio = c.cpuUsPerReq / p.cpuUsPerReq;
    console.log(`  ${what}: culprit/${peer} = ${fmt(ratio, 2)} ${ratio <= limit ? 'OK' : 'MISSED'}`);
  }
  if (rows.autocannon) {
    const ratio = c.rps / rows.autocannon.rps;
    console.log(
      `  req/s ≥ autocannon at c=${connections}: culprit/autocannon = ${fmt(ratio, 2)} ${ratio >= 1 ? 'OK' : 'MISSED'}`,
    );
  }
}

async function slowServerP50() {
  const delayMs = 20;
  const server = await startServer(delayMs);
  const c = 10;
  let results;
  try {
    console.log(`\n# Latency: server answers after ${delayMs} ms, c=${c}, ${seconds}s per client, ${rounds} rounds\n`);
    results = await rotate(['culprit', 'wrk'], {
      url: server.url,
      connections: c,
      seconds,
      onRun: (name, round, r) =>
        console.log(`${String(round + 1).padStart(5)} ${name.padEnd(12)}  p50 ${fmt(r.p50Ms, 3)} ms`),
    });
  } finally {
    server.stop();
  }
  if (results.culprit && results.wrk) {
    const a = median(results.culprit.map((r) => r.p50Ms));
    const b = median(results.wrk.map((r) => r.p50Ms));
    const diff = Math.abs(a - b);
    console.log(`  median p50: culprit ${fmt(a, 3)} ms, wrk ${fmt(b, 3)} ms`);
    console.log(`  target |p50 culprit − p50 wrk| ≤ 0.5 ms: ${fmt(diff, 3)} ms ${diff <= 0.5 ? 'OK' : 'MISSED'}`);
  }
}

async function memory() {
  const server = await startServer(0);
  try {
    console.log(
      `\n# Memory: peak RSS of culprit bench -c ${connections} at 10,000 vs ${memRequests.toLocaleString('en')} requests\n`,
    );
    const rss = {};
    for (const requests of [10_000, memRequests]) {
      const run = await measured(tools.culprit.command({ url: server.url, connections, requests }), {
        timeoutMs: 600_000,
      });
      const r = tools.culprit.parse(run.stdout);
      rss[requests] = run.maxRssKb;
      console.log(`  -n ${String(requests).padStart(8)}: ${r.requests} done, peak RSS ${fmt(run.maxRssKb / 1024)} MB`);
    }
    const growth = rss[memRequests] / rss[10_000];
    console.log(`  RSS ratio ${fmt(growth, 2)} (flat = about 1; a per-request array would add ≥ 8 MB per million)`);
  } finally {
    server.stop();
  }
}

await throughput();
await slowServerP50();
if (!values['skip-memory']) await memory();
