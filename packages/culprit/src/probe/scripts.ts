/**
 * The scripts V8 has parsed in the target (Debugger.scriptParsed), with their
 * sources on demand. Enabling the Debugger domain replays every script parsed
 * so far, so it can be switched on late.
 */
import type { ScriptInfo } from '../target/types.js';
import { inspectorSession, postSync } from './inspector-session.js';
import { scriptSourceMap } from './script-source-maps.js';

/** Each script's URL and the SHA-256 of its source as V8 reports it (hex; empty when V8 gave none). */
const scripts = new Map<string, { url: string; hash: string }>();
/**
 * Per URL, the latest script's `sourceMappingURL` as V8 read it from the code
 * it ran: code a loader transformed in memory, or run through `vm` (Vitest,
 * Jest), carries a map the file on disk does not.
 */
const declaredMaps = new Map<string, string>();
const sources = new Map<string, string>();
let enabled = false;

/** Enables the Debugger domain once (needed for sources and the script list). */
export function enableScripts(): void {
  if (enabled) return;
  enabled = true;
  inspectorSession().on('Debugger.scriptParsed', (message) => {
    const { scriptId, url, sourceMapURL, hash } = message.params;
    if (url) scripts.set(scriptId, { url, hash: typeof hash === 'string' ? hash : '' });
    if (url && sourceMapURL) {
      declaredMaps.set(url, sourceMapURL);
      // stacks name the file by path or by URL, whichever the runner compiled it with
      if (url.startsWith('file://')) declaredMaps.set(decodeURIComponent(new URL(url).pathname), sourceMapURL);
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

/** The files a script's source map names as its sources, as paths. */
function mappedSources(url: string): string[] {
  try {
    const payload = sourceMapOf(url)?.payload;
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

/** Every script with a URL, with its source map JSON when it has one. */
export function listScripts(): ScriptInfo[] {
  enableScripts();
  const list: ScriptInfo[] = [];
  for (const [scriptId, { url }] of scripts) {
    const info: ScriptInfo = { scriptId, url };
    const map = sourceMapOf(url);
    if (map) info.sourceMap = JSON.stringify(map.payload);
    list.push(info);
  }
  return list;
}

/** A script's source map (Node's, or read on first use), with the map URL V8 reported for it. */
export function sourceMapOf(url: string): ReturnType<typeof scriptSourceMap> {
  return scriptSourceMap(url, (enable) => {
    if (enable) enableScripts();
    return enabled ? declaredMaps.get(url) : undefined;
  });
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

/**
 * The SHA-256 V8 computed of each script's source when the Debugger domain was enabled (null: unknown):
 * the CLI reads a script from its file when the file hashes the same, instead of receiving the text
 * over the socket (profile/disk-sources.ts). No source is read or hashed here.
 */
export function scriptHashes(scriptIds: readonly string[]): Array<string | null> {
  enableScripts();
  return scriptIds.map((scriptId) => scripts.get(scriptId)?.hash || null);
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
