/** Shared wording of evidence, so every finding says counts, times and places the same way. */
import type { SourceLocation } from '../capture/types.js';
import { groupDigits } from '../group-digits.js';

export function formatCount(value: number): string {
  return groupDigits(Math.round(value));
}

export function formatMs(value: number): string {
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 1) return `${value.toFixed(1)} ms`;
  return `${(value * 1000).toFixed(0)} µs`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1_000) return `${(bytes / 1_000).toFixed(0)} KB`;
  return `${Math.round(bytes)} B`;
}

/** `src/api/viewsets.ts:42`. */
export function formatLocation(location: SourceLocation | undefined): string {
  if (!location) return '(unknown location)';
  return `${location.file.replace(/^file:\/\//, '')}:${location.line}`;
}

/** `src/api/viewsets.ts:42 (getSerializer)`. */
export function formatPlace(location: SourceLocation | undefined): string {
  const name = location?.functionName;
  return `${formatLocation(location)}${name ? ` (${name})` : ''}`;
}

export function plural(count: number, noun: string): string {
  if (Math.round(count) === 1) return `${formatCount(count)} ${noun}`;
  // a query, two queries (a key, two keys)
  return `${formatCount(count)} ${/[^aeiou]y$/.test(noun) ? `${noun.slice(0, -1)}ies` : `${noun}s`}`;
}

export function clampShare(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return Math.min(value, 1);
}

/** `42%`. */
export function formatPercent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
