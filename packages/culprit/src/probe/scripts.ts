/**
 * The scripts V8 has parsed in the target (Debugger.scriptParsed), with their
 * sources on demand. Enabling the Debugger domain replays every script parsed
 * so far, so it can be switched on late.
 */
import { findSourceMap } from 'node:module';
import type { ScriptInfo } from '../target/types.js';
import { inspectorSession, postSync } from './inspector-session.js';

const scripts = new Map<string, { url: string }>();
const sources = new Map<string, string>();
let enabled = false;

/** Enables the Debugger domain once (needed for sources and the script list). */
export function enableScripts(): void {
  if (enabled) return;
  enabled = true;
  inspectorSession().on('Debugger.scriptParsed', (message) => {
    const { scriptId, url } = message.params;
    if (url) scripts.set(scriptId, { url });
  });
  postSync('Debugger.enable');
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
