/**
 * Outbound HTTP per request, from Node's diagnostics channels:
 * `undici:request:*` (global fetch and the undici package) and
 * `http.client.*` (node:http/https, and axios, got, node-fetch … on them).
 * Subscribed only while a trace listens, so an idle probe costs nothing.
 *
 * Where the app made the call: undici publishes `create` synchronously inside
 * `fetch()`, under ~25 of its own frames: the global fetch's wrapper took the
 * stack (fetch-entry.ts); a call that did not come through it takes it below
 * the global `fetch` (V8 walks undici's frames, skips them), or deeper where
 * that is not on the stack.
 * Node publishes `http.client.request.start` on a later tick with no app
 * frame, so `http.request`/`http.get` are wrapped (http-wrap.ts) to take the
 * stack at the call (ESM named imports follow through syncBuiltinESMExports). A client
 * that calls them from its own callbacks (got) leaves no app frame there:
 * client-entry.ts supplies the frames of the app's call into it.
 */
import dc from 'node:diagnostics_channel';
import { performance } from '../clock.js';
import { closeOwnBelowEntry, closeOwnLater, openOwn, ownCaptureWanted } from '../entry-stacks.js';
import { noteFault } from '../faults.js';
import { NO_FRAMES, type StackHolder } from '../frame-source.js';
import {
  captureStackBelowEntry,
  captureStackLater,
  type FrameSource,
  type RequestScope,
  wholeStacksWanted,
} from '../request-context.js';
import { clientEntryFrames, listenClientEntries, withClientEntry } from './client-entry.js';
import { fetchEntryFunction, listenFetch, takeFetchEntry } from './fetch-entry.js';
import { type RequestFunction, setIssueHook, wrapHttpModule, wrapHttpOnRequire } from './http-wrap.js';
import { addRemoteCall, endCall, type RawHttpCall, remoteScope } from './raw-call.js';

/** undici's own frames above the app's `fetch()` call (about 30 on Node 20–24), walked where the global fetch is not on the stack. */
const FETCH_STACK_DEPTH = 45;

/** undici's requests and their calls. */
const calls = new WeakMap<object, RawHttpCall>();

/**
 * node:http's requests carry their call on themselves, under a symbol other code does not see: a WeakMap entry
 * per request costs a hash insert and, in every scavenge while the request lives, an ephemeron. One property:
 * the `http.request` wrapper puts the call there with its stack and scope (`issuedIn`), the request's start
 * fills it in and adds it to the scope (a second property grew the ClientRequest's property array again).
 */
const CALL = Symbol('culprit.http-call');
type Carrier = { [CALL]?: RawHttpCall | undefined };

interface UndiciRequest {
  origin?: unknown;
  method?: unknown;
  path?: unknown;
}

function undiciCreate(message: unknown): void {
  try {
    const scope = remoteScope();
    if (!scope) return;
    const request = (message as { request: UndiciRequest }).request;
    // the app's call to the global fetch, taken by its wrapper (fetch-entry.ts) as undici creates this request in it
    const taken = takeFetchEntry();
    const entry = fetchEntryFunction();
    let frames: FrameSource;
    if (taken !== undefined) frames = taken;
    else if (entry !== undefined && ownCaptureWanted()) {
      // (a fetch kept from before the wrapper, undici's own package, a redirect) taken in this body, below the
      // global fetch: no helper's frame above undici's for V8 to walk
      const holder: StackHolder = {};
      const limit = openOwn(entry);
      try {
        Error.captureStackTrace(holder, entry);
      } finally {
        frames = closeOwnBelowEntry(holder, entry, limit, undefined, undiciCreate, FETCH_STACK_DEPTH);
      }
    } else frames = captureStackBelowEntry(entry, undiciCreate, FETCH_STACK_DEPTH);
    const call = newRawCall('fetch', performance.now(), frames, undefined);
    call.method = String(request.method ?? 'GET');
    call.origin = String(request.origin ?? '');
    call.url = String(request.path ?? '/');
    calls.set(request, call);
    addRemoteCall(scope, call);
  } catch (error) {
    noteFault('undici:request:create', error);
  }
}

/**
 * Content-Length from a raw header list (name, value, name, value …: Buffers from undici, strings in
 * node's `rawHeaders`). Only a name of its length is turned into a string: no string per header.
 */
