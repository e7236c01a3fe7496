// Core pinning for the probe benches: the server on one core, the load and
// the CLI on the other (Linux `taskset`; without it nothing is pinned and
// the benches say so).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const canPin = spawnSync('taskset', ['-V']).status === 0;

/** `command` prefixed to run on `core`. */
export function onCore(core, command) {
  return canPin ? ['taskset', '-c', String(core), ...command] : command;
}

/** Re-runs this script on `core` unless it already runs pinned (the load side). */
export function pinSelf(core) {
  if (!canPin || process.env.CULPRIT_BENCH_PINNED) return;
  const result = spawnSync('taskset', ['-c', String(core), process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, CULPRIT_BENCH_PINNED: '1' },
  });
  process.exit(result.status ?? 1);
}

/** Descendant pids of `pid` (Linux /proc). */
export function descendants(pid) {
  const out = [];
  const walk = (at) => {
    let children = [];
    try {
      children = readFileSync(`/proc/${at}/task/${at}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    } catch {
      return;
    }
    for (const child of children) {
      out.push(Number(child));
      walk(child);
    }
  };
  walk(pid);
  return out;
}

/** Moves every thread of `pid` to `core`. */
export function pinPid(pid, core) {
  if (canPin) spawnSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
}

/** CPU time (user + system, ms) a process used so far, from /proc/<pid>/stat. */
export function processCpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}
