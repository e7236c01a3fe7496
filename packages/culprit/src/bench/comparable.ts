/**
 * Whether two saved bench runs measure the same thing: `culprit compare`
 * used to set runs of different URLs or methods side by side without a word.
 * Differences in what was sent are warnings (a before/after on another host
 * is legitimate); latencies in different units cannot be compared at all. Pure.
 */
import { CulpritError } from '../errors/culprit-error.js';

/** What a saved run says about how it was made (older files may lack some of it). */
export interface RunShape {
  label: string;
  url?: string;
  method?: string;
  concurrency?: number;
  /** Paced total rate (-q), null when unpaced. */
  rate?: number | null;
  /** Unit of the latency histogram (`histogramUnit`); files without it are in µs. */
  unit: string;
}

/** The unit compare reads histograms in (what culprit bench writes). */
export const COMPARED_UNIT = 'us';

function differ<T>(a: T | undefined, b: T | undefined): boolean {
  return a !== undefined && b !== undefined && a !== b;
}

const paced = (rate: number | null | undefined): string => (rate == null ? 'unpaced' : `-q ${rate}`);

/**
 * Warnings for runs that sent different requests or load; throws
 * CULPRIT_E_INCOMPARABLE_RUNS (usage) when the figures cannot be set side by side.
 */
export function comparabilityWarnings(a: RunShape, b: RunShape): string[] {
  if (a.unit !== b.unit) {
    throw new CulpritError(
      'CULPRIT_E_INCOMPARABLE_RUNS',
      `${a.label} records latencies in '${a.unit}' but ${b.label} in '${b.unit}'; compare two runs saved by the same culprit bench`,
    );
  }
  if (a.unit !== COMPARED_UNIT) {
    throw new CulpritError(
      'CULPRIT_E_INCOMPARABLE_RUNS',
      `${a.label} and ${b.label} record latencies in '${a.unit}'; culprit compare reads histograms in '${COMPARED_UNIT}' (culprit bench --save)`,
    );
  }
  const warnings: string[] = [];
  if (differ(a.method, b.method) || differ(requestOf(a.url), requestOf(b.url))) {
    warnings.push(
      `A and B sent different requests (A: ${a.method ?? '?'} ${a.url ?? '?'}, B: ${b.method ?? '?'} ${b.url ?? '?'}): the comparison is of two endpoints, not a before/after of one`,
    );
  }
  if (differ(a.concurrency, b.concurrency)) {
    warnings.push(
      `A ran ${a.concurrency} connections, B ${b.concurrency}: latencies under different load differ anyway`,
    );
  }
  if (a.rate !== undefined && b.rate !== undefined && a.rate !== b.rate) {
    warnings.push(`A was ${paced(a.rate)}, B ${paced(b.rate)}: latencies under different load differ anyway`);
  }
  return warnings;
}

/**
 * The request a URL names, without scheme, host and port: a before/after
 * pair often runs two servers on two ports (the fixed build beside the old one).
 */
function requestOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(.*)$/i.exec(url);
  return match ? match[1] || '/' : url;
}
