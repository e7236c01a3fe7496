/**
 * Class constructions per request, from the count pass's coverage windows
 * (one take per request): what `RequestRecord.constructions` holds, so a
 * profile capture tells diagnose how many objects each request built.
 *
 * V8 reports a class with an explicit constructor as a function named after
 * the class whose range starts at `constructor`, and a class with field
 * initializers as `<instance_members_initializer>`, which starts at `class Name`
 * on Node 20, at the body's `{` on 22 and at the first instance field on 24
 * (../probe/class-at.ts, pure, finds the class from any of them).
 * Node's internals and culprit's probe are left out.
 */
import type { Construction, SourceLocation } from '../capture/types.js';
import { compareNames } from '../compare-names.js';
import { bindingBefore, classAt } from '../probe/class-at.js';
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
  for (const script of take) {
    if (!script.url || script.url.startsWith('node:')) continue;
    const source = sources.get(script.scriptId);
    if (source === undefined) continue;
    const owner = classifyFrame('', fileFromUrl(script.url));
    if (owner.package === 'culprit') continue;
    for (const fn of script.functions) {
      const range = fn.ranges[0];
      if (!range || range.count === 0) continue;
      const found = classNameAt(source, range.startOffset, fn.functionName);
      if (!found) continue;
      const { className } = found;
      const at = positionAt(lineStarts(source), found.at);
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
  return [...perClass.values()].sort((a, b) => b.count - a.count || compareNames(a.className, b.className));
}

/** The class a counted range constructs and where it is written (`class Name` for an initializer). */
function classNameAt(source: string, offset: number, functionName: string): { className: string; at: number } | null {
  if (functionName !== INITIALIZER) {
    const head = source.slice(offset, offset + 20);
    const named = functionName && /^[A-Za-z_$]/.test(functionName) && head.startsWith('constructor');
    return named ? { className: functionName, at: offset } : null;
  }
  const header = classAt(source, offset);
  const className = header && (header.name ?? bindingBefore(source, header.start));
  return header && className ? { className, at: header.start } : null;
}
