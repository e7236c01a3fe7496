/**
 * What the Redis hooks keep of a command: its name, first key and a few
 * arguments (for the values key only; the CLI folds the key and drops them).
 */

/** Commands whose first argument is not a key. */
const KEYLESS = new Set([
  'PING',
  'INFO',
  'SELECT',
  'AUTH',
  'HELLO',
  'ECHO',
  'MULTI',
  'EXEC',
  'DISCARD',
  'FLUSHDB',
  'FLUSHALL',
  'DBSIZE',
  'TIME',
  'CLIENT',
  'CONFIG',
  'SCRIPT',
  'EVAL',
  'EVALSHA',
  'FCALL',
  'SCAN',
  'KEYS',
  'QUIT',
  'READONLY',
  'COMMAND',
  'SUBSCRIBE',
  'PSUBSCRIBE',
  'UNSUBSCRIBE',
  'PUNSUBSCRIBE',
  'PUBLISH',
  'CLUSTER',
  'WAIT',
  'MEMORY',
  'SLOWLOG',
]);
const MAX_ARGS = 16;
const MAX_ARG_CHARS = 256;

export function argText(value: unknown): string {
  if (typeof value === 'string') return value.length > MAX_ARG_CHARS ? value.slice(0, MAX_ARG_CHARS) : value;
  if (value instanceof Uint8Array) {
    return Buffer.from(value.buffer, value.byteOffset, Math.min(value.byteLength, MAX_ARG_CHARS)).toString('latin1');
  }
  return String(value);
}

export interface CommandShape {
  command: string;
  key?: string;
  args: string[];
}

/**
 * Name, first key and leading arguments of a command given as a name and its arguments (`args` from
 * `from` on: node-redis passes the name and its arguments in one list, read in place, not copied).
 */
export function commandShape(name: unknown, args: readonly unknown[], from = 0): CommandShape {
  const text = argText(name);
  // names come in capitals from node-redis and most ioredis calls: no new string then
  const command = isUpperCase(text) ? text : text.toUpperCase();
  const end = Math.min(args.length, from + MAX_ARGS);
  const kept: string[] = [];
  for (let i = from; i < end; i++) kept.push(argText(args[i]));
  const first = args[from];
  const key = !KEYLESS.has(command) && (typeof first === 'string' || first instanceof Uint8Array) ? kept[0] : undefined;
  return { command, key, args: kept };
}

function isUpperCase(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 97 && code <= 122) return false;
    if (code > 127) return false;
  }
  return true;
}

/** `GET ×3, HGETALL ×1`: a batch's commands by name. */
export function batchSummary(names: Map<string, number>): string {
  return [...names].map(([name, count]) => `${name} ×${count}`).join(', ');
}
