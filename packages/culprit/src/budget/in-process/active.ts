/**
 * The measurements open in this process, found from the async context (the
 * callback's queries) or from a tag carried by a request the callback sent
 * to a server of this same process (supertest, fetch to a server the test
 * started), whose handler runs in the server's context, not the callback's.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SourceLocation } from '../../capture/types.js';
import { currentScope, type RequestScope } from '../../probe/request-context.js';

/** An HTTP call seen while a measurement was open. */
export interface HttpCall {
  method: string;
  /** `host:port` it went to. */
  host: string;
  /** Path without the query string, ids folded (`/users/:id`). */
  path: string;
  /** Response status; 0 when it failed before one. */
  status: number;
  durationMs: number;
  /** The line of the app (or test) that sent it. */
  location?: SourceLocation;
}

/** A call in flight, until it ends or a server of this process says it served it. */
export interface PendingCall {
  call: HttpCall;
  startedAt: number;
  /** Sent from the callback itself, not from a request this process was serving. */
  fromCallback: boolean;
  /** Served by a server of this process: the test's own request, not an HTTP call of the app. */
  servedHere: boolean;
}

/** What measure() keeps while its callback runs. */
export interface ActiveMeasurement {
  readonly id: number;
  readonly scope: RequestScope;
  readonly calls: PendingCall[];
}

const byScope = new WeakMap<RequestScope, ActiveMeasurement>();
const byId = new Map<number, ActiveMeasurement>();
/** True inside a request a server of this process is serving (set at its start). */
const serving = new AsyncLocalStorage<boolean>();

export function openMeasurement(measurement: ActiveMeasurement): void {
  byScope.set(measurement.scope, measurement);
  byId.set(measurement.id, measurement);
}

export function closeMeasurement(measurement: ActiveMeasurement): void {
  byId.delete(measurement.id);
  measurement.scope.closed = true;
}

/** The measurement the current async context belongs to. */
export function currentMeasurement(): ActiveMeasurement | undefined {
  const scope = currentScope();
  return scope ? byScope.get(scope) : undefined;
}

export function measurementById(id: number): ActiveMeasurement | undefined {
  return byId.get(id);
}

export function openMeasurements(): IterableIterator<ActiveMeasurement> {
  return byId.values();
}

export function anyOpen(): boolean {
  return byId.size > 0;
}

/** Marks the rest of this async context as a served request (the app's own outbound calls start here). */
export function enterServing(): void {
  serving.enterWith(true);
}

export function isServing(): boolean {
  return serving.getStore() === true;
}
