/**
 * Matches requests the CLI sends with the records the probe pushes. Requests
 * go one at a time, so the next record after a send is that request's; a
 * waiter registered before sending never misses a fast record.
 */
import type { ProbeRequest } from '../probe/protocol.js';
import type { ProbeLink } from './probe-link.js';

export class RecordQueue {
  private readonly buffered: ProbeRequest[] = [];
  private readonly waiters: Array<(record: ProbeRequest | undefined) => void> = [];

  constructor(link: ProbeLink) {
    link.on('request', (record) => {
      const waiter = this.waiters.shift();
      if (waiter) waiter(record);
      else this.buffered.push(record);
    });
    link.on('close', () => {
      for (const waiter of this.waiters.splice(0)) waiter(undefined);
    });
  }

  /** Drops records of requests nobody waited for (e.g. the app's own health checks). */
  clear(): void {
    this.buffered.length = 0;
  }

  /** The next record; undefined when none arrives within `timeoutMs` or the probe went away. */
  next(timeoutMs: number): { record: Promise<ProbeRequest | undefined>; cancel(): void } {
    const early = this.buffered.shift();
    if (early) return { record: Promise.resolve(early), cancel: () => {} };
    let waiter: ((record: ProbeRequest | undefined) => void) | undefined;
    const record = new Promise<ProbeRequest | undefined>((resolve) => {
      const timer = setTimeout(() => settle(undefined), timeoutMs);
      const settle = (value: ProbeRequest | undefined): void => {
        clearTimeout(timer);
        resolve(value);
      };
      waiter = settle;
      this.waiters.push(settle);
    });
    const cancel = (): void => {
      const at = waiter ? this.waiters.indexOf(waiter) : -1;
      if (at >= 0) this.waiters.splice(at, 1);
      waiter?.(undefined);
    };
    return { record, cancel };
  }
}
