/**
 * The target runs in its own process group so that everything it starts
 * (npm → sh → node, tsx's child) stops together. Groups still alive when the
 * CLI exits, or is told to terminate, are killed: no orphan servers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';

const live = new Set<number>();
const TAIL_LINES = 20;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone, which is what we want
  }
}

function groupExists(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until no process of the group is left (killed members take a moment to be reaped). */
async function groupGone(pid: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (groupExists(pid) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
}

function onExit(): void {
  for (const pid of live) killGroup(pid, 'SIGKILL');
}

function onTerminate(signal: NodeJS.Signals): void {
  onExit();
  process.off('SIGTERM', onTerminate);
  process.off('SIGHUP', onTerminate);
  process.kill(process.pid, signal);
}

export interface GroupProcess {
  child: ChildProcess;
  /** The last lines the process wrote to stderr (for "exited before listening"). */
  stderrTail(): string[];
  /** Resolves with the exit code (or 128 + signal) once the leader exits. */
  exited: Promise<number>;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the leader is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns `argv` as the leader of a new process group with the given environment. */
export function spawnGroup(
  argv: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; echo?: NodeJS.WritableStream },
): GroupProcess {
  const [file, ...args] = argv;
  if (!file) throw new Error('empty command');
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  let partial = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    options.echo?.write(chunk);
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    tail.push(...lines);
    if (tail.length > TAIL_LINES) tail.splice(0, tail.length - TAIL_LINES);
  });
  child.stdout?.resume(); // the server's own output is not ours to print; drain it so it never blocks
  const pid = child.pid;
  if (pid !== undefined) {
    if (live.size === 0) {
      process.on('exit', onExit);
      process.on('SIGTERM', onTerminate);
      process.on('SIGHUP', onTerminate);
    }
    live.add(pid);
  }
  const exited = new Promise<number>((resolve) => {
    child.once('error', () => resolve(127));
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
  });
  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 2000): Promise<void> => {
    stopping ??= (async () => {
      if (pid === undefined) return;
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      killGroup(pid, 'SIGKILL'); // children that outlived the leader
      await groupGone(pid, graceMs);
      live.delete(pid);
      if (live.size === 0) {
        process.off('exit', onExit);
        process.off('SIGTERM', onTerminate);
        process.off('SIGHUP', onTerminate);
      }
    })();
    return stopping;
  };
  return {
    child,
    exited,
    stop,
    stderrTail: () => (partial ? [...tail, partial].slice(-TAIL_LINES) : [...tail]),
  };
}

function signalNumber(signal: NodeJS.Signals): number {
  return constants.signals[signal] ?? 0;
}
