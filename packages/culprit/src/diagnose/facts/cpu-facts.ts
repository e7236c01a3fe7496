/**
 * Sampled CPU time charged to the application line that spends it. A sample
 * is charged to its innermost application frame: time inside a library or a
 * Node builtin (`pbkdf2Sync`, `JSON.stringify`, an ORM's hydration) belongs to
 * the app function that called it, since that call is what the user can
 * change. Samples with no app frame on their stack (a driver parsing rows in
 * a socket callback, the garbage collector) stay unattributed.
 */
import type { ProfileData, ProfileFunction } from '../../capture/types.js';

export interface CpuHotspot {
  fn: ProfileFunction;
  /** Sampled time charged to it per request (its own and its non-app callees'), milliseconds. */
  msPerRequest: number;
  /** Share of the profile's busy time. */
  share: number;
  /** The non-app callee that took most of that time, when one did. */
  topCallee?: TopCallee;
  /** Exact calls per request of the function itself, when the count pass saw it. */
  callsPerRequest?: number;
  /**
   * The package that constructs this app class and does the work inside it:
   * an ORM building one model instance per row (`class Invoice extends Model {}`,
   * called by Sequelize, whose constructor is Sequelize's). The class line is
   * not where the time is decided; the query that returned the rows is.
   */
  builtBy?: string;
  /** Share of its charged time spent reading files (`readFileSync`, `fs.readFile`…). */
  fileReadShare: number;
  /**
   * The one application function that calls it (all but a sliver of its sampled time: a frame of an inlined
   * callee now and then shows the callee as its caller), when there is one.
   */
  appCaller?: ProfileFunction;
}

export interface TopCallee {
  fn: ProfileFunction;
  msPerRequest: number;
  share: number;
  /**
   * The first function of another package below it that holds most of its time (≥ THROUGH_SHARE): a
   * package that wrapped what the callee calls (a logger's `res.end` under the framework's `res.json`)
   * does the work, not the callee's own code.
   */
  through?: { fn: ProfileFunction; share: number };
}

/** The share of a callee's time another package's function below it must hold to be named as doing the work. */
const THROUGH_SHARE = 0.5;

/** Node's file-reading functions, as the first frame below an app function. */
const FILE_READS = /^(readFileSync|readFile|readSync|tryReadSync|readFileUtf8|readFileHandle|openSync|readvSync)$/;

export interface CpuFacts {
  /** Busy (not idle) sampled time per request, milliseconds. */
  busyMsPerRequest: number;
  hotspots: CpuHotspot[];
  /** Library functions no app frame is ever above (work resumed from a promise job), most expensive first. */
  libraryWork: LibraryWork[];
  /** The package whose own code holds most of the samples no app frame is above, when one does. */
  idlePackage?: PackageWork;
}

/** A dependency package's own sampled time outside any app frame, and its function holding the most of it. */
export interface PackageWork {
  pkg: string;
  msPerRequest: number;
  share: number;
  top: ProfileFunction;
}

/** A dependency's function sampled only outside any app frame, with its exact calls. */
export interface LibraryWork {
  fn: ProfileFunction;
  /** Its sampled time, its callees' included, per request. */
  msPerRequest: number;
  share: number;
  callsPerRequest: number;
}

