/**
 * Private temporary directories of this CLI process (the probe socket lives in
 * one): created 0700 so no other local user can reach what is inside, and
 * removed on every exit path: close, process exit, SIGTERM, SIGHUP, a SIGINT
 * nobody else handles. A run killed with SIGKILL cannot clean up, so every new
 * directory first sweeps the leftovers of dead culprit processes of this user.
 */
import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `culprit-<pid>-XXXXXX` (directories), and the sockets older versions left in the temp dir. */
const LEFTOVER = /^culprit-(\d+)-[A-Za-z0-9]+(\.sock)?$/;

const live = new Set<string>();

function removeAll(): void {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
  live.clear();
}

/**
 * SIGTERM and SIGHUP end the process (process-group.ts re-raises them after
 * killing the target), so the directories go first. SIGINT is left to its
 * owner when there is one (`main` stops the run and exits normally, which
 * removes them); alone, we clean up and let the signal kill as it would have.
 */
function onSignal(signal: NodeJS.Signals): void {
  const others = process.listenerCount(signal) - 1;
  if (signal === 'SIGINT' && others > 0) return;
  removeAll();
  uninstall();
  if (others === 0) process.kill(process.pid, signal);
}

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', removeAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', removeAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid is alive and someone else's; only ESRCH says it is gone
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Removes what killed culprit runs of this user left in `parent`; returns how many entries went. */
export function sweepLeftovers(parent = tmpdir()): number {
  const uid = process.getuid?.();
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return 0; // no temp dir to sweep: nothing was left there either
  }
  for (const name of names) {
    const match = LEFTOVER.exec(name);
    if (!match || Number(match[1]) === process.pid || alive(Number(match[1]))) continue;
    const path = join(parent, name);
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!stat || stat.isSymbolicLink() || (uid !== undefined && stat.uid !== uid)) continue;
    rmSync(path, { recursive: true, force: true });
    removed++;
  }
  return removed;
}

/** A fresh 0700 directory under the temp dir, removed on exit unless `removePrivateDir` did it first. */
export function makePrivateDir(parent = tmpdir()): string {
  sweepLeftovers(parent);
  const dir = mkdtempSync(join(parent, `culprit-${process.pid}-`));
  chmodSync(dir, 0o700); // mkdtemp makes it 0700 already; stated so no umask or platform can widen it
  live.add(dir);
  install();
  return dir;
}

/** Removes a directory made by `makePrivateDir` (idempotent). */
export function removePrivateDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
  if (live.size === 0) uninstall();
}
