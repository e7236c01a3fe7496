/**
 * Access logs in the Common Log Format and the Combined format (NCSA; what
 * nginx and Apache write by default, and morgan's `common`/`combined`):
 * `host ident user [10/Oct/2000:13:55:36 -0700] "GET /path HTTP/1.1" 200 2326 "referer" "agent"`.
 * Only the time, method and path are replayed. Pure.
 */
import type { ReplayEntry, ReplayFile } from './entry.js';

const LINE = /^\S+ \S+ .*?\[([^\]]+)\] "([A-Z]+) (\S+)(?: HTTP\/[\d.]+)?" (?:\d{3}|-) (?:\d+|-)(?: "[^"]*" "[^"]*")?/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TIME = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))? ([+-])(\d{2})(\d{2})$/;

/** `10/Oct/2000:13:55:36 -0700` → epoch ms; NaN when it does not parse. */
export function parseLogTime(text: string): number {
  const m = TIME.exec(text);
  if (!m) return Number.NaN;
  const month = MONTHS.indexOf(m[2] ?? '');
  if (month < 0) return Number.NaN;
  const utc = Date.UTC(
    Number(m[3]),
    month,
    Number(m[1]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    Number((m[7] ?? '0').padEnd(3, '0')),
  );
  const offsetMin = (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  return utc - offsetMin * 60_000;
}

/** True when the text's first non-empty line is an access-log line. */
export function looksLikeAccessLog(text: string): boolean {
  const first = text.split('\n').find((line) => line.trim() !== '');
  return first !== undefined && LINE.test(first.trim());
}

/** A path as sent on the wire: an absolute-form request target (`GET http://host/x`) keeps only its path. */
function pathOf(target: string): string | undefined {
  if (target.startsWith('/')) return target;
  try {
    const url = new URL(target);
    return `${url.pathname}${url.search}`;
  } catch {
    return undefined;
  }
}

export function parseAccessLog(text: string): ReplayFile {
  const entries: ReplayEntry[] = [];
  let unreadable = 0;
  let first: number | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const m = LINE.exec(line);
    const path = m ? pathOf(m[3] ?? '') : undefined;
    const at = m ? parseLogTime(m[1] ?? '') : Number.NaN;
    if (!m || path === undefined || Number.isNaN(at)) {
      unreadable++;
      continue;
    }
    first ??= at;
    entries.push({ atMs: at - first, method: m[2] ?? 'GET', path });
  }
  return { format: 'access-log', entries: sortByTime(entries), unreadable };
}

/** Logs are written when responses end, so lines may be slightly out of order. */
export function sortByTime(entries: ReplayEntry[]): ReplayEntry[] {
  const sorted = [...entries].sort((a, b) => a.atMs - b.atMs);
  const start = sorted[0]?.atMs ?? 0;
  return sorted.map((e) => ({ ...e, atMs: e.atMs - start }));
}
