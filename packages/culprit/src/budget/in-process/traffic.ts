/**
 * HTTP seen from inside the test process, through Node's diagnostics
 * channels: the callback's requests to a server of this process are linked to
 * the measurement (fetch/undici carry a tag header; `http` requests, whose
 * headers are already sent when the channel fires, are matched by socket
 * port), and HTTP calls the app makes are recorded. Subscribed once, on the
 * first measure(); every subscriber returns at once when nothing is measured.
 */
import dc from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { noteFault } from '../../probe/faults.js';
import { captureStack, enterScope, isApplicationFrame } from '../../probe/request-context.js';
import { mapPosition } from '../../probe/source-map.js';
import {
  type ActiveMeasurement,
  anyOpen,
  currentMeasurement,
  enterServing,
  isServing,
  measurementById,
  openMeasurements,
  type PendingCall,
} from './active.js';
import { pathTemplate } from './http-template.js';

/** Header naming the measurement and call a fetch belongs to (`<measurement>.<call>`). */
export const TAG_HEADER = 'x-culprit-measure';

const httpCalls = new WeakMap<object, PendingCall>();
const sockets = new WeakMap<PendingCall, ClientRequest>();
let installed = false;

function startCall(measurement: ActiveMeasurement, method: string, host: string, path: string): PendingCall {
  const frame = captureStack().find((f) => isApplicationFrame(f.url, f.line));
  const location = frame ? mapPosition(frame) : null;
  const pending: PendingCall = {
    call: { method, host, path: pathTemplate(path), status: 0, durationMs: 0, ...(location ? { location } : {}) },
    startedAt: performance.now(),
    fromCallback: !isServing(),
    servedHere: false,
  };
  measurement.calls.push(pending);
  return pending;
}

function endCall(key: object, status: number): void {
  const pending = httpCalls.get(key);
  if (!pending) return;
  httpCalls.delete(key);
  pending.call.status = status;
  pending.call.durationMs = performance.now() - pending.startedAt;
}

function guard<T>(where: string, fn: (message: T) => void): (message: unknown) => void {
  return (message) => {
    if (!anyOpen()) return;
    try {
      fn(message as T);
    } catch (error) {
      noteFault(where, error); // never fail the test's or the app's request for a record
    }
  };
}

const sameAddress = (a: string | undefined, b: string | undefined) =>
  a?.replace(/^::ffff:/, '') === b?.replace(/^::ffff:/, '');

/** A callback's `http` request this server socket is the other end of. */
function callBySocket(socket: Socket): { measurement: ActiveMeasurement; pending: PendingCall } | undefined {
  for (const measurement of openMeasurements()) {
    for (const pending of measurement.calls) {
      const client = sockets.get(pending)?.socket;
      if (client && client.localPort === socket.remotePort && sameAddress(client.localAddress, socket.remoteAddress))
        return { measurement, pending };
    }
  }
  return undefined;
}

function onServerStart(message: { request: IncomingMessage; socket: Socket }): void {
  const tag = message.request.headers[TAG_HEADER];
  let linked: { measurement: ActiveMeasurement; pending?: PendingCall | undefined } | undefined;
  if (typeof tag === 'string') {
    const [measurementId, callIndex] = tag.split('.').map(Number);
    const measurement = measurementById(measurementId ?? -1);
    if (measurement) linked = { measurement, pending: measurement.calls[callIndex ?? -1] };
  } else {
    linked = callBySocket(message.socket);
  }
  if (linked) {
    if (linked.pending) linked.pending.servedHere = true;
    enterScope(linked.measurement.scope); // always overwrite: keep-alive sockets carry the previous request's store
    enterServing();
  } else if (currentMeasurement()) {
    enterServing(); // a server created inside the callback (supertest) inherits its context
  }
}

function onClientStart({ request }: { request: ClientRequest }): void {
  const measurement = currentMeasurement();
  if (!measurement) return;
  const host = String(request.getHeader('host') ?? request.host);
  const pending = startCall(measurement, request.method, host, request.path);
  httpCalls.set(request, pending);
  sockets.set(pending, request);
}

interface UndiciRequest {
  method: string;
  origin: string;
  path: string;
  addHeader(name: string, value: string): unknown;
}

function onUndiciCreate({ request }: { request: UndiciRequest }): void {
  const measurement = currentMeasurement();
  if (!measurement) return;
  const host = request.origin.replace(/^[a-z]+:\/\//i, '');
  const pending = startCall(measurement, request.method, host, request.path);
  httpCalls.set(request, pending);
  request.addHeader(TAG_HEADER, `${measurement.id}.${measurement.calls.length - 1}`);
}

/** Subscribes once; cheap when no measurement is open. */
export function installTrafficLinks(): void {
  if (installed) return;
  installed = true;
  dc.subscribe('http.server.request.start', guard('measure: server start', onServerStart));
  dc.subscribe('http.client.request.start', guard('measure: http request', onClientStart));
  dc.subscribe(
    'http.client.response.finish',
    guard('measure: http response', (m: { request: object; response: IncomingMessage }) =>
      endCall(m.request, m.response.statusCode ?? 0),
    ),
  );
  dc.subscribe(
    'http.client.request.error',
    guard('measure: http error', (m: { request: object }) => endCall(m.request, 0)),
  );
  dc.subscribe('undici:request:create', guard('measure: fetch', onUndiciCreate));
  dc.subscribe(
    'undici:request:headers',
    guard('measure: fetch response', (m: { request: object; response: { statusCode: number } }) =>
      endCall(m.request, m.response.statusCode),
    ),
  );
  dc.subscribe(
    'undici:request:error',
    guard('measure: fetch error', (m: { request: object }) => endCall(m.request, 0)),
  );
}
