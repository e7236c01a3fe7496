/**
 * Shared by the query-hook tests: is a database server reachable (tests skip
 * with a clear reason when not), unique table names (other agents and CI jobs
 * share the databases), and a recorder that keeps events.
 */
import { connect } from 'node:net';
import type { RawQueryEvent } from '../types.js';

export const POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test' };

/** undefined when the port answers, else the skip reason. */
export async function unreachable(name: string, host: string, port: number): Promise<string | undefined> {
  const ok = await new Promise<boolean>((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
  return ok ? undefined : `${name} is not reachable on ${host}:${port}; start it to run this test`;
}

export function uniqueTable(prefix: string): string {
  return `culprit_${prefix}_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
}

export function eventLog(): {
  events: RawQueryEvent[];
  record: (event: RawQueryEvent) => void;
  matching: (re: RegExp) => RawQueryEvent[];
} {
  const events: RawQueryEvent[] = [];
  return {
    events,
    record: (event) => events.push(event),
    matching: (re) => events.filter((event) => re.test(event.sql)),
  };
}

/** The test file's own frame is on the stack: the app frame the CLI will pick. */
export function hasFrameIn(event: RawQueryEvent | undefined, file: string): boolean {
  return event?.stack.some((frame) => frame.url.includes(file)) ?? false;
}
