/**
 * Class constructions per request, from the count pass's coverage windows
 * (one take per request): what `RequestRecord.constructions` holds, so a
 * profile capture tells diagnose how many objects each request built.
 *
 * V8 reports a class with an explicit constructor as a function named after
 * the class whose range starts at `constructor`, and a class with only field
 * initializers as `<instance_members_initializer>` starting at `class Name`.
 * Node's internals and culprit's probe are left out.
 */
import type { Construction, SourceLocation } from '../capture/types.js';
import type { RawScriptCoverage } from '../target/types.js';
import { classifyFrame, fileFromUrl } from './classify.js';
import { generatedKey } from './function-table.js';
import { lineStarts, positionAt } from './source-positions.js';

const INITIALIZER = '<instance_members_initializer>';

export function constructionsIn(
  take: readonly RawScriptCoverage[],
  sources: ReadonlyMap<string, string>,
  locations: ReadonlyMap<string, SourceLocation | null>,
): Construction[] {
  const perClass = new Map<string, Construction>();
  const starts = new Map<string, number[]>();
  for (const script of take) {
    if (!script.url || script.url.startsWith('node:')) continue;
    const source = sources.get(script.scriptId);
    if (source === undefined) continue;
    const owner = classifyFrame('', fileFromUrl(script.url));
    if (owner.package === 'culprit') continue;
    for (const fn of script.functions) {
      const range = fn.ranges[0];
      if (!range || range.count === 0) continue;
      const className = classNameAt(source, range.startOffset, fn.functionName);
      if (!className) continue;
      let lines = starts.get(script.scriptId);
      if (!lines) {
        lines = lineStarts(source);
        starts.set(script.scriptId, lines);
      }
      const at = positionAt(lines, range.startOffset);
      const location = locations.get(generatedKey(script.url, at.line, at.column)) ?? {
        file: fileFromUrl(script.url),
        line: at.line + 1,
        column: at.column + 1,
      };
      const key = `${script.scriptId}:${className}`;
      const seen = perClass.get(key);
      // A class with fields and a constructor shows twice with the same count: keep one.
      if (!seen || seen.count < range.count) perClass.set(key, { className, count: range.count, location });
    }
  }
  return [...perClass.values()].sort((a, b) => b.count - a.count || a.className.localeCompare(b.className));
}

function classNameAt(source: string, offset: number, functionName: string): string | null {
  const head = source.slice(offset, offset + 200);
  if (functionName !== INITIALIZER) {
    return functionName && /^[A-Za-z_$]/.test(functionName) && head.startsWith('constructor') ? functionName : null;
  }
  return /^class\s+([A-Za-z_$][\w$]*)/.exec(head)?.[1] ?? null;
}
