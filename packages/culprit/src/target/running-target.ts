/**
 * The RunningTarget both modes return: they differ only in how a request
 * travels (real HTTP or an in-process injection) and what closing stops.
 * Here: numbering, matching sends with probe records, breakpoint events.
 */
import { performance } from 'node:perf_hooks';
import type { LogpointHit, StackCapture, TargetInfo } from '../capture/types.js';
import { failedRequest, observedFrom } from './observed.js';
import { probeControl } from './probe-control.js';
import type { ProbeLink } from './probe-link.js';
import { RecordQueue } from './record-queue.js';
import type { BreakpointEvents, RunningTarget, TargetRequest } from './types.js';

/** How long a record may lag behind its response before the request counts as unrecorded. */
const RECORD_TIMEOUT_MS = 10_000;

export interface TargetParts {
  link: ProbeLink;
  info: TargetInfo;
  notes: string[];
  /** Delivers one request; resolves with the status once the response was read. */
  deliver(request: TargetRequest): Promise<number>;
  /** Stops everything the mode started. */
  stop(): Promise<void>;
  /** Resolves with the target's exit code (128 + n for signal n) if it ends. */
  exited: Promise<number>;
}

/** Collects breakpoint events, renumbering their requests as `send` numbers them. */
function breakpointCollector(link: ProbeLink, idOfScope: Map<number, number>): () => BreakpointEvents {
  const logs: LogpointHit[] = [];
  const stops: StackCapture[] = [];
  const faults: string[] = [];
  link.on('message', (message) => {
    if (message.type !== 'breakpoint') return;
    const { event } = message;
    if (event.type === 'log') logs.push(event.hit);
    else if (event.type === 'stop') stops.push(event.capture);
    else faults.push(event.message);
  });
  const renumber = <T extends { requestId?: number }>(item: T): T => {
    if (item.requestId === undefined) return item;
    const id = idOfScope.get(item.requestId);
    const { requestId: _probeId, ...rest } = item;
    return (id === undefined ? rest : { ...rest, requestId: id }) as T;
  };
  return () => ({ logs: logs.splice(0).map(renumber), stops: stops.splice(0).map(renumber), faults: faults.splice(0) });
}

export function runningTarget(parts: TargetParts): RunningTarget {
  const { link } = parts;
  const records = new RecordQueue(link);
  const idOfScope = new Map<number, number>();
  const takeBreakpointEvents = breakpointCollector(link, idOfScope);
  let nextId = 1;
  let closing: Promise<void> | undefined;
  let exitCode: number | undefined;
  void parts.exited.then((code) => {
    exitCode = code;
  });
  /** Why a call failed: a target that died says so, with its exit code. */
  const explain = async (error: unknown): Promise<string> => {
    const message = error instanceof Error ? error.message : String(error);
    if (!link.closed || closing) return message;
    await Promise.race([parts.exited, new Promise((resolve) => setTimeout(resolve, 500))]);
    return exitCode === undefined ? message : `the target exited with code ${exitCode} during the request`;
  };
  return {
    info: parts.info,
    notes: parts.notes,
    probe: probeControl(link),
    takeBreakpointEvents,
    async send(request) {
      const id = nextId++;
      records.clear(); // records nobody waits for (the app's own calls, a request that timed out) must not match this one
      const pending = records.next(RECORD_TIMEOUT_MS);
      const started = performance.now();
      let status = 0;
      try {
        status = await parts.deliver(request);
      } catch (error) {
        pending.cancel();
        return failedRequest(id, request, 0, await explain(error), performance.now() - started);
      }
      const record = await pending.record;
      if (!record) {
        return failedRequest(id, request, status, 'the probe recorded no request for it', performance.now() - started);
      }
      idOfScope.set(record.scopeId, id);
      return observedFrom(id, record);
    },
    close() {
      closing ??= parts.stop();
      return closing;
    },
  };
}
