/**
 * Waiting for a target to become usable, against its exit, a timeout and
 * Ctrl-C, with errors a user can act on.
 */
import { CulpritError } from '../errors/culprit-error.js';
import type { GroupProcess } from './process-group.js';

export interface ReadyWait<T> {
  /** Resolves with the target once ready; rejects with a coded error otherwise. */
  until: (resolve: (value: T) => void, reject: (error: Error) => void) => void;
  group: GroupProcess;
  what: string;
  /** What "ready" means, for the timeout message (e.g. "no server listening on a TCP port"). */
  readiness: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Races readiness against exit, timeout and abort; stops the group on failure. */
export async function waitReady<T>(wait: ReadyWait<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await new Promise<T>((resolve, reject) => {
      wait.until(resolve, reject);
      void wait.group.exited.then((code) => {
        const tail = wait.group.stderrTail();
        const stderr = tail.length ? `; its last stderr lines:\n${tail.join('\n')}` : '; it wrote nothing to stderr';
        reject(
          new CulpritError(
            'CULPRIT_E_TARGET_EXITED',
            `${wait.what} exited with code ${code} before it was ready${stderr}`,
          ),
        );
      });
      timer = setTimeout(() => {
        reject(
          new CulpritError(
            'CULPRIT_E_TARGET_TIMEOUT',
            `${wait.what} was not ready after ${wait.timeoutMs / 1000} s (${wait.readiness}); raise --ready-timeout or check it`,
          ),
        );
      }, wait.timeoutMs);
      onAbort = () => reject(new CulpritError('CULPRIT_E_INTERRUPTED', `interrupted while waiting for ${wait.what}`));
      if (wait.signal?.aborted) onAbort();
      wait.signal?.addEventListener('abort', onAbort, { once: true });
    });
  } catch (error) {
    await wait.group.stop(wait.signal?.aborted ? 300 : undefined); // Ctrl-C: stop within a second
    throw error;
  } finally {
    clearTimeout(timer);
    if (onAbort) wait.signal?.removeEventListener('abort', onAbort);
  }
}
