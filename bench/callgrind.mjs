// Instructions per operation under valgrind's callgrind, for benches whose
// CPU time is noise on a loaded machine: load moves time, not the count of
// instructions a process runs. A bench's child runs SMALL then LARGE
// operations after the same warm-up; (LARGE − SMALL) / (their difference)
// leaves start-up, warm-up and shutdown out. Shared by
// bench/queries/per-query.mjs and bench/network/remote-calls.mjs.
import { spawn, spawnSync } from 'node:child_process';

export const SMALL = 200;
export const LARGE = 700;

export function valgrindAvailable() {
  return spawnSync('valgrind', ['--version']).status === 0;
}

/** The line of a failed child's stderr that says why (an Error, a Node error code), else its last. */
export function failureLine(text) {
  const lines = String(text ?? 'failed')
    .trim()
    .split('\n');
  // the error's own line (`TypeError: fetch failed`, `… [ERR_…]`), not a source line quoted above it
  const named = lines.find((line) => /^\s*(\w*Error\b|Uncaught\b)|\bERR_\w+/.test(line));
  return (named ?? lines.find((line) => /Error/.test(line)) ?? lines.at(-1) ?? 'failed').trim();
}

/**
 * Instructions `node args…` ran (callgrind's "Collected" total); `outFile`
 * keeps callgrind's profile for callgrind_annotate (default: none).
 */
export function instructionsOf(args, { env = process.env, outFile = '/dev/null' } = {}) {
  const result = spawnSync(
    'valgrind',
    ['--tool=callgrind', `--callgrind-out-file=${outFile}`, process.execPath, ...args],
    { env, encoding: 'utf8', timeout: 1_200_000 },
  );
  const collected = /Collected : (\d+)/.exec(result.stderr ?? '');
  if (result.status !== 0 || !collected) throw new Error(failureLine(result.stderr ?? result.error));
  return Number(collected[1]);
}

/** Thousands of instructions per operation: `argsFor(count)` is the child's command line for `count` operations. */
export function thousandsPerOperation(argsFor, options, small = SMALL, large = LARGE) {
  const few = instructionsOf(argsFor(small), options);
  const many = instructionsOf(argsFor(large), options);
  return (many - few) / (large - small) / 1000;
}

/** instructionsOf in a process running beside the caller's others (runs may overlap: counts do not depend on load). */
export function instructionsOfAsync(args, { env = process.env, outFile = '/dev/null', prefix = [], cwd } = {}) {
  // `prefix` runs valgrind under another command (e.g. `setarch -R`, which fixes the address layout)
  const command = [
    ...prefix,
    'valgrind',
    '--tool=callgrind',
    `--callgrind-out-file=${outFile}`,
    process.execPath,
    ...args,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), {
      env,
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text) => {
      stderr += text;
    });
    child.once('error', reject);
    child.once('close', (status) => {
      const collected = /Collected : (\d+)/.exec(stderr);
      if (status !== 0 || !collected) reject(new Error(failureLine(stderr)));
      else resolve(Number(collected[1]));
    });
  });
}

/** Runs `tasks` (functions returning promises) at most `jobs` at a time; their results in order. */
export async function inParallel(tasks, jobs) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const at = next++;
      results[at] = await tasks[at]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
  return results;
}
