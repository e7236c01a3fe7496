// How to run each load generator and read its output. One entry per tool:
// the command line for a connection count and a duration (or a request
// count), and a parser from its stdout to { requests, rps, p50Ms }.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const culpritBin = `${root}packages/culprit/bin/culprit.js`;
const autocannonBin = `${root}node_modules/autocannon/autocannon.js`;

/** wrk prints `20.12ms`, `812.00us`, `1.20s`. */
function wrkTimeMs(text) {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!m) return Number.NaN;
  return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]];
}

export const tools = {
  culprit: {
    available: () => existsSync(`${root}packages/culprit/dist/cli/main.js`) || 'not built: run npm run build first',
    command: ({ url, connections, seconds, requests }) => [
      process.execPath,
      culpritBin,
      'bench',
      ...(requests ? ['-n', String(requests)] : ['-z', `${seconds}s`]),
      '-c',
      String(connections),
      '--json',
      url,
    ],
    parse(stdout) {
      const j = JSON.parse(stdout);
      return { requests: j.requests + j.errors, rps: j.rps, p50Ms: j.latencyMs.p50 };
    },
  },
  autocannon: {
    available: () => existsSync(autocannonBin) || 'not installed (npm ci installs it)',
    command: ({ url, connections, seconds }) => [
      process.execPath,
      autocannonBin,
      '-j',
      '-c',
      String(connections),
      '-d',
      String(seconds),
      url,
    ],
    parse(stdout) {
      const j = JSON.parse(stdout.trim().split('\n').at(-1));
      return { requests: j.requests.total + j.errors, rps: j.requests.total / j.duration, p50Ms: j.latency.p50 };
    },
  },
  wrk: {
    binary: 'wrk',
    available: () => onPath('wrk') || 'not installed (apt-get install -y wrk)',
    // One thread: the other clients here are single-threaded too.
    command: ({ url, connections, seconds }) => ['wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url],
    parse(stdout) {
      const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
      const p50 = /^\s+50%\s+(\S+)/m.exec(stdout)?.[1] ?? '';
      return { requests, rps, p50Ms: wrkTimeMs(p50) };
    },
  },
  hey: {
    available: () => onPath('hey') || 'not installed (apt-get install -y hey)',
    command: ({ url, connections, seconds }) => ['hey', '-z', `${seconds}s`, '-c', String(connections), url],
    parse(stdout) {
      const responses = [...stdout.matchAll(/\[\d+\]\s+(\d+) responses/g)].reduce((s, m) => s + Number(m[1]), 0);
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
      const p50 = Number(/50% in ([\d.]+) secs/.exec(stdout)?.[1]) * 1000;
      return { requests: responses, rps, p50Ms: p50 };
    },
  },
};

function onPath(name) {
  return (process.env.PATH ?? '').split(':').some((dir) => existsSync(`${dir}/${name}`));
}