export function lengthOf(headers: unknown): number | undefined {
  if (!Array.isArray(headers)) return undefined;
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = headers[i] as { length?: unknown } | undefined;
    if (name?.length !== 14) continue;
    // node's strings as the server wrote them (most often one of these two): no lower-cased copy per call
    if (name !== 'content-length' && name !== 'Content-Length' && String(name).toLowerCase() !== 'content-length')
      continue;
    const value = Number(String(headers[i + 1]));
    return Number.isFinite(value) ? value : undefined;
  }
  return undefined;
}

function undiciHeaders(message: unknown): void {
  const { request, response } = message as { request: object; response: { statusCode?: number; headers?: unknown } };
  const call = calls.get(request);
  if (!call) return;
  call.headersAt = performance.now();
  if (typeof response.statusCode === 'number') call.status = response.statusCode;
  const bytes = lengthOf(response.headers);
  if (bytes !== undefined) call.bytes = bytes;
}

function undiciDone(message: unknown): void {
  const call = calls.get((message as { request: object }).request);
  if (call) endCall(call);
}

function undiciError(message: unknown): void {
  const { request, error } = message as { request: object; error: unknown };
  const call = calls.get(request);
  if (call) endCall(call, error);
}

interface ClientRequestLike {
  method?: string;
  protocol?: string;
  host?: string;
  path?: string;
  getHeader?(name: string): unknown;
}

/**
 * A call with every field set at once, in one order for fetch's and node:http's: one object shape, no
 * transition as its parts, headers and end arrive (a node:http call's parts come at its start, httpStart).
 */
function newRawCall(
  client: RawHttpCall['client'],
  startedAt: number,
  frames: FrameSource,
  issuedIn: RequestScope | undefined,
): RawHttpCall {
  return {
    kind: 'http',
    client,
    method: '',
    origin: '',
    url: '',
    startedAt,
    frames,
    endedAt: undefined,
    error: undefined,
    headersAt: undefined,
    status: undefined,
    bytes: undefined,
    issuedIn,
  };
}

function httpStart(message: unknown): void {
  try {
    const request = (message as { request: ClientRequestLike & Carrier }).request;
    let call = request[CALL];
    // issued through the wrapper: its call, not yet added; none (a request not made through it): made here
    const scope = call === undefined ? remoteScope() : call.issuedIn;
    if (!scope) return;
    if (call === undefined) {
      call = newRawCall('http', performance.now(), NO_FRAMES, undefined);
      request[CALL] = call;
    }
    call.issuedIn = undefined;
    call.method = request.method ?? 'GET';
    call.origin = originOf(request);
    call.url = request.path ?? '/';
    addRemoteCall(scope, call);
  } catch (error) {
    noteFault('http.client.request.start', error);
  }
}

/** The last origin built, by its parts: an app calls a few hosts, and each call built its own string. */
let lastProtocol: unknown;
let lastHost: unknown;
let lastOrigin = '';

function originOf(request: ClientRequestLike): string {
  const header = request.getHeader?.('host');
  const protocol = request.protocol ?? 'http:';
  const host = typeof header === 'string' ? header : (request.host ?? '');
  if (protocol !== lastProtocol || host !== lastHost) {
    lastProtocol = protocol;
    lastHost = host;
    lastOrigin = `${protocol}//${host}`;
  }
  return lastOrigin;
}

interface IncomingLike {
  statusCode?: number;
  rawHeaders?: unknown;
  /** The ClientRequest: node sets it right after publishing the response, before any of its events. */
  req?: Carrier;
  on?(event: string, listener: (this: IncomingLike) => void): unknown;
}

/**
 * The response's 'end' and 'close' listener, one function for every call (no closure per call): the call is
 * found on the response's request.
 */
function responseDone(this: IncomingLike): void {
  const call = this.req?.[CALL];
  if (call) endCall(call);
}

function httpResponse(message: unknown): void {
  try {
    const { request, response } = message as { request: Carrier; response: IncomingLike };
    const call = request[CALL];
    if (!call) return;
    call.headersAt = performance.now();
    if (typeof response.statusCode === 'number') call.status = response.statusCode;
    // the raw list, not `headers`: node builds that object on first read, which an app may never do
    const length = lengthOf(response.rawHeaders);
    if (length !== undefined) call.bytes = length;
    // 'end' and 'close' listeners leave the stream's flow to the app (only 'data'/'readable' start it). `on`, not
    // `once`: endCall keeps the first end, and `once` binds a wrapper and a state object per listener; one
    // function for every call, which finds it through `response.req`, not a closure per call
    response.on?.('end', responseDone);
    response.on?.('close', responseDone);
  } catch (error) {
    noteFault('http.client.response.finish', error);
  }
}

