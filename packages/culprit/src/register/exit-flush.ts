/**
 * Sends what `culprit/register` still holds when the app ends, so the last
 * requests before a deploy or a scale-down reach the collector: on a normal
 * exit (the event loop drained, or `process.exit()`) and on SIGTERM. Bounded:
 * the app's thread waits at most `timeoutMs` (about a second) for the export
 * worker, then exits anyway; nothing here throws.
 *
 * SIGTERM: a listener replaces Node's default (die at once), so culprit's
 * listener only acts when it is the sole one: it flushes, removes itself and
 * raises SIGTERM again, and the process dies of it as it would have. When the
 * app listens for SIGTERM too, the app decides how to end, and the 'exit'
 * listener flushes when it does.
 */
import { noteFault } from '../probe/faults.js';

export interface SyncFlusher {
  flushSync(timeoutMs: number): boolean;
}

export function flushOnExit(link: SyncFlusher, timeoutMs: number): void {
  let flushed = false;
  const flush = (): void => {
    if (flushed) return;
    flushed = true;
    try {
      link.flushSync(timeoutMs);
    } catch (error) {
      noteFault('register exit flush', error);
    }
  };
  const onSigterm = (): void => {
    if (process.listenerCount('SIGTERM') > 1) return; // the app's own listener ends the process
    flush();
    process.removeListener('SIGTERM', onSigterm);
    process.kill(process.pid, 'SIGTERM');
  };
  process.on('exit', flush);
  process.on('SIGTERM', onSigterm);
}
