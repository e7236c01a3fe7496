/**
 * One request header read from the raw list: `request.headers` is built on
 * first read, a cost a server that never reads it would pay for culprit on
 * every request (the probe's marker, culprit/register's traceparent).
 */
import type { IncomingMessage } from 'node:http';

/** The first value of header `lowerName` (given in lower case), or undefined. */
export function rawHeader(request: IncomingMessage, lowerName: string): string | undefined {
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return raw[i + 1];
  }
  return undefined;
}