/** Charges every sample to its innermost app frame; hotspots most expensive first. */
export function cpuFactsOf(profile: ProfileData | undefined): CpuFacts | undefined {
  if (!profile || profile.nodes.length === 0) return undefined;
  const requests = Math.max(profile.requestCount, 1);
  const isApp = (node: number): boolean => profile.functions[profile.nodes[node]?.fn ?? -1]?.category === 'app';
  // Parents precede children in `nodes`, so one forward pass resolves each node's app ancestor.
  const appAncestor = new Int32Array(profile.nodes.length).fill(-1);
  const calledByApp = new Int32Array(profile.nodes.length).fill(-1);
  const charged = new Map<number, number>();
  const calleeMs = new Map<number, Map<number, number>>();
  /** Per node below a callee: the first frame of another dependency package between the callee and it. */
  const foreign = new Int32Array(profile.nodes.length).fill(-1);
  /** Per app function, per callee: time per first foreign function below the callee. */
  const throughMs = new Map<number, Map<number, Map<number, number>>>();
  /** Per app function: the one package that calls it (null once another caller is seen). */
  const calledFrom = new Map<number, string | null>();
  /** Per app function: its sampled time under each app function directly above it. */
  const appCallerMs = new Map<number, Map<number, number>>();
  /** Functions seen below an app frame once at least, and every function's time (outermost recursion only). */
  const underApp = new Set<number>();
  const totalOf = new Map<number, number>();
  let busyMs = 0;
  profile.nodes.forEach((node, index) => {
    const parent = node.parent;
    if (isApp(index)) {
      appAncestor[index] = index;
      const caller = profile.functions[profile.nodes[parent]?.fn ?? -1];
      const from = caller?.category === 'dependency' ? (caller.package ?? null) : null;
      calledFrom.set(node.fn, calledFrom.has(node.fn) && calledFrom.get(node.fn) !== from ? null : from);
      const above = parent >= 0 ? (profile.nodes[appAncestor[parent] ?? -1]?.fn ?? -1) : -1;
      const callers = appCallerMs.get(node.fn) ?? new Map<number, number>();
      callers.set(above, (callers.get(above) ?? 0) + node.totalMs);
      appCallerMs.set(node.fn, callers);
    } else if (parent >= 0) {
      appAncestor[index] = appAncestor[parent] ?? -1;
      calledByApp[index] = appAncestor[parent] === parent ? index : (calledByApp[parent] ?? -1);
      foreign[index] = firstForeign(profile, index, calledByApp[index] ?? -1, foreign[parent] ?? -1);
    }
    if ((appAncestor[index] ?? -1) >= 0) underApp.add(node.fn);
    if (profile.nodes[parent]?.fn !== node.fn) totalOf.set(node.fn, (totalOf.get(node.fn) ?? 0) + node.totalMs);
    const category = profile.functions[node.fn]?.category;
    if (node.selfMs <= 0 || category === 'idle' || category === 'root') return;
    busyMs += node.selfMs;
    const owner = appAncestor[index] ?? -1;
    if (owner < 0) return;
    const ownerFn = profile.nodes[owner]?.fn ?? -1;
    charged.set(ownerFn, (charged.get(ownerFn) ?? 0) + node.selfMs);
    const via = calledByApp[index] ?? -1;
    if (via >= 0) {
      const viaFn = profile.nodes[via]?.fn ?? -1;
      const callees = calleeMs.get(ownerFn) ?? new Map<number, number>();
      callees.set(viaFn, (callees.get(viaFn) ?? 0) + node.selfMs);
      calleeMs.set(ownerFn, callees);
      const through = profile.nodes[foreign[index] ?? -1]?.fn;
      if (through !== undefined) addThrough(throughMs, ownerFn, viaFn, through, node.selfMs);
    }
  });
  const hotspots: CpuHotspot[] = [];
  for (const [fnIndex, ms] of charged) {
    const fn = profile.functions[fnIndex];
    if (!fn) continue;
    let top: [number, number] | undefined;
    let readingMs = 0;
    for (const entry of calleeMs.get(fnIndex) ?? []) {
      if (!top || entry[1] > top[1]) top = entry;
      const callee = profile.functions[entry[0]];
      if (callee?.category === 'node' && FILE_READS.test(callee.name)) readingMs += entry[1];
    }
    const hotspot: CpuHotspot = {
      fn,
      msPerRequest: ms / requests,
      share: busyMs > 0 ? ms / busyMs : 0,
      fileReadShare: ms > 0 ? readingMs / ms : 0,
    };
    const caller = profile.functions[dominantCaller(appCallerMs.get(fnIndex)) ?? -1];
    if (caller && caller !== fn) hotspot.appCaller = caller;
    const calleeFn = top ? profile.functions[top[0]] : undefined;
    if (top && calleeFn) {
      hotspot.topCallee = { fn: calleeFn, msPerRequest: top[1] / requests, share: top[1] / ms };
      const through = topThrough(profile, throughMs.get(fnIndex)?.get(top[0]), top[1]);
      if (through) hotspot.topCallee.through = through;
    }
    if (fn.calls !== null && profile.countedRequests > 0) hotspot.callsPerRequest = fn.calls / profile.countedRequests;
    const builder = calledFrom.get(fnIndex);
    if (builder && isBuiltClass(fn, builder, hotspot)) hotspot.builtBy = builder;
    hotspots.push(hotspot);
  }
  hotspots.sort((a, b) => b.msPerRequest - a.msPerRequest);
  const libraryWork = libraryWorkOf(profile, underApp, totalOf, busyMs);
  const facts: CpuFacts = { busyMsPerRequest: busyMs / requests, hotspots, libraryWork };
  const idle = busiestPackage(profile, underApp, busyMs);
  if (idle) facts.idlePackage = idle;
  return facts;
}

