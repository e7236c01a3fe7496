/**
 * The debugger worker's view of the main thread: an inspector session
 * connected with `connectToMainThread()`, promisified, and the scripts V8 has
 * parsed (`callFrame.url` is empty on this path: scriptId → URL comes from
 * `Debugger.scriptParsed`), with their source maps loaded on demand.
 */
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type DecodedMap, decodeSourceMap } from './source-map-decode.js';

export interface ScriptRecord {
  scriptId: string;
  url: string;
  sourceMapURL: string;
}

/** A map with its `sources` resolved to absolute file paths (or URLs when not file-based). */
export interface LoadedMap extends DecodedMap {
  files: string[];
}

export class MainThreadDebugger {
  readonly session = new Session();
  readonly scripts = new Map<string, ScriptRecord>();
  private readonly maps = new Map<string, LoadedMap | null>();

  connect(): void {
    this.session.connectToMainThread();
    this.session.on('Debugger.scriptParsed', (message) => {
      const { scriptId, url, sourceMapURL } = message.params;
      if (url) this.scripts.set(scriptId, { scriptId, url, sourceMapURL: sourceMapURL ?? '' });
    });
  }

  post<T>(method: string, params: object = {}): Promise<T> {
    return new Promise((resolve, reject) => {
      this.session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T)));
    });
  }

  /** The script's source map, decoded once; null when it has none or it cannot be read. */
  sourceMap(scriptId: string): LoadedMap | null {
    const cached = this.maps.get(scriptId);
    if (cached !== undefined) return cached;
    const script = this.scripts.get(scriptId);
    let loaded: LoadedMap | null = null;
    if (script?.sourceMapURL) {
      try {
        const base = toUrl(script.url);
        const json = readMapText(script.sourceMapURL, base);
        const decoded = json === undefined ? undefined : decodeSourceMap(json);
        if (decoded) {
          const mapUrl = script.sourceMapURL.startsWith('data:') ? base : new URL(script.sourceMapURL, base).href;
          loaded = { ...decoded, files: decoded.sources.map((source) => toFile(new URL(source, mapUrl).href)) };
        }
      } catch {
        loaded = null; // an unreadable or malformed map: positions stay generated
      }
    }
    this.maps.set(scriptId, loaded);
    return loaded;
  }
}

/** Script URLs are file:// URLs (ESM) or absolute paths (CommonJS). */
export function toUrl(scriptUrl: string): string {
  return scriptUrl.startsWith('/') || /^[A-Za-z]:[\\/]/.test(scriptUrl) ? pathToFileURL(scriptUrl).href : scriptUrl;
}

export function toFile(url: string): string {
  return url.startsWith('file://') ? fileURLToPath(url) : url;
}

function readMapText(sourceMapURL: string, base: string): string | undefined {
  if (sourceMapURL.startsWith('data:')) {
    const comma = sourceMapURL.indexOf(',');
    const meta = sourceMapURL.slice(5, comma);
    const body = sourceMapURL.slice(comma + 1);
    return meta.endsWith(';base64') ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body);
  }
  const url = new URL(sourceMapURL, base);
  return url.protocol === 'file:' ? readFileSync(url, 'utf8') : undefined;
}
