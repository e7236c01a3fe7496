// Query-string and path parameter parsing (pure). Every failure names the
// parameter; values are only ever passed on as bound SQL parameters.
import { badParameter } from './errors.js';

/** A request's query string as Fastify parses it: repeated keys give arrays. */
export class QueryParams {
  constructor(private readonly raw: Readonly<Record<string, unknown>>) {}

  static from(query: unknown): QueryParams {
    return new QueryParams(typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {});
  }

  /** The last value given for `name` (the usual web-framework reading of `?a=1&a=2`). */
  one(name: string): string | undefined {
    const value = this.raw[name];
    if (Array.isArray(value)) {
      const last: unknown = value[value.length - 1];
      return typeof last === 'string' ? last : undefined;
    }
    return typeof value === 'string' ? value : undefined;
  }

  /** Comma lists, from one or several occurrences: `?expand=a,b&expand=c`. */
  list(name: string): string[] | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    const parts = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    return parts
      .flatMap((part) => part.split(','))
      .map((part) => part.trim())
      .filter((part) => part !== '');
  }
}

const MAX_ID = 2_147_483_647;

/** A positive integer id (path or filter); "12abc", "-1", "1e3" and overflows are refused. */
export function parseId(parameter: string, value: string | undefined): number {
  if (value === undefined || !/^[0-9]{1,10}$/.test(value)) {
    throw badParameter(parameter, `expected a positive integer id, got ${JSON.stringify(value ?? '')}`);
  }
  const id = Number(value);
  if (id < 1 || id > MAX_ID) throw badParameter(parameter, `id must be between 1 and ${MAX_ID}, got ${value}`);
  return id;
}

export function parseIntInRange(
  parameter: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined || value === '') return fallback;
  if (!/^-?[0-9]{1,10}$/.test(value)) {
    throw badParameter(parameter, `expected an integer between ${min} and ${max}, got ${JSON.stringify(value)}`);
  }
  const n = Number(value);
  if (n < min || n > max) throw badParameter(parameter, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function optionalId(parameter: string, value: string | undefined): number | null {
  return value === undefined || value === '' ? null : parseId(parameter, value);
}

export function parseText(parameter: string, value: string | undefined, maxLength: number): string | null {
  if (value === undefined) return null;
  if (value.length > maxLength) throw badParameter(parameter, `at most ${maxLength} characters, got ${value.length}`);
  return value;
}
