// Expands a Scan's URL template into its size variants (pure).
import type { Scan } from './entities.js';

export interface ScanVariant {
  url: string;
  width: number | null;
  height: number | null;
}

export function scanVariants(scan: Pick<Scan, 'urlTemplate' | 'widths' | 'aspect'>): ScanVariant[] {
  const widths = scan.widths
    .split(',')
    .map((w) => Number.parseInt(w, 10))
    .filter((w) => Number.isFinite(w) && w > 0);
  if (widths.length === 0) return [{ url: scan.urlTemplate, width: null, height: null }];
  return widths.map((width) => ({
    url: scan.urlTemplate.replace('{w}', String(width)),
    width,
    height: scan.aspect === null ? null : Math.round(width * scan.aspect),
  }));
}

/** Variant `index` (the API's `img`), or the largest one when the scan has fewer sizes. */
export function pickVariant(scan: Pick<Scan, 'urlTemplate' | 'widths' | 'aspect'>, index: number): ScanVariant {
  const variants = scanVariants(scan);
  return variants[Math.min(index, variants.length - 1)] ?? { url: scan.urlTemplate, width: null, height: null };
}

/** Seeded scans have four sizes; `img` ranges over them. */
export const SEED_WIDTHS = [200, 400, 800, 1600] as const;
