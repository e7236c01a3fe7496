/**
 * Turns specs into breakpoints, in the debugger worker, while main runs:
 * - `ClassName#member`: the class objects of that name are found in the main
 *   realm (`Runtime.queryObjects` over functions, so module-scoped classes and
 *   default constructors work) and get `Debugger.setBreakpointOnFunctionCall`;
 * - `FILE:LINE`: the scripts whose source map (or own path) is that file get
 *   `Debugger.setBreakpoint` at the generated position of that line.
 * Unknown names fail with the closest names seen.
 */
import { isAbsolute, relative, resolve as resolvePath } from 'node:path';
import type { BreakpointSpec, SpecTarget } from '../../trace/log-spec.js';
import { type MainThreadDebugger, toFile, toUrl } from './cdp.js';
import { closestNames } from './closest.js';
import { logpointCondition, whenCondition } from './conditions.js';
import { type LineSpot, placedWhereAsked, spotInMappedScript } from './line-spots.js';
import { mapLocation, plainLocation } from './locations.js';
import type { ResolvedSpec } from './protocol.js';
import { BreakpointSites } from './sites.js';
import { AmbiguousTargetError, UnknownTargetError } from './target-errors.js';

export { AmbiguousTargetError, UnknownTargetError } from './target-errors.js';

export interface Placed {
  specIndex: number;
  breakpointId: string;
}

const GROUP = 'culprit-breakpoints';

export async function placeBreakpoints(
  debug: MainThreadDebugger,
  specs: BreakpointSpec[],
  recorderKey: string,
  optionalFrom = specs.length,
): Promise<{ placed: Placed[]; resolved: ResolvedSpec[] }> {
  const resolved: ResolvedSpec[] = [];
  const functions = new FunctionList(debug);
  const sites = new BreakpointSites(debug);
  try {
    for (const [specIndex, spec] of specs.entries()) {
      const condition =
        spec.kind === 'log'
          ? logpointCondition(recorderKey, specIndex, spec.expressions)
          : whenCondition(recorderKey, specIndex, spec.condition);
      const at = { sites, specIndex, condition };
      const place = () =>
        spec.target.kind === 'member'
          ? placeOnFunctions(debug, functions, spec, spec.target, at)
          : placeOnLine(debug, spec, spec.target, at);
      const ids =
        specIndex < optionalFrom ? await place() : await place().catch((): PlaceResult => ({ breakpoints: 0 }));
      resolved.push({ breakpoints: ids.breakpoints, ...(ids.location ? { location: ids.location } : {}) });
    }
  } finally {
    await debug.post('Runtime.releaseObjectGroup', { objectGroup: GROUP }).catch(() => undefined);
  }
  return { placed: sites.placed(), resolved };
}

/** Every function of the main realm, as one remote array: a heap walk, done once per placement. */
class FunctionList {
  private id: Promise<string | undefined> | undefined;

  constructor(private readonly debug: MainThreadDebugger) {}

  objectId(): Promise<string | undefined> {
    this.id ??= (async () => {
      const prototype = await this.debug.post<{ result: RemoteRef }>('Runtime.evaluate', {
        expression: 'Function.prototype',
        objectGroup: GROUP,
      });
      const all = await this.debug.post<{ objects: RemoteRef }>('Runtime.queryObjects', {
        prototypeObjectId: prototype.result.objectId,
        objectGroup: GROUP,
      });
      return all.objects.objectId;
    })();
    return this.id;
  }
}

/** Where a spec's breakpoints go: shared sites, the spec's index and its condition. */
interface Placement {
  sites: BreakpointSites;
  specIndex: number;
  condition: string;
}

interface PlaceResult {
  breakpoints: number;
  location?: ResolvedSpec['location'];
}

interface RemoteRef {
  objectId?: string;
  value?: unknown;
}
interface PropertyList {
  result: Array<{ name: string; value?: RemoteRef }>;
  internalProperties?: Array<{ name: string; value?: RemoteRef }>;
}

const FIND_FUNCTIONS = `function (className, member) {
  const found = new Set();
  for (const f of this) {
    try {
      if (f.name !== className) continue;
      const proto = f.prototype;
      if (typeof proto !== 'object' || proto === null) continue;
      if (member === 'constructor') { found.add(f); continue; }
      const own = Object.getOwnPropertyDescriptor(proto, member) || Object.getOwnPropertyDescriptor(f, member);
      if (own && typeof own.value === 'function') found.add(own.value);
    } catch {}
  }
  return [...found];
}`;

