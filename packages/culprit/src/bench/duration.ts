/** Go-style durations as hey takes them (`10s`, `1m30s`, `500ms`, `2h`); a bare number is seconds. Returns ms or undefined. */
export function parseDurationMs(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const unitMs: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001 };
  const part = /(\d+(?:\.\d+)?)(ms|us|µs|h|m|s)/gy;
  let total = 0;
  let matched = 0;
  for (let m = part.exec(trimmed); m !== null; m = part.exec(trimmed)) {
    total += Number(m[1]) * (unitMs[m[2] ?? ''] ?? Number.NaN);
    matched = part.lastIndex;
  }
  return matched === trimmed.length && matched > 0 && Number.isFinite(total) ? total : undefined;
}
