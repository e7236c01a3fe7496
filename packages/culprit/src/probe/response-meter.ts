/**
 * Counts a response's body bytes and keeps a JSON body for the item count,
 * by wrapping `write`/`end` on that one response object. Arguments and return
 * values pass through untouched: the app's response does not change. Inside
 * the request only references to the chunks are kept (no copy, no decoding):
 * the body is assembled when asked, after the request's time was taken.
 *
 * The references go once the record is built (`release`): a response object
 * outlives its request in the young generation (promoted ones hold the next),
 * and a 130 KB body it held through the wrapper survived every scavenge with
 * it: 1–2.6 MB copied and promoted per scavenge, the young generation grown to
 * 16 MB and major GCs, +1.5 ms CPU per request on bench/probe's /json route.
 * Head-only metering (the timing pass) copies at most BODY_HEAD_BYTES, and
 * only of an answer ≥ 400.
 */
import type { ServerResponse } from 'node:http';
import { noteFault } from './faults.js';

/** JSON bodies larger than this are not parsed for items (bytes still count). */
const MAX_JSON_BYTES = 32 * 1024 * 1024;
/** Bytes kept of any body, to show what a failing request answered. */
export const BODY_HEAD_BYTES = 300;

export interface ResponseMeter {
  bytes: number;
  /** The JSON body, or undefined when not JSON, too large or not kept. */
  body(): string | undefined;
  /** The first BODY_HEAD_BYTES of the body, whatever its type. */
  head(): string;
  /** Lets go of the chunks (read `body` and `head` first); later writes are counted, not kept. */
  release(): void;
}

type Chunk = { data: string; encoding: BufferEncoding } | Uint8Array;

/** A copy of the chunk's first BODY_HEAD_BYTES (at least): no reference to the app's data is kept. */
function headCopy(chunk: unknown, encoding: unknown): Buffer | undefined {
  if (typeof chunk === 'string') {
    const enc = typeof encoding === 'string' && Buffer.isEncoding(encoding) ? encoding : 'utf8';
    // a character is at least a byte; Buffer.from copies (a string slice would share the body's memory)
    return Buffer.from(chunk.length > BODY_HEAD_BYTES ? chunk.slice(0, BODY_HEAD_BYTES) : chunk, enc);
  }
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.subarray(0, BODY_HEAD_BYTES));
  return undefined;
}

function toBuffer(chunk: Chunk): Buffer {
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(chunk.data, chunk.encoding);
}

/** The response's content type, also when it was passed to `writeHead` directly (Fastify does). */
function contentType(response: ServerResponse): string {
  const type = response.getHeader('content-type');
  if (typeof type === 'string') return type;
  // headers given to writeHead() bypass getHeader(); the serialized head still has them
  const head: unknown = (response as unknown as { _header?: unknown })._header;
  return typeof head === 'string' ? (/^content-type:\s*([^\r\n]*)/im.exec(head)?.[1] ?? '') : '';
}

/**
 * Starts metering `response`; read the meter once the response finished.
 * `body`: bytes counted and the JSON body kept; `head`: only the first
 * chunks, for the head of a failing answer (bytes stay 0: nothing is scanned).
 */
export function meterResponse(response: ServerResponse, keepBody: boolean, headOnly = false): ResponseMeter {
  const chunks: Chunk[] = [];
  let keep = keepBody && !headOnly;
  let headKept = 0;
  const meter: ResponseMeter = {
    bytes: 0,
    body() {
      if (!keep) return undefined;
      if (!/json/i.test(contentType(response))) return undefined;
      return Buffer.concat(chunks.map(toBuffer)).toString('utf8');
    },
    head() {
      return Buffer.concat(chunks.map(toBuffer)).subarray(0, BODY_HEAD_BYTES).toString('utf8');
    },
    release() {
      chunks.length = 0;
      keep = false;
      headKept = BODY_HEAD_BYTES;
    },
  };
  const see = (chunk: unknown, encoding: unknown): void => {
    try {
      if (headOnly) {
        // the status is final once a body chunk is written: only a failing answer's head is shown
        if (headKept >= BODY_HEAD_BYTES || response.statusCode < 400) return;
        const copy = headCopy(chunk, encoding);
        if (copy) {
          chunks.push(copy);
          headKept += copy.byteLength;
        }
        return;
      }
      let kept: Chunk;
      let size: number;
      if (typeof chunk === 'string') {
        const enc = typeof encoding === 'string' && Buffer.isEncoding(encoding) ? encoding : 'utf8';
        kept = { data: chunk, encoding: enc };
        size = Buffer.byteLength(chunk, enc);
      } else if (chunk instanceof Uint8Array) {
        kept = chunk;
        size = chunk.byteLength;
      } else return;
      meter.bytes += size;
      if (keep && meter.bytes > MAX_JSON_BYTES) keep = false;
      // the head needs the first chunks even when the body is not kept
      if (keep || headKept < BODY_HEAD_BYTES) {
        chunks.push(kept);
        headKept += size;
      }
    } catch (error) {
      noteFault('meterResponse', error);
    }
  };
  const write = response.write;
  const end = response.end;
  response.write = function meteredWrite(this: ServerResponse, ...args: Parameters<ServerResponse['write']>) {
    see(args[0], args[1]);
    return Reflect.apply(write, this, args) as boolean;
  } as ServerResponse['write'];
  response.end = function meteredEnd(this: ServerResponse, ...args: unknown[]) {
    see(args[0], args[1]);
    return Reflect.apply(end, this, args) as ServerResponse;
  } as ServerResponse['end'];
  return meter;
}
