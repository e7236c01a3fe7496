/**
 * The lines culprit adds to a capture's notes about what it sent: how many
 * times the request went out, why an unsafe one went out only once, and the
 * traffic that was not culprit's.
 */
import type { OtherTraffic } from '../capture/types.js';
import { groupDigits } from '../group-digits.js';
import { isUnsafeRequest } from './request-shape.js';
import type { TargetRequest } from './types.js';

const times = (n: number): string => `${groupDigits(n)} time${n === 1 ? '' : 's'}`;

/** "the request (POST /orders) was sent 1 time (trace)". */
export function sentNote(request: { method: string }, sent: number, passes: string): string {
  return `${request.method} request sent ${times(sent)} (${passes})`;
}

type Sent = Pick<TargetRequest, 'method' | 'body' | 'headers'>;

/** How many times to send `request` when `wanted` were asked: unsafe requests once unless repeating is allowed. */
export function allowedSends(request: Sent, wanted: number, repeatUnsafe: boolean): number {
  return isUnsafeRequest(request) && !repeatUnsafe ? Math.min(wanted, 1) : wanted;
}

/** Says that a POST went out as often as a GET would, being a GraphQL read; undefined for any other request. */
export function graphqlReadNote(request: Sent): string | undefined {
  return request.method.toUpperCase() === 'POST' && !isUnsafeRequest(request)
    ? 'POST carries GraphQL queries only (no mutation): sent and profiled as a read'
    : undefined;
}

/** Why fewer requests were sent than asked. */
export function unsafeNote(method: string, wanted: number): string {
  return (
    `${method} is not idempotent (sending it again may insert rows or charge twice): sent once, not ${times(wanted)}; ` +
    '--repeat-unsafe sends it as often as asked'
  );
}

/** One line about the requests the server answered that culprit did not send. */
export function otherTrafficNote(rows: readonly OtherTraffic[]): string | undefined {
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  if (total === 0) return undefined;
  const top = rows
    .slice(0, 3)
    .map((row) => `${row.count}× ${row.method} ${row.path} ${row.status}`)
    .join(', ');
  return `${groupDigits(total)} other request${total === 1 ? '' : 's'} reached the server during the run (not culprit's, kept apart): ${top}${rows.length > 3 ? ', …' : ''}`;
}