function httpError(message: unknown): void {
  const { request, error } = message as { request: Carrier; error: unknown };
  const call = request[CALL];
  if (call) endCall(call, error);
}

const subscriptions: Array<[string, (message: unknown) => void]> = [
  ['undici:request:create', undiciCreate],
  ['undici:request:headers', undiciHeaders],
  ['undici:request:trailers', undiciDone],
  ['undici:request:error', undiciError],
  ['http.client.request.start', httpStart],
  ['http.client.response.finish', httpResponse],
  ['http.client.request.error', httpError],
];
let listening = false;

/** Subscribes while a trace listens, unsubscribes after: no channel has a subscriber when idle. */
export function listenHttp(on: boolean): void {
  if (on === listening) return;
  listening = on;
  for (const [name, handler] of subscriptions) {
    if (on) dc.subscribe(name, handler);
    else dc.unsubscribe(name, handler);
  }
  listenClientEntries(on);
  listenFetch(on);
}

/** Notes the stack and request of an `http.request`/`get` made while a request is recorded. */
function noteIssue(
  name: string,
  original: RequestFunction,
  self: unknown,
  args: unknown[],
  wrapper: (...args: never[]) => unknown,
): object {
  const scope = remoteScope();
  if (!scope) return Reflect.apply(original, self, args);
  const startedAt = performance.now();
  // got's own call (its entry holds the app's frames) takes no stack: its callbacks hold no app frame
  const entry = clientEntryFrames();
  let frames: FrameSource;
  if (entry !== undefined && !wholeStacksWanted()) frames = entry;
  else if (ownCaptureWanted()) {
    // (no entry here) taken in this body, below the wrapper the app called: no helper's frame above it to walk
    const holder: StackHolder = {};
    const limit = openOwn(wrapper);
    try {
      Error.captureStackTrace(holder, wrapper);
    } finally {
      frames = closeOwnLater(holder, wrapper, limit);
    }
  } else frames = withClientEntry(captureStackLater(wrapper), entry);
  const request = Reflect.apply(original, self, args) as object & Carrier;
  try {
    request[CALL] = newRawCall('http', startedAt, frames, scope);
  } catch (error) {
    noteFault(`http.${name}`, error);
  }
  return request;
}

/**
 * Wraps `http`/`https` `request` and `get` once, for the caller's stack: as CommonJS code requires them,
 * or, for what an ES module imported (its named imports follow the wrap), now if already loaded, else at
 * the next recorded request (wrapLoadedHttp): loading them here would bring `node:http` (~13 M
 * instructions on Node 20) into every process that starts with culprit/register and never serves, and
 * TLS and crypto into every app's start-up.
 */
export function installHttpClientHooks(): void {
  setIssueHook(noteIssue);
  wrapHttpOnRequire();
  wrapLoadedHttp();
}

const wrapped = { 'node:http': false, 'node:https': false };
/** moduleLoadList's length at wrapLoadedHttp's last scan. */
let listSeen = -1;

/** Wraps `http` and `https` once something has loaded each (their ES module named imports follow); cheap once done. */
export function wrapLoadedHttp(): void {
  if (wrapped['node:http'] && wrapped['node:https']) return;
  const loaded = (process as { moduleLoadList?: string[] }).moduleLoadList;
  // the list only grows: no built-in loaded since the last look, nothing new to wrap (no scan of ~200 names)
  if (loaded && loaded.length === listSeen) return;
  listSeen = loaded?.length ?? -1;
  for (const id of ['node:http', 'node:https'] as const) {
    if (wrapped[id] || (loaded && !loaded.includes(`NativeModule ${id.slice('node:'.length)}`))) continue;
    wrapped[id] = true;
    wrapHttpModule(process.getBuiltinModule(id));
  }
}

/**
 * The probe's recorder starts: calls are noted from now on, and the modules
 * ES modules imported (no `require` wrapped them) are wrapped now; https only
 * if something loaded it.
 */
export function startHttpClientHooks(): void {
  setIssueHook(noteIssue);
  wrapHttpModule(process.getBuiltinModule('node:http'));
  const loaded = (process as { moduleLoadList?: string[] }).moduleLoadList;
  if (!loaded || loaded.includes('NativeModule https')) wrapHttpModule(process.getBuiltinModule('node:https'));
}
