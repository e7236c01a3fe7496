/**
 * Matches the requests the CLI sends with the records the probes push. Every
 * request carries a marker (MARKER_HEADER: this run's random token and the
 * request's number), the probe echoes it in the record, and a record is taken
 * only by the send that expects its marker: a health check or a browser
 * request is never mistaken for culprit's, and a late record of an abandoned
 * request never matches the next one. Records may come from any probe of the
 * target's tree (a cluster's workers), so every link is watched.
 */
import { randomBytes } from 'node:crypto';
import type { ProbeRequest } from '../probe/protocol.js';
import { OtherTrafficCounter } from './other-traffic.js';
import type { ProbeLink } from './probe-link.js';

/** A record and the probe (process) that answered it. */
export interface Arrival {
  record: ProbeRequest;
  link: ProbeLink;
}

export interface Expectation {
  /** The MARKER_HEADER value to send. */
  marker: string;
  /** Settles with the record, or undefined once every probe went away or `cancel` was called. */
  arrival: Promise<Arrival | undefined>;
  cancel(): void;
}

export class RecordQueue {
  /** This run's token: records carrying another token are not ours. */
  readonly token = randomBytes(9).toString('base64url');
  readonly others = new OtherTrafficCounter();
  private readonly waiters = new Map<string, (arrival: Arrival | undefined) => void>();
  private readonly links = new Set<ProbeLink>();

  /** Takes records and other-traffic counts from `link` (call for every link of the hub). */
  watch(link: ProbeLink): void {
    if (this.links.has(link) || link.closed) return;
    this.links.add(link);
    link.on('request', (record) => {
      const waiter = this.waiters.get(record.marker);
      this.waiters.delete(record.marker);
      waiter?.({ record, link }); // a record nobody waits for (a request given up on) is dropped
    });
    link.on('message', (message) => {
      if (message.type === 'request.other') this.others.add(message);
    });
    link.on('close', () => {
      this.links.delete(link);
      if (this.links.size > 0) return; // another worker may still answer
      for (const waiter of this.waiters.values()) waiter(undefined);
      this.waiters.clear();
    });
  }

  /** Registers the wait for request `id` before it is sent, so a fast record is never missed. */
  expect(id: number): Expectation {
    const marker = `${this.token}-${id}`;
    let settle: (arrival: Arrival | undefined) => void = () => {};
    const arrival = new Promise<Arrival | undefined>((resolve) => {
      settle = resolve;
    });
    if (this.links.size === 0) settle(undefined);
    else this.waiters.set(marker, settle);
    return {
      marker,
      arrival,
      cancel: () => {
        this.waiters.delete(marker);
        settle(undefined);
      },
    };
  }
}
