/**
 * Counts a response's body bytes and keeps a JSON body for the item count,
 * by wrapping `write`/`end` on that one response object. Arguments and return
 * values pass through untouched: the app's response does not change.
 */
import type { ServerResponse } from 'node:http';
import { noteFault } from './faults.js';

/** JSON bodies larger than this are not parsed for items (bytes still count). */
const MAX_JSON_BYTES = 32 * 1024 * 1024;
/** Bytes kept of any body, to show what a failing request answered. */
export const BODY_HEAD_BYTES = 300;

export interface ResponseMeter {
  bytes: number;
  /** The JSON body so far, or undefined when not JSON or too large. */
  body(): string | undefined;
  /** The first BODY_HEAD_BYTES of the body, whatever its type. */
  head(): string;
}

function chunkBytes(chunk: unknown, encoding: unknown): Buffer | undefined {
  if (typeof chunk === 'string')
    return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return undefined;
}

/** The response's content type, also when it was passed to `writeHead` directly (Fastify does). */
function contentType(response: ServerResponse): string {
  const type = response.getHeader('content-type');
  if (typeof type === 'string') return type;
  // headers given to writeHead() bypass getHeader(); the serialized head still has them
  const head: unknown = (response as unknown as { _header?: unknown })._header;
  return typeof head === 'string' ? (/^content-type:\s*([^\r\n]*)/im.exec(head)?.[1] ?? '') : '';
}

/** Starts metering `response`; read the meter once the response finished. */
export function meterResponse(response: ServerResponse): ResponseMeter {
  const chunks: Buffer[] = [];
  let headBytes = Buffer.alloc(0);
  let keep = true;
  const meter: ResponseMeter = {
    bytes: 0,
    body() {
      if (!keep) return undefined;
      if (!/json/i.test(contentType(response))) return undefined;
      return Buffer.concat(chunks).toString('utf8');
    },
    head() {
      return headBytes.toString('utf8');
    },
  };
  const see = (chunk: unknown, encoding: unknown): void => {
    try {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      const bytes = chunkBytes(chunk, encoding);
      if (!bytes) return;
      meter.bytes += bytes.byteLength;
      if (headBytes.byteLength < BODY_HEAD_BYTES) {
        headBytes = Buffer.concat([headBytes, bytes.subarray(0, BODY_HEAD_BYTES - headBytes.byteLength)]);
      }
      if (keep && meter.bytes <= MAX_JSON_BYTES) chunks.push(Buffer.from(bytes));
      else keep = false;
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
