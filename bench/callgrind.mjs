// Instructions per operation under valgrind's callgrind, for benches whose
// CPU time is noise on a loaded machine: load moves time, not the count of
// instructions a process runs. A bench's child runs SMALL then LARGE
// operations after the same warm-up; (LARGE − SMALL) / (their difference)
// leaves start-up, warm-up and shutdown out. Shared by
// bench/queries/per-query.mjs and bench/network/remote-calls.mjs.
import { spawn, spawnSync } from 'node:child_process';

export const SMALL = 200;
export const LARGE = 700;

/**
 * V8 flags for a per-operation child under valgrind, so that a run's count depends on what it executes,
 * not on the clock or on where the run ends (perop8, bench/network/README.md):
 * - one thread and no memory reducer: no GC or compile work scheduled by the clock or raced by threads;
 * - --expose-gc: the child ends the start-up's full GC after its warm-up;
 * - a young generation of a fixed size (16 MB semi-spaces, Node 24's grows from 1 MB to 64 MB by survival
 *   rates): scavenges come every so many bytes allocated, in proportion to the operations;
 * - an old generation whose first limit (512 MB) the measured operations never reach: no mark-compact
 *   starts inside them. One costs 30–60M instructions, 25–50k per operation of a 1 200-operation
 *   difference, and whether a run ended just before or just after one made got's recording read +124k
 *   or +205k for one build. What the operations promote is left out with it (the scavenges are counted);
 * - fixed hash and random seeds: hash tables collide alike in every run.
 */
export const STEADY = [
  '--single-threaded',
  '--no-memory-reducer',
  '--expose-gc',
  '--min-semi-space-size=16',
  '--max-semi-space-size=16',
  '--initial-old-space-size=512',
  '--hash-seed=1',
  '--random-seed=1',
];

/**
 * Functions whose instructions callgrind leaves out (`--toggle-collect`: collection off while one runs):
 * V8's compilers, entered from these runtime calls only (none calls another, a nested toggle would turn
 * collection back on). Under --single-threaded a function is compiled on the main thread the moment its
 * budget runs out: Maglev and TurboFan kept compiling through 6 000 operations of got or node-redis (a
 * TurboFan job costs millions of instructions), so a 1 200-operation difference held a different handful
 * of compiles in every run. Compiling is a one-time cost, not an operation's: the counts are the code's
 * execution, at whatever tier it had reached.
 */
export const COMPILERS = [
  'v8::internal::Runtime_CompileLazy(*',
  // Node 20's V8 (11.3) enters TurboFan here; Node 22/24's through the two Optimize* entries below
  'v8::internal::Runtime_CompileOptimized(*',
  'v8::internal::Runtime_OptimizeMaglevEager(*',
  'v8::internal::Runtime_OptimizeTurbofanEager(*',
  'v8::internal::Runtime_CompileOptimizedOSR*',
  'v8::internal::baseline::BaselineBatchCompiler::CompileBatch(*',
];

/** `setarch -R` where it works: the same address layout in every run (V8's heap and the C++ hash tables keyed by address). */
export const NO_RANDOM_LAYOUT = spawnSync('setarch', ['-R', 'true']).status === 0 ? ['setarch', '-R'] : [];

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
export function instructionsOfAsync(
  args,
  { env = process.env, outFile = '/dev/null', prefix = [], cwd, leaveOut = [], node = process.execPath } = {},
) {
  // `prefix` runs valgrind under another command (e.g. `setarch -R`, which fixes the address layout);
  // `leaveOut`: functions whose instructions are not collected (COMPILERS); `node`: another Node binary
  const command = [
    ...prefix,
    'valgrind',
    '--tool=callgrind',
    `--callgrind-out-file=${outFile}`,
    ...leaveOut.map((name) => `--toggle-collect=${name}`),
    // a --toggle-collect sets collection off at the start unless this follows it
    ...(leaveOut.length > 0 ? ['--collect-atstart=yes'] : []),
    node,
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
