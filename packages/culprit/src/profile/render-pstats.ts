/**
 * Text rendering of the pstats table, laid out as Python's pstats prints it,
 * with times in milliseconds (web requests live there, not in seconds).
 */
import type { ProfileData } from '../capture/types.js';
import { groupDigits } from '../group-digits.js';
import { type PstatsOptions, type PstatsRow, pstatsRows, totalCalls } from './pstats.js';

const sortLabels: Record<PstatsOptions['sort'], string> = {
  tottime: 'internal time',
  cumtime: 'cumulative time',
  ncalls: 'call count',
  name: 'file name and line',
};

export function renderPstats(profile: ProfileData, options: PstatsOptions): string {
  const all = pstatsRows(profile, { ...options, limit: undefined });
  const rows = options.limit === undefined ? all : all.slice(0, options.limit);
  const busyMs = profile.nodes[0]?.totalMs ?? 0;
  const lines = [
    `${groupDigits(totalCalls(profile))} function calls over ${plural(profile.countedRequests, 'request')} ` +
      `(count pass); ${busyMs.toFixed(1)} ms sampled over ${plural(profile.requestCount, 'request')} ` +
      `every ${profile.sampleIntervalUs} µs (timing pass)`,
    '',
    `   Ordered by: ${sortLabels[options.sort]}${options.filter ? `; matching /${options.filter.source}/` : ''}` +
      (rows.length < all.length ? `; ${rows.length} of ${all.length} rows` : ''),
    '   Times in ms; percall = sampled time / exact calls (an estimate)',
    '',
    `${'ncalls'.padStart(9)} ${'tottime'.padStart(9)} ${'percall'.padStart(9)} ${'cumtime'.padStart(9)} ${'percall'.padStart(9)} filename:lineno(function)`,
    ...rows.map(formatRow),
  ];
  return `${lines.join('\n')}\n`;
}

function formatRow(row: PstatsRow): string {
  return [
    (row.ncalls === null ? '?' : String(row.ncalls)).padStart(9),
    ms(row.tottimeMs),
    perCall(row.tottimePerCallMs),
    ms(row.cumtimeMs),
    perCall(row.cumtimePerCallMs),
    row.where,
  ].join(' ');
}

function ms(value: number): string {
  return value.toFixed(3).padStart(9);
}

function perCall(value: number | null): string {
  return (value === null ? '-' : value < 0.001 && value > 0 ? value.toExponential(1) : value.toFixed(3)).padStart(9);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