/** Of the dependency functions never under an app frame, the package whose own time is the most. */
function busiestPackage(profile: ProfileData, underApp: ReadonlySet<number>, busyMs: number): PackageWork | undefined {
  if (busyMs <= 0) return undefined;
  const perPackage = new Map<string, { ms: number; top: ProfileFunction }>();
  profile.functions.forEach((fn, index) => {
    if (fn.category !== 'dependency' || !fn.package || underApp.has(index) || fn.selfMs <= 0) return;
    const seen = perPackage.get(fn.package);
    if (!seen) perPackage.set(fn.package, { ms: fn.selfMs, top: fn });
    else {
      seen.ms += fn.selfMs;
      if (fn.selfMs > seen.top.selfMs) seen.top = fn;
    }
  });
  let best: [string, { ms: number; top: ProfileFunction }] | undefined;
  for (const entry of perPackage) if (!best || entry[1].ms > best[1].ms) best = entry;
  if (!best) return undefined;
  const requests = Math.max(profile.requestCount, 1);
  return { pkg: best[0], msPerRequest: best[1].ms / requests, share: best[1].ms / busyMs, top: best[1].top };
}

/** Counted dependency functions that no sampled stack shows under an app frame, by time per request. */
function libraryWorkOf(
  profile: ProfileData,
  underApp: ReadonlySet<number>,
  totalOf: ReadonlyMap<number, number>,
  busyMs: number,
): LibraryWork[] {
  if (profile.countedRequests <= 0 || busyMs <= 0) return [];
  const requests = Math.max(profile.requestCount, 1);
  const work: LibraryWork[] = [];
  for (const [fnIndex, ms] of totalOf) {
    const fn = profile.functions[fnIndex];
    if (fn?.category !== 'dependency' || fn.calls === null || underApp.has(fnIndex)) continue;
    work.push({
      fn,
      msPerRequest: ms / requests,
      share: ms / busyMs,
      callsPerRequest: fn.calls / profile.countedRequests,
    });
  }
  return work.sort((a, b) => b.msPerRequest - a.msPerRequest);
}

/**
 * A class of the app that a library constructs and works inside: named like a
 * class, called only from that package, and its time spent back in it (its
 * own constructor body does next to nothing: `super()`).
 */
function isBuiltClass(fn: ProfileFunction, pkg: string, hotspot: CpuHotspot): boolean {
  return (
    /^[A-Z][\w$]*$/.test(fn.name) &&
    hotspot.topCallee?.fn.package === pkg &&
    hotspot.topCallee.share >= 0.8 &&
    fn.selfMs <= 0.1 * Math.max(fn.totalMs, 1e-9)
  );
}

/** The node's first frame of a dependency package other than its callee's (`via`), inherited from its parent. */
function firstForeign(profile: ProfileData, index: number, via: number, parentForeign: number): number {
  if (via < 0 || via === index) return -1;
  if (parentForeign >= 0) return parentForeign;
  const fn = profile.functions[profile.nodes[index]?.fn ?? -1];
  const viaFn = profile.functions[profile.nodes[via]?.fn ?? -1];
  return fn?.category === 'dependency' && fn.package && viaFn?.package && fn.package !== viaFn.package ? index : -1;
}

function addThrough(
  all: Map<number, Map<number, Map<number, number>>>,
  owner: number,
  via: number,
  through: number,
  ms: number,
): void {
  const perCallee = all.get(owner) ?? new Map<number, Map<number, number>>();
  const perThrough = perCallee.get(via) ?? new Map<number, number>();
  perThrough.set(through, (perThrough.get(through) ?? 0) + ms);
  perCallee.set(via, perThrough);
  all.set(owner, perCallee);
}

/** The foreign function holding most of a callee's `calleeMs`, when it holds at least THROUGH_SHARE of it. */
function topThrough(
  profile: ProfileData,
  perThrough: Map<number, number> | undefined,
  calleeMs: number,
): TopCallee['through'] {
  let best: [number, number] | undefined;
  for (const entry of perThrough ?? []) if (!best || entry[1] > best[1]) best = entry;
  const fn = best ? profile.functions[best[0]] : undefined;
  if (!best || !fn || calleeMs <= 0 || best[1] / calleeMs < THROUGH_SHARE) return undefined;
  return { fn, share: best[1] / calleeMs };
}

/** Of the time a function's callers carry, the share one must carry to be called its caller. */
const DOMINANT_CALLER_SHARE = 0.95;

/** The caller under which (nearly) all of a function's sampled time ran; -1 (the root) counts as a caller. */
function dominantCaller(callers: ReadonlyMap<number, number> | undefined): number | undefined {
  if (!callers || callers.size === 0) return undefined;
  let total = 0;
  let top: [number, number] | undefined;
  for (const entry of callers) {
    total += entry[1];
    if (!top || entry[1] > top[1]) top = entry;
  }
  if (!top) return undefined;
  // a function only ever seen unsampled under each caller is called by one when only one is known
  if (callers.size === 1) return top[0];
  return top[1] >= DOMINANT_CALLER_SHARE * total && total > 0 ? top[0] : undefined;
}
