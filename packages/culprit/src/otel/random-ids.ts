/**
 * Trace and span ids for the export worker: random hex drawn from one pool of
 * random bytes refilled a few KB at a time. A `randomBytes` call per id was
 * the export worker's largest cost on a busy server (a system call and a
 * Buffer per id, two ids per request); ids stay cryptographically random.
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

/** `hexDigits` random hex digits (16: a span id, 32: a trace id); never all zeros (an invalid id in OTLP). */
export function newId(hexDigits: 16 | 32): string {
  const bytes = hexDigits / 2;
  for (;;) {
    if (used + bytes > POOL_BYTES) {
      randomFillSync(pool);
      used = 0;
    }
    const id = pool.toString('hex', used, used + bytes);
    used += bytes;
    if (!/^0+$/.test(id)) return id;
  }
}
