/**
 * Stacks taken where the app issues an operation (a query, an HTTP call, a
 * Redis command), read only as far as the record needs. A record names one
 * frame, the first of the application's, so a captured stack is read up to
 * that frame: every other frame costs one file-name check, not a position
 * lookup and an object. The whole stack is read only for `--stacks`.
 *
 * Runs inside the user's process: node built-ins only, never throws.
 */
import { isOwnFile } from '../own-code.js';
import { type BundleLines, bundleLines, isApplicationLine } from './bundle-lines.js';
import { noteFault } from './faults.js';

/**
 * One stack frame as V8 reports it, before source mapping: `url` is an
 * absolute path (CommonJS) or a `file://` URL (ESM); line and column are
 * 0-based like the inspector protocol's.
 */
export interface RawFrame {
  url: string;
  line: number;
  column: number;
  functionName?: string;
  /** A caller awaiting this work (V8 async stack trace), not on the synchronous stack. */
  async?: boolean;
}

/** A stack taken at issue time, read on demand (each part once). */
export interface FrameSource {
  /** Every frame, innermost first. */
  frames(): RawFrame[];
  /** The first application frame; `syncOnly`: the first one on the synchronous stack. */
  appFrame(syncOnly?: boolean): RawFrame | undefined;
  /** Where the app built the statement, when a query builder said (`BuiltStack`) and it is not `appFrame()`. */
  builtAt?(): RawFrame | undefined;
}

/** Distinct script URLs whose verdict is remembered; past it the table starts over. */
const URL_CACHE_SIZE = 2_000;
/** Per script: whether it is the application's, or a bundle's sections (bundle-lines.ts) when that depends on the line. */
const applicationUrls = new Map<string, boolean | BundleLines>();

function verdictOf(url: string): boolean | BundleLines {
  let verdict = applicationUrls.get(url);
  if (verdict === undefined) {
    verdict = !(url.startsWith('node:') || !url.includes('/') || url.includes('/node_modules/') || isOwnFile(url));
    if (verdict) verdict = bundleLines(url) ?? true;
    if (applicationUrls.size >= URL_CACHE_SIZE) applicationUrls.clear();
    applicationUrls.set(url, verdict);
  }
  return verdict;
}

/**
 * Files the probe treats as "not the application" when picking an operation's location; in a bundle the
 * probe compiled, the 0-based `line` decides (a bundled dependency's lines are not; without a line, the app).
 */
export function isApplicationFrame(url: string, line = -1): boolean {
  const verdict = verdictOf(url);
  return typeof verdict === 'boolean' ? verdict : line < 0 || isApplicationLine(verdict, line);
}

/** Frames already read (a plain list: worker queries, tests, stacks joined by hand). */
export class FrameList implements FrameSource {
  // declared, not a parameter property: that compiles to a class field, defined through an IC then stored again
  // (one per got call, appFrameOnly)
  declare private readonly list: RawFrame[];

  constructor(list: RawFrame[]) {
    this.list = list;
  }

  frames(): RawFrame[] {
    return this.list;
  }

  appFrame(syncOnly = false): RawFrame | undefined {
    return firstApplicationFrame(this.list, syncOnly);
  }
}

export const NO_FRAMES: FrameSource = new FrameList([]);

export function firstApplicationFrame(frames: readonly RawFrame[], syncOnly = false): RawFrame | undefined {
  // indexed, not for…of: in baseline code (a record's one-frame list, read once per call) that is an iterator
  for (let i = 0; i < frames.length; i++)
    if (!(syncOnly && frames[i]?.async) && isApplicationFrame(frames[i]?.url ?? '', frames[i]?.line)) return frames[i];
  return undefined;
}

type Sites = NodeJS.CallSite[];
const returnSites = (_error: Error, sites: Sites): Sites => sites;
const holdsNoSites: Sites = [];

