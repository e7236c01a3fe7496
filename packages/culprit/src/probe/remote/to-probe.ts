/**
 * A request's remote operations as the CLI receives them: times as offsets
 * on the request's axis, the issuing application frame source-mapped.
 */
import { performance } from '../clock.js';
import { noteFault } from '../faults.js';
import type { ProbeHttpCall, ProbeRedisCall } from '../protocol.js';
import { FrameMapper } from '../query-records.js';
import type { RequestScope } from '../request-context.js';
import type { RawRemoteCall } from './raw-call.js';

interface RemoteParts {
  http?: ProbeHttpCall[];
  redis?: ProbeRedisCall[];
  droppedOperations?: number;
}

/**
 * The optional fields every kind shares, set on `out` (the kind's record, made in one literal with its own
 * fields, not a shared part spread into it: a copy and a second object per operation).
 */
function placeFrames(
  out: ProbeHttpCall | ProbeRedisCall,
  call: RawRemoteCall,
  withStack: boolean,
  frames: FrameMapper,
): void {
  const appFrame = call.frames.appFrame();
  const location = appFrame ? frames.map(appFrame) : null;
  if (location) out.location = location;
  if (withStack) out.stack = frames.stack(call.frames.frames());
  if (call.error !== undefined) out.error = call.error;
}

/** The scope's remote operations split by kind, ready for the request record. */
export function remoteCallsOf(scope: RequestScope, withStack: boolean, frames = new FrameMapper()): RemoteParts {
  const parts: RemoteParts = {};
  try {
    const now = performance.now();
    const calls = scope.remote ?? [];
    // indexed, not for…of: no iterator object per request
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i] as RawRemoteCall;
      const origin = scope.startedAt ?? call.startedAt;
      // a call not finished when the response was (fire and forget, an unread body) ends at its headers or now
      const end = call.endedAt ?? (call.kind === 'http' ? call.headersAt : undefined) ?? now;
      const startMs = Math.max(0, call.startedAt - origin);
      const durationMs = Math.max(0, end - call.startedAt);
      if (call.kind === 'http') {
        const http: ProbeHttpCall = {
          startMs,
          durationMs,
          client: call.client,
          method: call.method,
          origin: call.origin,
          url: call.url,
        };
        placeFrames(http, call, withStack, frames);
        if (call.status !== undefined) http.status = call.status;
        if (call.bytes !== undefined) http.bytes = call.bytes;
        parts.http ??= [];
        parts.http.push(http);
      } else {
        const redis: ProbeRedisCall = {
          startMs,
          durationMs,
          client: call.client,
          command: call.command,
          commands: call.commands,
        };
        placeFrames(redis, call, withStack, frames);
        if (call.key !== undefined) redis.key = call.key;
        if (call.args !== undefined) redis.args = call.args;
        if (call.batch !== undefined) redis.batch = call.batch;
        if (call.replyBytes !== undefined) redis.replyBytes = call.replyBytes;
        parts.redis ??= [];
        parts.redis.push(redis);
      }
    }
    if (scope.remoteDropped) parts.droppedOperations = scope.remoteDropped;
  } catch (error) {
    noteFault('remoteCallsOf', error);
  }
  return parts;
}