const CLASS_NAMES = `function () {
  const names = new Set();
  for (const f of this) {
    try {
      if (typeof f.prototype === 'object' && f.prototype !== null && /^class[\\s{]/.test(Function.prototype.toString.call(f))) names.add(f.name);
    } catch {}
  }
  return [...names].filter(Boolean);
}`;

async function placeOnFunctions(
  debug: MainThreadDebugger,
  functions: FunctionList,
  spec: BreakpointSpec,
  target: Extract<SpecTarget, { kind: 'member' }>,
  at: Placement,
): Promise<PlaceResult> {
  const allFunctions = await functions.objectId();
  const found = await debug.post<{ result: RemoteRef }>('Runtime.callFunctionOn', {
    objectId: allFunctions,
    functionDeclaration: FIND_FUNCTIONS,
    arguments: [{ value: target.className }, { value: target.member }],
    objectGroup: GROUP,
  });
  const list = await debug.post<PropertyList>('Runtime.getProperties', {
    objectId: found.result.objectId,
    ownProperties: true,
  });
  const matching = list.result.filter((p) => /^\d+$/.test(p.name) && p.value?.objectId);
  const located = await Promise.all(
    matching.map(async (p) => ({
      objectId: p.value?.objectId as string,
      where: await functionLocation(debug, p.value?.objectId as string),
    })),
  );
  // a Node internal class of the same name (Server, Blob…) only when the app has none
  const app = located.filter((f) => f.where && !debug.scripts.get(f.where.scriptId)?.url.startsWith('node:'));
  const chosen = app.length > 0 ? app : located;
  if (chosen.length === 0) {
    const names = await debug.post<{ result: RemoteRef }>('Runtime.callFunctionOn', {
      objectId: allFunctions,
      functionDeclaration: CLASS_NAMES,
      returnByValue: true,
    });
    const seen = Array.isArray(names.result.value) ? (names.result.value as string[]) : [];
    const what =
      target.member === 'constructor'
        ? `no class named '${target.className}'`
        : `no class '${target.className}' with a method '${target.member}'`;
    throw new UnknownTargetError(
      `${what} is loaded in the target (${spec.kind === 'log' ? '--log' : '--when'} '${spec.text}'); closest class names: ${closestNames(target.className, seen).join(', ') || 'none'}`,
    );
  }
  let breakpoints = 0;
  for (const fn of chosen) {
    const key = fn.where ? `${fn.where.scriptId}:${fn.where.lineNumber}:${fn.where.columnNumber}` : fn.objectId;
    const set = async (condition: string) =>
      (
        await debug.post<{ breakpointId: string }>('Debugger.setBreakpointOnFunctionCall', {
          objectId: fn.objectId,
          condition,
        })
      ).breakpointId;
    if (await at.sites.place(`function ${key}`, at.specIndex, at.condition, set)) breakpoints += 1;
  }
  const first = chosen[0]?.where;
  const mapped =
    first &&
    mapLocation(
      debug,
      first.scriptId,
      first.lineNumber,
      first.columnNumber,
      target.member === 'constructor' ? target.className : `${target.className}.${target.member}`,
    );
  return { breakpoints, ...(mapped ? { location: plainLocation(mapped) } : {}) };
}

interface FunctionLocation {
  scriptId: string;
  lineNumber: number;
  columnNumber: number;
}

async function functionLocation(debug: MainThreadDebugger, objectId: string): Promise<FunctionLocation | undefined> {
  const props = await debug.post<PropertyList>('Runtime.getProperties', { objectId, ownProperties: true });
  const where = props.internalProperties?.find((p) => p.name === '[[FunctionLocation]]')?.value?.value;
  return where as FunctionLocation | undefined;
}

