/**
 * A key equal for two queries of one capture when their statement and
 * literal values were equal: diagnose tells "the same row fetched 30 times"
 * (a duplicate) from "one row per item" (N+1) by it. The values themselves
 * are redacted from captures, so the key is a hash salted per process: it
 * compares within one capture and reveals nothing across captures.
 */
import { createHmac, randomBytes } from 'node:crypto';

const salt = randomBytes(16);

export function valuesKey(sql: string, params: readonly unknown[] | undefined): string {
  let values: string;
  try {
    values = JSON.stringify(params ?? []);
  } catch {
    values = String(params); // cyclic values: still equal for equal inputs in practice
  }
  return createHmac('sha256', salt).update(sql).update('\u0000').update(values).digest('base64url').slice(0, 16);
}
