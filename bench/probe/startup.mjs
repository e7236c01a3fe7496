// What a Node process pays at its start for culprit (issues 13 and 15), three ways side by side:
// plain, `--import culprit/register` (production; `--require`, its CommonJS build, as `register -r`), and the command-mode probe preload (NODE_OPTIONS
// `--require <probe>` (`--import` for a build before the sixth pass) with culprit's socket variable set, as in a target's tree).
// Two programs each: `-e` (a process of the tree that never serves: npm, a build step, a script) and
// the trivial server started until it listens and closes again (everything it started finishes: the
// probe's server side loads and tries culprit's socket, which is absent here). Instructions are
// callgrind's (load does not move them; `setarch -R` and `--random-seed` make them repeat); wall and
// CPU milliseconds are interleaved runs, medians. NODE_EXTRA_CA_CERTS is left out of every run: on
// Node 20 it parses the whole CA file at start (~400 M instructions on this machine), for all modes.
// culprit's code cache is warm for the callgrind runs (made by the timed runs, or a run of each before);
// `CULPRIT_CODE_CACHE=0 node bench/probe/idle.mjs …` measures every start compiling culprit's files.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inParallel, instructionsOfAsync, valgrindAvailable } from '../callgrind.mjs';
import { probePreloadOption } from './preload.mjs';

// the server runs from a folder of its own: in this repository every hooked package is installed, and
// culprit/register resolves `hono` from the app's folder at start (and imports its Context) when it is there
const server = join(mkdtempSync(join(tmpdir(), 'culprit-startup-')), 'trivial-server.mjs');
copyFileSync(fileURLToPath(new URL('../register/trivial-server.mjs', import.meta.url)), server);
// the process's CPU (all threads) as it exits: its start, since it does nothing else
const cpuAtExit =
  'process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("cpu-ms "+(u.user+u.system)/1000+"\\n")})';
const programs = {
  '-e (never serves)': ['-e', cpuAtExit],
  'trivial server': [server],
};

function modesFor(culprit) {
  const { OTEL_EXPORTER_OTLP_ENDPOINT: _, NODE_EXTRA_CA_CERTS: __, NODE_OPTIONS: ___, ...base } = process.env;
  const register = pathToFileURL(join(culprit, 'dist/register/index.js')).href;
  return {
    plain: { args: [], env: base },
    register: {
      args: ['--import', register],
      // a port nothing listens on: nothing is exported at start either way
      env: { ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
    },
    // `--require culprit/register` (its CommonJS build), where the build has one
    ...(existsSync(join(culprit, 'dist/register/require.cjs'))
      ? {
          'register -r': {
            args: ['--require', join(culprit, 'dist/register/require.cjs')],
            env: { ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
          },
        }
      : {}),
    probe: {
      args: [],
      env: {
        ...base,
        NODE_OPTIONS: probePreloadOption(culprit),
        CULPRIT_PROBE_SOCKET: join(fileURLToPath(new URL('.', import.meta.url)), 'no-such.sock'),
      },
    },
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const signed = (value, digits) => `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
const norandom = spawnSync('setarch', ['-R', 'true']).status === 0;

function commandOf(mode, program) {
  const node = [process.execPath, '--random-seed=1', ...mode.args, ...program];
  return norandom ? ['setarch', '-R', ...node] : node;
}

/** Wall ms from spawn to exit and the CPU ms the process reports at its exit. */
function timeOnce(mode, program, onCore) {
  const command = onCore(commandOf(mode, program));
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command[0], command.slice(1), {
      env: { ...mode.env, PORT: '0', CULPRIT_CLOSE_ON_LISTEN: '1' },
      cwd: dirname(server),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text) => {
      stderr += text;
    });
    child.once('error', reject);
    child.once('close', (status) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const cpu = /cpu-ms ([\d.]+)/.exec(stderr);
      if (status !== 0 || !cpu) reject(new Error(`${command.join(' ')}: ${stderr.slice(-400)}`));
      else resolve({ wallMs, cpuMs: Number(cpu[1]) });
    });
  });
}

/**
 * Start-up of every mode × program: `starts` interleaved timed runs each, and (unless `instructions`
 * is false or valgrind is missing) one callgrind count each. Prints a table; returns the figures.
 */
export async function measureStartup({ culprit, starts, instructions = true, onCore = (c) => c, log = () => {} }) {
  const modes = modesFor(culprit);
  const times = {};
  for (let i = 0; i < starts; i++) {
    for (const [programName, program] of Object.entries(programs)) {
      for (const [modeName, mode] of Object.entries(modes)) {
        const key = `${programName}|${modeName}`;
        times[key] ??= [];
        times[key].push(await timeOnce(mode, program, onCore));
      }
    }
  }
  const counts = {};
  if (instructions && valgrindAvailable()) {
    // culprit's code cache (packages/culprit/src/probe/code-cache.ts) is made by a process's first start with
    // these flags: the timed runs make it, else one run each does (CULPRIT_CODE_CACHE=0: every run compiles)
    if (starts === 0) {
      for (const [programName, program] of Object.entries(programs)) {
        for (const mode of Object.values(modes)) await timeOnce(mode, program, onCore).catch(() => undefined);
        log(`warmed: ${programName}`);
      }
    }
    const tasks = [];
    for (const [programName, program] of Object.entries(programs)) {
      for (const [modeName, mode] of Object.entries(modes)) {
        tasks.push(async () => {
          const command = commandOf(mode, program);
          const args = norandom ? command.slice(3) : command.slice(1);
          counts[`${programName}|${modeName}`] = await instructionsOfAsync(args, {
            env: { ...mode.env, PORT: '0', CULPRIT_CLOSE_ON_LISTEN: '1' },
            prefix: norandom ? ['setarch', '-R'] : [],
            cwd: dirname(server),
          });
          log(`callgrind: ${programName}, ${modeName} done`);
        });
      }
    }
    await inParallel(tasks, 2);
  }
  console.log(
    `start-up per process (Node ${process.versions.node}; ${starts} interleaved runs each, medians${Object.keys(counts).length ? '; instructions: callgrind, whole process' : ''})`,
  );
  console.log(
    `${'program'.padEnd(20)} ${'mode'.padEnd(11)} ${'instructions'.padStart(13)} ${'added'.padStart(9)} ${'wall ms'.padStart(8)} ${'added'.padStart(7)} ${'CPU ms'.padStart(7)} ${'added'.padStart(7)}`,
  );
  const rows = [];
  for (const programName of Object.keys(programs)) {
    const base = `${programName}|plain`;
    for (const modeName of Object.keys(modes)) {
      const key = `${programName}|${modeName}`;
      const wall = median(times[key].map((t) => t.wallMs));
      const cpu = median(times[key].map((t) => t.cpuMs));
      const added = (value, baseline) => (modeName === 'plain' ? '' : signed(value - baseline, 1));
      const count = counts[key];
      const row = { program: programName, mode: modeName, instructions: count, wallMs: wall, cpuMs: cpu };
      rows.push(row);
      console.log(
        `${programName.padEnd(20)} ${modeName.padEnd(11)} ${(count === undefined ? '-' : `${(count / 1e6).toFixed(1)} M`).padStart(13)} ${(count === undefined || modeName === 'plain' ? '' : `${signed((count - counts[base]) / 1e6, 1)} M`).padStart(9)} ${wall.toFixed(1).padStart(8)} ${added(wall, median(times[base].map((t) => t.wallMs))).padStart(7)} ${cpu.toFixed(1).padStart(7)} ${added(cpu, median(times[base].map((t) => t.cpuMs))).padStart(7)}`,
      );
    }
  }
  return rows;
}
