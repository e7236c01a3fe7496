/**
 * How much of a request's CPU is the app's own hot code rather than the work its rows cost: rules that weigh
 * what fewer rows (a page, a filter) would save leave out what the hotspot rule names as a cause of its own.
 * Pure.
 */
import type { ProfileFunction } from '../../capture/types.js';
import { settings } from '../settings.js';
import type { CpuFacts } from './cpu-facts.js';
import type { RequestFacts } from './request-facts.js';
import { isSyncQueryWork } from './sync-queries.js';

/**
 * The share of the sampled CPU spent in the app's own hot code (a nested
 * loop, a linear search per item): the hotspot rule names it as a cause of
 * its own, and fewer rows would not remove it (a Map would). Loading rows
 * costs CPU in the driver and the ORM, called from the app (a hotspot whose
 * time is in its callee, or a class an ORM builds), which stays the rows'
 * cost, as does a synchronous driver's query charged to the function that
 * issued it. A share, so that it applies to the traced runs' CPU: the profile is
 * taken over other runs, under another moment's load.
 */
export function hotOwnCodeShare(cpu: CpuFacts | undefined, request: RequestFacts): number {
  const dataLayer = dataLayerPackages(request);
  const share = (cpu?.hotspots ?? [])
    .filter((h) => h.share >= settings.hotShare && h.msPerRequest >= settings.hotMinMs)
    .filter(
      (h) =>
        !h.builtBy &&
        !(h.topCallee && h.topCallee.share >= 0.5 && !isOtherLibrary(h.topCallee.fn, dataLayer)) &&
        !isSyncQueryWork(h, request),
    )
    .reduce((sum, h) => sum + h.share, 0);
  return Math.min(share, 1);
}

/** The packages the request's queries ran through (driver, ORM, the library that called it), scopes as families. */
function dataLayerPackages(request: RequestFacts): Set<string> {
  const packages = new Set<string>();
  for (const query of request.queries) {
    for (const name of [query.driver, query.libraryCall?.package, query.libraryCaller?.package])
      if (name) packages.add(familyOf(name));
  }
  return packages;
}

/** `@mikro-orm/knex` and `@mikro-orm/core` are one library's parts. */
const familyOf = (name: string): string => (name.startsWith('@') ? (name.split('/')[0] ?? name) : name);

/**
 * A callee of another library than the data layer's (a date library formatting each row, a validator): its
 * CPU is the app's own choice of work, which the hotspot rule names; fewer rows is not what the profile says.
 */
function isOtherLibrary(fn: ProfileFunction, dataLayer: ReadonlySet<string>): boolean {
  return fn.category === 'dependency' && fn.package !== undefined && !dataLayer.has(familyOf(fn.package));
}
