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
import { mapLocation, plainLocation } from './locations.js';
import type { ResolvedSpec } from './protocol.js';
import { BreakpointSites } from './sites.js';
import { generatedPosition } from './source-map-decode.js';

export class UnknownTargetError extends Error {}

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
  const wanted = target.file.replace(/\\/g, '/');
  const absolute = isAbsolute(target.file) ? wanted : resolvePath(process.cwd(), target.file).replace(/\\/g, '/');
  const suffix = `/${wanted.replace(/^\.\//, '')}`;
  const matches = (file: string) => {
    const normal = file.replace(/\\/g, '/');
    return normal === absolute || (!isAbsolute(target.file) && normal.endsWith(suffix));
  };
  const seen = new Set<string>();
  const spots: Array<{ scriptId: string; line: number; column: number; file: string; originalLine: number }> = [];
  let fileFound = false;
  for (const script of debug.scripts.values()) {
    if (!/^(file:|\/|[A-Za-z]:[\\/])/.test(script.url)) continue;
    const generatedFile = toFile(toUrl(script.url));
    if (generatedFile.includes('/node_modules/') && !wanted.includes('node_modules/')) continue;
    const map = debug.sourceMap(script.scriptId);
    const sources = map ? map.files : [];
    let mapped = false;
    for (const [index, file] of sources.entries()) {
      seen.add(file);
      if (!matches(file) || !map) continue;
      fileFound = true;
      mapped = true;
      const at = generatedPosition(map, index, target.line - 1);
      if (at)
        spots.push({
          scriptId: script.scriptId,
          line: at.line,
          column: at.column,
          file,
          originalLine: at.originalLine,
        });
    }
    seen.add(generatedFile);
    // the generated file itself (plain JS, or `dist/x.js:10` given on purpose); tsx keeps the .ts URL for its output
    if (!mapped && matches(generatedFile)) {
      fileFound = true;
      spots.push({
        scriptId: script.scriptId,
        line: target.line - 1,
        column: 0,
        file: generatedFile,
        originalLine: target.line - 1,
      });
    }
  }
  const flag = spec.kind === 'log' ? '--log' : '--when';
  if (!fileFound) {
    const names = [...seen].map((file) => (isAbsolute(file) ? relative(process.cwd(), file) : file));
    throw new UnknownTargetError(
      `no loaded script has the file '${target.file}' (${flag} '${spec.text}'); closest files: ${closestNames(wanted, names).join(', ') || 'none'}`,
    );
  }
  if (spots.length === 0)
    throw new UnknownTargetError(
      `'${target.file}' has no code at or after line ${target.line} (${flag} '${spec.text}')`,
    );
  let breakpoints = 0;
  for (const spot of spots) {
    const set = async (condition: string) =>
      (
        await debug
          .post<{ breakpointId: string }>('Debugger.setBreakpoint', {
            location: { scriptId: spot.scriptId, lineNumber: spot.line, columnNumber: spot.column },
            condition,
          })
          .catch(() => ({ breakpointId: '' }))
      ).breakpointId; // a stale copy of the script (reloaded, collected): the others still count
    const key = `line ${spot.scriptId}:${spot.line}:${spot.column}`;
    if (await at.sites.place(key, at.specIndex, at.condition, set)) breakpoints += 1;
  }
  if (breakpoints === 0) {
    throw new UnknownTargetError(
      `V8 could not place a breakpoint at '${target.file}:${target.line}' (${flag} '${spec.text}')`,
    );
  }
  const first = spots[0] as (typeof spots)[number];
  return { breakpoints, location: { file: first.file, line: first.originalLine + 1, column: 1 } };
}
