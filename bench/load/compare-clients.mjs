#!/usr/bin/env node
// One run that drives the same trivial server with culprit bench, autocannon,
// wrk and hey at the same connection count, and prints for each: requests/s
// and client CPU µs per request (user+sys of the client process ÷ requests).
// Then the 20 ms-server p50 (culprit vs wrk) and the memory check
// (peak RSS of culprit at 10,000 vs 1,000,000 requests).
//
//   npm run build && node bench/load/compare-clients.mjs [--seconds 5] [-c 50] [--mem-requests 1000000] [--skip-memory]
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
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.c);
const memRequests = Number(values['mem-requests']);
if (!haveGnuTime) {
  console.error('compare-clients: needs GNU time at /usr/bin/time (apt-get install -y time)');
  process.exit(2);
}

const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

async function throughput() {
  const server = await startServer(0);
  const rows = {};
  try {
    console.log(`\n# Throughput: trivial server, c=${connections}, ${seconds}s per client (${server.url})\n`);
    console.log('client        requests      req/s   CPU µs/req');
    for (const [name, tool] of Object.entries(tools)) {
      const available = tool.available();
      if (available !== true) {
        console.log(`${name.padEnd(12)}  skipped: ${available}`);
        continue;
      }
      const run = await measured(tool.command({ url: server.url, connections, seconds }), {
        timeoutMs: (seconds + 30) * 1000,
      });
      const r = tool.parse(run.stdout);
      rows[name] = { ...r, cpuUsPerReq: (run.cpuS * 1e6) / r.requests };
      console.log(
        `${name.padEnd(12)}  ${String(r.requests).padStart(8)}  ${fmt(r.rps).padStart(9)}  ${fmt(rows[name].cpuUsPerReq).padStart(11)}`,
      );
    }
  } finally {
    server.stop();
  }
  const c = rows.culprit;
  if (!c) return;
  console.log('\nTargets (ratios in this run):');
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
  try {
    console.log(`\n# Latency: server answers after ${delayMs} ms, c=${c}, ${seconds}s per client\n`);
    const p50 = {};
    for (const name of ['culprit', 'wrk']) {
      const available = tools[name].available();
      if (available !== true) {
        console.log(`${name.padEnd(12)}  skipped: ${available}`);
        continue;
      }
      const run = await measured(tools[name].command({ url: server.url, connections: c, seconds }), {
        timeoutMs: (seconds + 30) * 1000,
      });
      p50[name] = tools[name].parse(run.stdout).p50Ms;
      console.log(`${name.padEnd(12)}  p50 ${fmt(p50[name], 3)} ms`);
    }
    if (p50.culprit !== undefined && p50.wrk !== undefined) {
      const diff = Math.abs(p50.culprit - p50.wrk);
      console.log(`  target |p50 culprit − p50 wrk| ≤ 0.5 ms: ${fmt(diff, 3)} ms ${diff <= 0.5 ? 'OK' : 'MISSED'}`);
    }
  } finally {
    server.stop();
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