async function placeOnLine(
  debug: MainThreadDebugger,
  spec: BreakpointSpec,
  target: Extract<SpecTarget, { kind: 'line' }>,
  at: Placement,
): Promise<PlaceResult> {
  const flag = spec.kind === 'log' ? '--log' : '--when';
  const shown = `${flag} '${spec.text}'`;
  const { scripts, seen, file } = scriptsOfFile(debug, target, shown);
  if (scripts.length === 0) {
    const names = [...seen].map((name) => (isAbsolute(name) ? relative(process.cwd(), name) : name));
    throw new UnknownTargetError(
      `no loaded script has the file '${target.file}' (${shown}); closest files: ${closestNames(target.file.replace(/\\/g, '/'), names).join(', ') || 'none'}`,
    );
  }
  const spots: LineSpot[] = [];
  for (const script of scripts) {
    const map = script.source === undefined ? null : debug.sourceMap(script.scriptId);
    const spot =
      map && script.source !== undefined
        ? await spotInMappedScript(debug, script.scriptId, map, script.source, target.line - 1, shown)
        : // the generated file itself (plain JS, or `dist/x.js:10` given on purpose)
          { scriptId: script.scriptId, line: target.line - 1, column: 0, file, originalLine: target.line - 1 };
    if (spot) spots.push(spot);
  }
  if (spots.length === 0)
    throw new UnknownTargetError(`'${target.file}' has no code at or after line ${target.line} (${shown})`);
  let breakpoints = 0;
  let moved: number | undefined;
  for (const spot of spots) {
    const map = debug.sourceMap(spot.scriptId);
    const set = async (condition: string) => {
      const placed = await debug
        .post<{
          breakpointId: string;
          actualLocation?: { scriptId: string; lineNumber: number; columnNumber: number };
        }>('Debugger.setBreakpoint', {
          location: { scriptId: spot.scriptId, lineNumber: spot.line, columnNumber: spot.column },
          condition,
        })
        .catch(() => ({ breakpointId: '', actualLocation: undefined })); // a stale copy of the script: the others still count
      if (!placed.breakpointId) return '';
      const where = await placedWhereAsked(debug, spot, placed.actualLocation, map);
      if (where.ok) return placed.breakpointId;
      moved = where.actualLine;
      await debug.post('Debugger.removeBreakpoint', { breakpointId: placed.breakpointId }).catch(() => undefined);
      return '';
    };
    const key = `line ${spot.scriptId}:${spot.line}:${spot.column}`;
    if (await at.sites.place(key, at.specIndex, at.condition, set)) breakpoints += 1;
  }
  if (breakpoints === 0) {
    const why = moved === undefined ? '' : `: V8 moved it to line ${moved}, inside another function`;
    throw new UnknownTargetError(`V8 could not place a breakpoint at '${target.file}:${target.line}' (${shown})${why}`);
  }
  const first = spots[0] as LineSpot;
  return { breakpoints, location: { file: first.file, line: first.originalLine + 1, column: 1 } };
}

/** A loaded script holding the file: through its source map (`source` index) or as itself. */
interface ScriptOfFile {
  scriptId: string;
  source?: number;
}

/**
 * The loaded scripts whose source map (or own path) is the file `target`
 * names. A path relative to the target's directory that names a file exactly
 * wins; otherwise it may be a suffix (`api/views.ts`), but only of one file.
 */
function scriptsOfFile(
  debug: MainThreadDebugger,
  target: Extract<SpecTarget, { kind: 'line' }>,
  shown: string,
): { scripts: ScriptOfFile[]; seen: Set<string>; file: string } {
  const wanted = target.file.replace(/\\/g, '/');
  const absolute = isAbsolute(target.file) ? wanted : resolvePath(process.cwd(), target.file).replace(/\\/g, '/');
  const suffix = `/${wanted.replace(/^\.\//, '')}`;
  const byFile = new Map<string, ScriptOfFile[]>();
  const seen = new Set<string>();
  const matches = (normal: string) => normal === absolute || (!isAbsolute(target.file) && normal.endsWith(suffix));
  const add = (normal: string, script: ScriptOfFile) => byFile.set(normal, [...(byFile.get(normal) ?? []), script]);
  for (const script of debug.scripts.values()) {
    if (!/^(file:|\/|[A-Za-z]:[\\/])/.test(script.url)) continue;
    const generatedFile = toFile(toUrl(script.url));
    if (generatedFile.includes('/node_modules/') && !wanted.includes('node_modules/')) continue;
    let mapped = false;
    for (const [source, file] of (debug.sourceMap(script.scriptId)?.files ?? []).entries()) {
      seen.add(file);
      const normal = file.replace(/\\/g, '/');
      if (!matches(normal)) continue;
      add(normal, { scriptId: script.scriptId, source });
      mapped = true;
    }
    seen.add(generatedFile);
    // tsx keeps the .ts URL for its output: the generated file counts only when no map claimed it
    const normal = generatedFile.replace(/\\/g, '/');
    if (!mapped && matches(normal)) add(normal, { scriptId: script.scriptId });
  }
  const files = [...byFile.keys()];
  const chosen = byFile.has(absolute) ? absolute : files.length === 1 ? files[0] : undefined;
  if (files.length > 1 && chosen === undefined) {
    const listed = files.map((file) => relative(process.cwd(), file)).sort();
    throw new AmbiguousTargetError(
      `'${target.file}' names ${files.length} loaded files (${shown}): ${listed.slice(0, 6).join(', ')}${listed.length > 6 ? ', …' : ''}; give more of the path`,
    );
  }
  return { scripts: chosen === undefined ? [] : (byFile.get(chosen) ?? []), seen, file: chosen ?? absolute };
}
