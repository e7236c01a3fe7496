/**
 * What culprit/register's two entries share: `--import culprit/register` (index.ts, an ES module) and
 * `--require culprit/register` (require.ts, built as CommonJS). Each loads a module graph of its own, so
 * the registration is kept on a global: an app preloaded with one that imports the other for `flush()`
 * (or given the preload twice) reaches the registration already running, never starts a second one.
 */
import { onMainThread } from '../probe/main-thread.js';
import { SOCKET_ENV } from '../probe/protocol.js';
import type { LinkCounts } from './export-link.js';
import type { Registration } from './start.js';

const REGISTRATION = Symbol.for('culprit.register');
type Holder = { [REGISTRATION]?: Registration | null };
const holder = globalThis as Holder;

/**
 * Whether this entry should load ./start.js and register: not when an entry did already, not in worker
 * threads and not under culprit's own probe (CULPRIT_PROBE_SOCKET), which records everything itself:
 * there the rest of culprit/register is not even loaded.
 */
export function needsStart(): boolean {
  return !(REGISTRATION in holder) && !process.env[SOCKET_ENV] && onMainThread();
}

/** Registers with the loaded ./start.js (once per process: a failure to start is not retried). */
export function activate(start: { startRegistration(env: NodeJS.ProcessEnv): Registration | undefined }): void {
  if (REGISTRATION in holder) return;
  holder[REGISTRATION] = null;
  holder[REGISTRATION] = start.startRegistration(process.env) ?? null;
}

/** Resolves once every request recorded so far was exported or dropped (call it before a planned exit). */
export async function flush(): Promise<void> {
  await holder[REGISTRATION]?.flush();
}

/** What was recorded, exported and dropped so far; undefined when culprit/register is inactive. */
export async function counts(): Promise<LinkCounts | undefined> {
  return holder[REGISTRATION]?.counts();
}
