/** A display unit for a whole report, so columns compare at a glance. */
export interface TimeUnit {
  label: 'µs' | 'ms' | 's';
  /** ms → this unit. */
  factor: number;
  decimals: number;
}

const units: readonly TimeUnit[] = [
  { label: 'µs', factor: 1000, decimals: 1 },
  { label: 'ms', factor: 1, decimals: 3 },
  { label: 's', factor: 0.001, decimals: 4 },
];

/** Picks µs below 1 ms, s from 10 s, else ms, from a typical value (hey always prints secs: `0.000 secs`). */
export function unitFor(typicalMs: number): TimeUnit {
  if (typicalMs < 1) return units[0] as TimeUnit;
  if (typicalMs >= 10_000) return units[2] as TimeUnit;
  return units[1] as TimeUnit;
}

export function formatTime(ms: number, unit: TimeUnit): string {
  return `${(ms * unit.factor).toFixed(unit.decimals)} ${unit.label}`;
}

/** One value in its own unit (µs below 1 ms, s from 10 s) with 4 significant digits: `812.0 µs`, `64.37 ms`. */
export function formatTimeAuto(ms: number): string {
  if (ms === 0) return '0 ms';
  const unit = unitFor(ms);
  const v = ms * unit.factor;
  const decimals = v >= 1000 ? 0 : v >= 100 ? 1 : v >= 10 ? 2 : 3;
  return `${v.toFixed(decimals)} ${unit.label}`;
}
