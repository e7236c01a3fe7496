import type { Sample } from './connection.js';

/** hey's `-o csv` header; rows come from csvRow, one per request, streamed. */
export const CSV_HEADER =
  'response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset\n';

/** One `-o csv` row, times in seconds as hey prints them. */
export function csvRow(sample: Sample): string {
  const s = (ms: number): string => (ms / 1000).toFixed(4);
  return `${s(sample.latencyMs)},${s(sample.dialMs)},${s(sample.dnsMs)},${s(sample.writeMs)},${s(sample.waitMs)},${s(sample.readMs)},${sample.status},${s(sample.offsetMs)}\n`;
}
