/**
 * The RunningTarget both modes return: they differ only in how a request
 * travels (real HTTP or an in-process injection) and what closing stops.
 * Here: numbering and marking requests, matching them with probe records
 * (from whichever probe answered: a cluster's worker), breakpoint events.
 *
 * Timing rule: the response is awaited however long it takes (Ctrl-C ends the
 * wait at once); the wait for the probe's record starts when the response has
 * ended, so a slow request never loses its data to a timer started at send.
 */
import { performance } from 'node:perf_hooks';
import type { TargetInfo } from '../capture/types.js';
import { CulpritError, isCulpritError } from '../errors/culprit-error.js';
import { MARKER_HEADER, type ProbeMessage, type ProbeRequest } from '../probe/protocol.js';
import { untilAborted, withDeadline } from './abortable.js';
import { BreakpointCollector } from './breakpoint-collector.js';
import { failedRequest, observedFrom } from './observed.js';
import { probeControl } from './probe-control.js';
import type { ProbeHub, ProbeLink } from './probe-link.js';
import { RecordQueue } from './record-queue.js';
import { describeExit, guardProbe } from './target-gone.js';
import {
  DEFAULT_RECORD_TIMEOUT_MS,
  type HeldRequest,
  type ObservedRequest,
  type RunningTarget,
  type TargetRequest,
} from './types.js';

export interface TargetParts {
  /** The probe the target was reached through: control calls go there until a request is answered elsewhere. */
  link: ProbeLink;
  /** Every probe of the target's tree, now and later (records may come from any). */
  hub: ProbeHub;
  info: TargetInfo;
  notes: string[];
  /** Delivers one request; resolves with the status once the response was read; `signal` gives up on it. */
  deliver(request: TargetRequest, signal: AbortSignal): Promise<number>;
  /** Stops everything the mode started. */
  stop(): Promise<void>;
  /** Resolves with the target's exit code (128 + n for signal n) if it ends. */
  exited: Promise<number>;
  /** The last lines the target wrote to stderr, for saying why it went away. */
  stderrTail?: () => string[];
  /** How long a record may lag behind its response (`--timeout`). */
  recordTimeoutMs?: number;
  /** Makes the app reachable over HTTP on 127.0.0.1 and gives its base URL (RunningTarget.listen). */
  listen(port: number): Promise<string>;
}