/**
 * The current stack below `below` (which and whose callers' frames are left
 * out), at most `limit` frames. V8 keeps it structured, with no strings,
 * until it is read. Error.prepareStackTrace is swapped only while reading
 * (synchronously), so the app's formatter and --enable-source-maps are untouched.
 * Given `sites` instead (a capture read at once, captureHinted), it reads those.
 */
export class CapturedStack implements FrameSource {
  // declared, not initialized as class fields: a field initializer defines the property through an IC per field
  // (DefineNamedOwnIC), then the constructor stores it again; Node 20 runs this in baseline code, one per operation
  declare private holder: { stack?: unknown } | undefined;
  declare private sites: Sites | undefined;
  declare private all: RawFrame[] | undefined;
  declare private first: RawFrame | null | undefined;
  declare private firstSync: RawFrame | null | undefined;
  /** Index of `first` among the captured frames (-1: none, or not looked for yet). */
  declare private firstAt: number;

  constructor(below: ((...args: never[]) => unknown) | Sites, limit = 0) {
    // every field in this order on both paths: one object shape
    this.holder = undefined;
    this.sites = undefined;
    this.all = undefined;
    this.first = undefined;
    this.firstSync = undefined;
    this.firstAt = -1;
    if (Array.isArray(below)) {
      this.sites = below;
      return;
    }
    this.holder = {};
    const previousLimit = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = limit;
      Error.captureStackTrace(this.holder as object, below);
    } catch (error) {
      noteFault('captureStack', error); // a stack is a nicety: never fail the app's operation for it
    } finally {
      Error.stackTraceLimit = previousLimit;
    }
  }

  frames(): RawFrame[] {
    this.all ??= framesOf(this.callSites());
    return this.all;
  }

  appFrame(syncOnly = false): RawFrame | undefined {
    if (this.all) return firstApplicationFrame(this.all, syncOnly);
    if (syncOnly) {
      if (this.firstSync === undefined) this.firstSync = siteFrame(this.callSites(), true) ?? null;
      return this.firstSync ?? undefined;
    }
    this.findFirst();
    return this.first ?? undefined;
  }

  /** How many frames V8 captured (native frames included), up to the limit it was taken with. */
  capturedCount(): number {
    return this.callSites().length;
  }

  /** How many frames down the first application frame is (0: the caller of `below`); -1 when there is none. */
  appFrameIndex(): number {
    this.findFirst();
    return this.firstAt;
  }

  private findFirst(): void {
    if (this.first !== undefined) return;
    const sites = this.callSites();
    this.firstAt = firstSiteAt(sites, false);
    this.first = (this.firstAt < 0 ? undefined : siteFrameAt(sites, this.firstAt)) ?? null;
  }

  private callSites(): Sites {
    if (this.sites) return this.sites;
    const previousPrepare = Error.prepareStackTrace;
    try {
      Error.prepareStackTrace = returnSites;
      const sites = this.holder?.stack; // V8 formats on first read, with the prepareStackTrace current then
      this.sites = Array.isArray(sites) ? (sites as Sites) : holdsNoSites;
    } catch (error) {
      noteFault('readStack', error);
      this.sites = holdsNoSites;
    } finally {
      Error.prepareStackTrace = previousPrepare;
    }
    this.holder = undefined;
    return this.sites;
  }
}

/**
 * A capture costs V8 about the same per frame walked (measured here: 40 frames
 * cost 7× what 0 do), and the application frame is among the first few frames
 * of most operations (the hook's caller, or a driver's few frames above it):
 * the first `short` frames are taken and searched at once, and only when they
 * hold no application frame (an ORM's deep stack) is the stack taken again,
 * `limit` deep, while the same synchronous call is still on it.
 */
export function captureShortFirst(below: (...args: never[]) => unknown, short: number, limit: number): FrameSource {
  if (short >= limit) return new CapturedStack(below, limit);
  return orDeeper(captureHinted(below, short), below, short, limit);
}

