/**
 * The scripts V8 has parsed in the target (Debugger.scriptParsed), with their
 * sources on demand. Enabling the Debugger domain replays every script parsed
 * so far, so it can be switched on late.
 */
import { findSourceMap } from 'node:module';
import type { ScriptInfo } from '../target/types.js';
import { inspectorSession, postSync } from './inspector-session.js';

const scripts = new Map<string, { url: string }>();
/** Per URL, the latest script's inline (`data:`) source map URL, for code run through `vm` (Vitest, Jest). */
const inlineMaps = new Map<string, string>();
const sources = new Map<string, string>();
let enabled = false;

/** Enables the Debugger domain once (needed for sources and the script list). */
export function enableScripts(): void {
  if (enabled) return;
  enabled = true;
  inspectorSession().on('Debugger.scriptParsed', (message) => {
    const { scriptId, url, sourceMapURL } = message.params;
    if (url) scripts.set(scriptId, { url });
    if (url && sourceMapURL?.startsWith('data:')) {
      inlineMaps.set(url, sourceMapURL);
      // stacks name the file by path or by URL, whichever the runner compiled it with
      if (url.startsWith('file://')) inlineMaps.set(decodeURIComponent(new URL(url).pathname), sourceMapURL);
    }
  });
  postSync('Debugger.enable');
}

/**
 * The paths of the files the process has parsed (CommonJS, ES modules, a
 * loader's TypeScript), and the sources their source maps name: a server run
 * from `dist/` ran the entity its `src/` declares.
 */
export function loadedFiles(): string[] {
  enableScripts();
  const files = new Set<string>();
  for (const { url } of scripts.values()) {
    const path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
    if (!path.startsWith('/')) continue;
    files.add(path);
    if (!path.includes('/node_modules/')) for (const source of mappedSources(url)) files.add(source);
  }
  return [...files];
}

/** The files a script's source map (as Node loaded it) names as its sources, as paths. */
function mappedSources(url: string): string[] {
  try {
    const payload = findSourceMap(url)?.payload;
    if (!payload) return [];
    const base = url.startsWith('/') ? `file://${url}` : url;
    // tsc writes the map beside the script, so its relative sources resolve from the script's folder
    const root = payload.sourceRoot ? new URL(payload.sourceRoot.replace(/\/?$/, '/'), base).href : base;
    return payload.sources
      .map((source) => new URL(source, root))
      .filter((resolved) => resolved.protocol === 'file:')
      .map((resolved) => decodeURIComponent(resolved.pathname));
  } catch {
    return []; // a map that names no resolvable source adds nothing
  }
}

/** Every script with a URL, with its source map JSON when Node loaded one. */
export function listScripts(): ScriptInfo[] {
  enableScripts();
  const list: ScriptInfo[] = [];
  for (const [scriptId, { url }] of scripts) {
    const info: ScriptInfo = { scriptId, url };
    try {
      const map = findSourceMap(url);
      if (map) info.sourceMap = JSON.stringify(map.payload);
    } catch {
      // no source map for this URL: the info stays without one
    }
    list.push(info);
  }
  return list;
}

/** The inline source map of the latest script V8 parsed under `url`, decoded; undefined when none. */
export function inlineSourceMap(url: string): object | undefined {
  if (!enabled) return undefined; // only once something (constructions, measure()) asked for scripts
  const dataUrl = inlineMaps.get(url);
  if (!dataUrl) return undefined;
  const comma = dataUrl.indexOf(',');
  const meta = dataUrl.slice(0, comma);
  const body = dataUrl.slice(comma + 1);
  try {
    const text = meta.endsWith(';base64') ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body);
    const payload: unknown = JSON.parse(text);
    return typeof payload === 'object' && payload !== null ? payload : undefined;
  } catch {
    return undefined; // a malformed map maps nothing: the generated position stays
  }
}

/** The generated source V8 runs for a script (cached). */
export function scriptSource(scriptId: string): string {
  enableScripts();
  let source = sources.get(scriptId);
  if (source === undefined) {
    source = postSync<{ scriptSource: string }>('Debugger.getScriptSource', { scriptId }).scriptSource;
    sources.set(scriptId, source);
  }
  return source;
}

const lineStarts = new Map<string, number[]>();

/** Offset in a script's source → 0-based line and column. */
export function offsetToPosition(scriptId: string, offset: number): { line: number; column: number } {
  let starts = lineStarts.get(scriptId);
  if (!starts) {
    const source = scriptSource(scriptId);
    starts = [0];
    for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
    lineStarts.set(scriptId, starts);
  }
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low, column: offset - (starts[low] ?? 0) };
}