export function runningTarget(parts: TargetParts): RunningTarget {
  const recordTimeoutMs = parts.recordTimeoutMs ?? DEFAULT_RECORD_TIMEOUT_MS;
  const records = new RecordQueue();
  const breakpoints = new BreakpointCollector();
  let active = parts.link;
  const watch = (link: ProbeLink): void => {
    records.watch(link);
    breakpoints.watch(link);
  };
  for (const link of parts.hub.links) watch(link);
  parts.hub.on('link', watch);
  const control = probeControl(
    () => active,
    () => parts.hub.links.filter((link) => !link.closed),
  );
  parts.hub.on('link', (link) => control.adopt(link));
  let nextId = 1;
  let closing: Promise<void> | undefined;
  let exitCode: number | undefined;
  void parts.exited.then((code) => {
    exitCode = code;
  });
  /** Why a call failed: a target that died says so, with its exit code. */
  const explain = async (error: unknown): Promise<string> => {
    const message = error instanceof Error ? error.message : String(error);
    if (!active.closed || closing) return message;
    await Promise.race([parts.exited, new Promise((resolve) => setTimeout(resolve, 500))]);
    return exitCode === undefined ? message : `the target ${describeExit(exitCode)} during the request`;
  };
  /**
   * A probe call that failed because the target went away (a crash under
   * diagnose's profiling pass): a coded error with its exit and last stderr
   * lines instead of the link's bare "closed its probe connection".
   */
  const gone = async (error: unknown): Promise<unknown> => {
    if (isCulpritError(error) || closing || !active.closed) return error;
    await Promise.race([parts.exited, new Promise((resolve) => setTimeout(resolve, 500))]);
    if (exitCode === undefined) return error;
    const tail = parts.stderrTail?.() ?? [];
    const stderr = tail.length ? `; its last stderr lines:\n${tail.join('\n')}` : '; it wrote nothing to stderr';
    return new CulpritError(
      'CULPRIT_E_TARGET_EXITED',
      `the target ${describeExit(exitCode)} while culprit was working with it${stderr}`,
      { cause: error },
    );
  };
  /**
   * Sends one marked request and resolves once its response ended, with a way
   * to wait for its record (the wait's deadline starts when it is asked for:
   * a record held by the probe until the CPU profile stops still arrives).
   */
  const deliverMarked = async (
    request: TargetRequest,
    signal: AbortSignal | undefined,
  ): Promise<{ failed: ObservedRequest } | HeldRequest> => {
    const what = `during ${request.method} ${request.path}`;
    if (signal?.aborted) throw new CulpritError('CULPRIT_E_INTERRUPTED', `interrupted before ${what}`);
    const id = nextId++;
    const expected = records.expect(id);
    const marked: TargetRequest = { ...request, headers: { ...request.headers, [MARKER_HEADER]: expected.marker } };
    const giveUp = new AbortController();
    const stopDelivery = (): void => giveUp.abort();
    signal?.addEventListener('abort', stopDelivery, { once: true });
    const started = performance.now();
    let status: number;
    try {
      status = await untilAborted(parts.deliver(marked, giveUp.signal), signal, what);
    } catch (error) {
      expected.cancel();
      if (signal?.aborted) throw error;
      return { failed: failedRequest(id, request, 0, await explain(error), performance.now() - started) };
    } finally {
      signal?.removeEventListener('abort', stopDelivery);
    }
    const elapsedMs = performance.now() - started;
    const record = async (): Promise<ObservedRequest> => {
      const arrival = await untilAborted(withDeadline(expected.arrival, recordTimeoutMs), signal, what);
      if (!arrival) {
        expected.cancel();
        const why = active.closed
          ? await explain(new Error('the target closed its probe connection before recording it'))
          : `its record did not arrive within ${recordTimeoutMs / 1000} s after the response ended (raise --timeout)`;
        return failedRequest(id, request, status, why, performance.now() - started);
      }
      active = arrival.link; // a cluster: the worker that answered is the one to profile
      breakpoints.number(arrival.link, arrival.record.scopeId, id);
      return observedFrom(id, arrival.record);
    };
    return { status, elapsedMs, record };
  };
  return {
    info: parts.info,
    notes: parts.notes,
    probe: guardProbe(control.probe, gone),
    takeBreakpointEvents: () => breakpoints.take(),
    get sent() {
      return nextId - 1;
    },
    otherTraffic: () => records.others.rowsSoFar(),
    async send(request, options = {}) {
      const delivered = await deliverMarked(request, options.signal);
      return 'failed' in delivered ? delivered.failed : delivered.record();
    },
    async sendHeld(request, options = {}) {
      const delivered = await deliverMarked(request, options.signal);
      if ('failed' in delivered) {
        const failed = delivered.failed;
        return { status: failed.status, elapsedMs: failed.wallMs, record: () => Promise.resolve(failed) };
      }
      return delivered;
    },
    onWatched(listener) {
      const forward = (record: ProbeRequest): void => {
        if (record.marker === '') listener.record(record);
      };
      const forwardRows = (message: ProbeMessage): void => {
        if (message.type === 'watch.rows') listener.rows(message);
      };
      const follow = (link: ProbeLink): void => {
        link.on('request', forward);
        link.on('message', forwardRows);
      };
      for (const link of parts.hub.links) follow(link);
      parts.hub.on('link', follow);
      return () => {
        parts.hub.off('link', follow);
        for (const link of parts.hub.links) {
          link.off('request', forward);
          link.off('message', forwardRows);
        }
      };
    },
    listen: (port) => parts.listen(port),
    exited: parts.exited,
    close() {
      closing ??= parts.stop();
      return closing;
    },
  };
}