/**
 * captureShortFirst's second step, for a caller that took `first` with captureHinted itself (one frame fewer
 * above `below` for V8 to walk): `first` when it holds an application frame, else the stack `limit` deep.
 */
export function orDeeper(
  first: CapturedStack,
  below: (...args: never[]) => unknown,
  short: number,
  limit: number,
): FrameSource {
  if (first.appFrameIndex() >= 0 || short >= limit) return first;
  const deep = new CapturedStack(below, limit);
  const deepAt = deep.appFrameIndex();
  if (deepAt >= 0 && deepAt < short) noteDepth(below, deepAt, short);
  return deep;
}

/**
 * The stack below `below`, at most `short` frames, and fewer when this hook's callers' application frame has
 * been within a few frames: frames past it are walked and read for nothing (fetch's ~27 of 55, ioredis's 3 of
 * 10). Read up to its application frame now (appFrameIndex() is -1 when there is none).
 */
export function captureHinted(below: (...args: never[]) => unknown, short: number): CapturedStack {
  // taken here, not through CapturedStack's constructor or a helper: V8 walks (and, for optimized
  // code, decodes) every frame above `below` before it skips them, ≈1.3k instructions each on Node 24
  const holder: StackHolder = {};
  const limit = openCapture(below, short);
  try {
    Error.captureStackTrace(holder, below);
  } catch (error) {
    noteFault('captureStack', error); // a stack is a nicety: never fail the app's operation for it
  }
  return closeCapture(holder, below, short, limit);
}

/** What Error.captureStackTrace fills. */
export type StackHolder = { stack?: unknown };

/** Error.stackTraceLimit as openCapture found it (no JavaScript runs between openCapture and closeCapture). */
let limitBefore = 10;
/** Whether openCapture's hook had a depth hint. */
let hintedBefore = false;

/**
 * captureHinted's first half, for a hook that calls `Error.captureStackTrace(holder, below)` itself, right
 * after: sets the limit (the hint, at most `short`) and returns it. On Node 20 the functions of a capture
 * taken through helpers stay in Sparkplug code for thousands of calls, and V8 summarizes every frame it
 * walks, each a linear scan of its bytecode offsets (≈2–3k instructions per frame): a hook capturing in
 * its own body has no frame of the probe's above `below`. closeCapture must follow, whatever happens.
 */
export function openCapture(below: (...args: never[]) => unknown, short: number): number {
  const hinted = depthHints.get(below);
  const limit = hinted === undefined || hinted > short ? short : hinted;
  hintedBefore = hinted !== undefined;
  limitBefore = Error.stackTraceLimit;
  Error.stackTraceLimit = limit;
  return limit;
}

/** captureHinted's second half: restores the limit, reads `holder`'s frames up to the application frame. */
export function closeCapture(
  holder: StackHolder,
  below: (...args: never[]) => unknown,
  short: number,
  limit: number,
): CapturedStack {
  Error.stackTraceLimit = limitBefore;
  const hinted = hintedBefore;
  let sites: Sites = holdsNoSites;
  const previousPrepare = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = returnSites;
    const read = holder.stack; // V8 formats on first read, with the prepareStackTrace current then
    if (Array.isArray(read)) sites = read as Sites;
  } catch (error) {
    noteFault('captureStack', error);
  } finally {
    Error.prepareStackTrace = previousPrepare;
  }
  const stack = new CapturedStack(sites);
  const at = stack.appFrameIndex();
  if (at >= 0) {
    // the hint only grows: an application frame within it (the limit) leaves it as it is
    if (!hinted) noteDepth(below, at, short);
  } else if (limit < short && sites.length === limit) {
    // cut by the hint (a caller deeper than any before): once more as deep as `short`, which grows the hint
    const again = new CapturedStack(below, short);
    const deeper = again.appFrameIndex();
    if (deeper >= 0) noteDepth(below, deeper, short);
    return again;
  }
  return stack;
}

