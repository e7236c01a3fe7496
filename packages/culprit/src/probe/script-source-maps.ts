/**
 * A script's source map, read when a position in it is first mapped. The
 * target does not run with `--enable-source-maps`: with it Node reads and
 * parses the map of every module it loads, the dependencies' included, which
 * added about 100 ms of CPU to ephemera's start (20% of it) for maps culprit
 * reads a handful of. Node's own map is used when the app or its loader (tsx)
 * turned source maps on; otherwise the script's `sourceMappingURL`, as V8 saw
 * it or as the file on disk ends, names the map.
 */
import { readFileSync } from 'node:fs';
import { findSourceMap, SourceMap, type SourceMapPayload } from 'node:module';
import { pathToFileURL } from 'node:url';

/** What culprit reads of a script's map: its payload, and the original of a generated position. */
export type ScriptMap = Pick<SourceMap, 'payload' | 'findEntry'>;

/**
 * A map culprit read itself, decoded at its first lookup: Node's SourceMap
 * decodes every mapping of the file as it is made, and many maps read are
 * never looked up: a package's map whose sources were never published maps
 * nothing (`source-map.ts` keeps the generated position), and ephemera's
 * profile named 59 of typeorm's scripts, each with such a map (issue 15).
 */
class DecodedOnUse implements ScriptMap {
  readonly payload: SourceMapPayload;
  #decoded: SourceMap | null | undefined;

  constructor(payload: SourceMapPayload) {
    this.payload = payload;
  }

  findEntry(line: number, column: number): ReturnType<SourceMap['findEntry']> {
    if (this.#decoded === undefined) {
      try {
        this.#decoded = new SourceMap(this.payload);
      } catch {
        this.#decoded = null; // malformed mappings: nothing maps, as when the map could not be read
      }
    }
    return this.#decoded ? this.#decoded.findEntry(line, column) : {};
  }
}

const maps = new Map<string, ScriptMap | null>();

/** Script URLs are file:// URLs (ES modules), absolute paths (CommonJS) or other schemes (node:, data:). */
function urlOf(script: string): string | undefined {
  if (script.startsWith('/')) return pathToFileURL(script).href;
  return /^[a-z][a-z0-9+.-]*:/i.test(script) ? script : undefined;
}

/** Node's own map for the script, when Node loaded one (source maps on in the app or its loader). */
function nodesMap(script: string): SourceMap | undefined {
  const url = urlOf(script);
  for (const key of url && url !== script ? [script, url] : [script]) {
    try {
      const map = findSourceMap(key);
      if (map) return map;
    } catch {
      // findSourceMap throws on some keys that are not file paths: no map under that key
    }
  }
  return undefined;
}

/** The last `sourceMappingURL` comment of a generated file (the one a bundler appended). */
export function sourceMappingUrlIn(text: string): string | undefined {
  const at = Math.max(text.lastIndexOf('//# sourceMappingURL='), text.lastIndexOf('//@ sourceMappingURL='));
  if (at < 0) return undefined;
  const value = text.slice(at + '//# sourceMappingURL='.length).split(/[\s'"]/, 1)[0];
  return value || undefined;
}

function commentOnDisk(file: URL): string | undefined {
  try {
    return sourceMappingUrlIn(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // gone, or never a file (a loader's virtual module)
  }
}

function mapTextAt(mapUrl: URL): string | undefined {
  if (mapUrl.protocol === 'data:') {
    const comma = mapUrl.href.indexOf(',');
    const meta = mapUrl.href.slice(5, comma);
    const body = mapUrl.href.slice(comma + 1);
    return meta.endsWith(';base64') ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body);
  }
  return mapUrl.protocol === 'file:' ? readFileSync(mapUrl, 'utf8') : undefined;
}

/**
 * Sources as absolute URLs, resolved from the map's own location and its
 * sourceRoot (as Node resolves the maps it loads): a map kept in another
 * folder than its script names its sources from there.
 */
function withAbsoluteSources(payload: SourceMapPayload, mapUrl: URL): SourceMapPayload {
  const base = payload.sourceRoot ? new URL(payload.sourceRoot.replace(/\/?$/, '/'), mapUrl) : mapUrl;
  const sources = payload.sources.map((source) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(source) && !source.startsWith('file:')) return source; // webpack://, node:
    try {
      return new URL(source, base).href;
    } catch {
      return source;
    }
  });
  return { ...payload, sourceRoot: '', sources };
}

/**
 * What V8 reported as a script's map URL: `(false)` only if the probe already
 * listens to parsed scripts, `(true)` turning that on first (the Debugger
 * domain replays every script parsed so far).
 */
export type DeclaredMapUrl = (enable: boolean) => string | undefined;

const JS_FILE = /\.[cm]?js$/;

/**
 * The map URL of a script: what V8 read from the code it ran, else the comment
 * the file on disk ends with. A file that is no JavaScript (`.ts` run by
 * ts-node, a test runner's vm-evaluated module) ran as a loader's output, so
 * only V8 knows its map, and the parsed-scripts list is turned on for it.
 */
function mapReference(script: string, scriptUrl: string, declared: DeclaredMapUrl | undefined): string | undefined {
  const known = declared?.(false);
  if (known) return known;
  if (scriptUrl.startsWith('file:')) {
    const onDisk = commentOnDisk(new URL(scriptUrl));
    if (onDisk || JS_FILE.test(script)) return onDisk;
  }
  return declared?.(true);
}

/** A map culprit reads itself, from the script's map URL. */
function readMap(script: string, declared: DeclaredMapUrl | undefined): ScriptMap | null {
  const scriptUrl = urlOf(script);
  if (!scriptUrl) return null;
  const reference = mapReference(script, scriptUrl, declared);
  if (!reference) return null;
  const mapUrl = new URL(reference, scriptUrl);
  const text = mapTextAt(mapUrl);
  if (text === undefined) return null;
  const payload: unknown = JSON.parse(text);
  if (typeof payload !== 'object' || payload === null || !Array.isArray((payload as SourceMapPayload).sources)) {
    return null;
  }
  // a data: map's relative sources are named from the script's folder
  const from = mapUrl.protocol === 'data:' ? new URL(scriptUrl) : mapUrl;
  return new DecodedOnUse(withAbsoluteSources(payload as SourceMapPayload, from));
}

/**
 * The source map of the script at `script` (path or URL), null when it has
 * none or it cannot be read (positions then stay generated). `declared`
 * gives the `sourceMapURL` V8 reported for the script: the map of code a
 * loader transformed in memory is not in the file on disk. Read once per script.
 */
export function scriptSourceMap(script: string, declared?: DeclaredMapUrl): ScriptMap | null {
  let map = maps.get(script);
  if (map !== undefined) return map;
  map = nodesMap(script) ?? null;
  if (!map) {
    try {
      map = readMap(script, declared);
    } catch {
      map = null; // unreadable file or malformed map: nothing maps
    }
  }
  maps.set(script, map);
  return map;
}
