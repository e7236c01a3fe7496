/**
 * The functions table of the profile model: one row per function, resolved
 * once (original location, category, package, exact calls).
 *
 * Functions are identified by their generated position (script, line, column,
 * V8 name); the row shows the source-mapped one. Calls come from the count
 * pass through the coverage join (see coverage-index.ts).
 */
import type { ProfileFunction } from '../capture/types.js';
import type { RawCpuProfile } from '../target/types.js';
import type { ProfileInputs } from './build-profile.js';
import { baseName, classifyFrame, fileFromUrl } from './classify.js';
import { type CountedRange, type CoverageIndex, coverageIndexOf } from './coverage-index.js';
import { lineStarts, offsetAt, positionAt } from './source-positions.js';

type CallFrame = RawCpuProfile['nodes'][number]['callFrame'];

/** Key of a generated position in the `locations` map. */
export function generatedKey(url: string, line: number, column: number): string {
  return `${url}:${line}:${column}`;
}

export class FunctionTable {
  readonly rows: ProfileFunction[] = [];
  readonly #index = new Map<string, number>();
  readonly #coverage: CoverageIndex;
  readonly #matched = new Set<CountedRange>();
  readonly #inputs: ProfileInputs;

  constructor(inputs: ProfileInputs) {
    this.#inputs = inputs;
    this.#coverage = coverageIndexOf(inputs.coverageTakes);
  }

  /** Row index of a profile frame's function, added on first sight. */
  indexOf(frame: CallFrame): number {
    const key = `${frame.scriptId}|${frame.url}|${frame.lineNumber}|${frame.columnNumber}|${frame.functionName}`;
    let index = this.#index.get(key);
    if (index === undefined) {
      index = this.rows.length;
      this.rows.push(this.#resolve(frame, this.#calls(frame)));
      this.#index.set(key, index);
    }
    return index;
  }

  /** Adds the functions the count pass saw called but no sample caught (time 0, calls exact). */
  addUnsampledCalled(): void {
    for (const range of this.#coverage.called()) {
      if (this.#matched.has(range)) continue;
      const lines = this.#linesOf(range.scriptId);
      if (!lines) continue;
      const at = positionAt(lines, range.start);
      const frame = {
        functionName: range.name,
        scriptId: range.scriptId,
        url: range.url,
        lineNumber: at.line,
        columnNumber: at.column,
      };
      this.#matched.add(range);
      this.rows.push(this.#resolve(frame, range.count));
    }
  }

  #resolve(frame: CallFrame, calls: number | null): ProfileFunction {
    const mapped =
      frame.url === ''
        ? null
        : (this.#inputs.locations.get(generatedKey(frame.url, frame.lineNumber, frame.columnNumber)) ?? null);
    const file = mapped?.file ?? fileFromUrl(frame.url);
    const line = mapped?.line ?? (frame.url === '' ? 0 : Math.max(frame.lineNumber, 0) + 1);
    const column = mapped?.column ?? (frame.url === '' ? 0 : Math.max(frame.columnNumber, 0) + 1);
    const classification = classifyFrame(frame.functionName, file);
    const name = frame.functionName || (file === '' ? '(anonymous)' : `(anonymous ${baseName(file)}:${line})`);
    const fn: ProfileFunction = {
      name,
      file,
      line,
      column,
      category: classification.category,
      calls,
      selfMs: 0,
      totalMs: 0,
    };
    const pkg = mapped?.package ?? classification.package;
    if (pkg && classification.category === 'dependency') fn.package = pkg;
    return fn;
  }

  #calls(frame: CallFrame): number | null {
    if (frame.url === '' || this.#inputs.coverageTakes.length === 0) return null;
    const source = this.#inputs.sources.get(frame.scriptId);
    const lines = this.#linesOf(frame.scriptId);
    if (source === undefined || !lines) return null;
    const range = this.#coverage.rangeAt(frame.scriptId, offsetAt(lines, frame.lineNumber, frame.columnNumber), source);
    if (!range) return null;
    this.#matched.add(range);
    return range.count;
  }

  #linesOf(scriptId: string): readonly number[] | undefined {
    const source = this.#inputs.sources.get(scriptId);
    return source === undefined ? undefined : lineStarts(source);
  }
}