/**
 * Per hook (its `below` function): frames its first, short capture takes, down to the deepest application frame
 * seen so far, never more than the hook's short depth. Every frame costs V8 about the same to walk and again to
 * read (≈2k instructions each on Node 24), so none is taken past it: a caller deeper than any before costs one
 * deep capture, once per new depth, and the hint only grows.
 */
const depthHints = new WeakMap<object, number>();

function noteDepth(below: object, at: number, short: number): void {
  const wanted = Math.min(short, at + 1);
  const hinted = depthHints.get(below);
  if (hinted === undefined || wanted > hinted) depthHints.set(below, wanted);
}

/**
 * Frames are shared between operations issued from the same place: a loop's
 * thousand queries hold one frame object, and the record builder maps it once.
 * Looked up by script, then by a number made of line, column and the async
 * flag: no key string is built and hashed per frame read.
 */
const FRAME_CACHE_SIZE = 5_000;
const frameCache = new Map<string, Map<number, RawFrame>>();
let framesCached = 0;

function frameAt(site: NodeJS.CallSite, url: string): RawFrame {
  const oneBasedLine = site.getLineNumber() ?? 1;
  const oneBasedColumn = site.getColumnNumber() ?? 1;
  const line = oneBasedLine > 0 ? oneBasedLine - 1 : 0;
  const column = oneBasedColumn > 0 ? oneBasedColumn - 1 : 0;
  const async = site.isAsync();
  // exact below 2^53: lines under 2^20, columns under 2^31 (one position holds one function, whose name it gives)
  const key = line * 2 ** 32 + column * 2 + (async ? 1 : 0);
  let inScript = frameCache.get(url);
  let frame = inScript?.get(key);
  if (frame === undefined) {
    frame = { url, line, column };
    const functionName = site.getFunctionName() ?? site.getMethodName() ?? '';
    if (functionName) frame.functionName = functionName;
    if (async) frame.async = true;
    if (framesCached >= FRAME_CACHE_SIZE) {
      frameCache.clear();
      framesCached = 0;
      inScript = undefined;
    }
    if (inScript === undefined) {
      inScript = new Map();
      frameCache.set(url, inScript);
    }
    inScript.set(key, frame);
    framesCached += 1;
  }
  return frame;
}

function urlOf(site: NodeJS.CallSite): string | null | undefined {
  return site.getFileName() ?? site.getScriptNameOrSourceURL();
}

/** The first application frame among `sites`, the other frames never formatted. */
function siteFrame(sites: Sites, syncOnly: boolean): RawFrame | undefined {
  const at = firstSiteAt(sites, syncOnly);
  return at < 0 ? undefined : siteFrameAt(sites, at);
}

/** Index of the first application frame among `sites`, -1 when none is. */
function firstSiteAt(sites: Sites, syncOnly: boolean): number {
  try {
    for (let i = 0; i < sites.length; i++) {
      const site = sites[i] as NodeJS.CallSite;
      const url = urlOf(site);
      if (!url || (syncOnly && site.isAsync())) continue;
      const verdict = verdictOf(url);
      if (verdict === false) continue;
      if (verdict !== true && !isApplicationLine(verdict, (site.getLineNumber() ?? 1) - 1)) continue;
      return i;
    }
  } catch (error) {
    noteFault('readStack', error);
  }
  return -1;
}

function siteFrameAt(sites: Sites, at: number): RawFrame | undefined {
  try {
    const site = sites[at] as NodeJS.CallSite;
    return frameAt(site, urlOf(site) as string);
  } catch (error) {
    noteFault('readStack', error);
    return undefined;
  }
}

/** CallSites as frames, innermost first, unnamed scripts (native frames: nothing to map) left out. */
function framesOf(sites: Sites): RawFrame[] {
  const frames: RawFrame[] = [];
  try {
    for (const site of sites) {
      const url = urlOf(site);
      if (url) frames.push(frameAt(site, url));
    }
  } catch (error) {
    noteFault('readStack', error);
  }
  return frames;
}
