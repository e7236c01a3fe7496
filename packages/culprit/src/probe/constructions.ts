/**
 * Constructions per class from V8 precise coverage in count mode. V8 reports
 * a class with an explicit constructor as a function named after the class
 * whose range starts at `constructor`, and a class with field initializers as
 * `<instance_members_initializer>`, whose range starts at `class Name` on
 * Node 20, at the body's `{` on 22 and at the first instance field on 24
 * (class-at.ts finds the class from any of them). Both are recognized from the
 * source; classes with neither (an empty body) are invisible to coverage. A parent's constructor
 * also runs for each subclass instance (through `super()`), so parents count
 * their subclasses' instances too: that is what ran. Node's internal classes
 * and culprit's own are left out.
 */
import type { Construction } from '../capture/types.js';
import { isOwnFile } from '../own-code.js';
import type { RawScriptCoverage } from '../target/types.js';
import { bindingBefore, classAt } from './class-at.js';
import { noteFault } from './faults.js';
import { postSync } from './inspector-session.js';
import { enableScripts, offsetToPosition, scriptSource } from './scripts.js';
import { mapPosition } from './source-map.js';

const INITIALIZER = '<instance_members_initializer>';
/** Per script and offset: the class a range constructs, or null when it is not a constructor. */
const classified = new Map<string, Construction | null>();

let counting = false;

/**
 * Starts count-mode precise coverage and zeroes its counters, so the next
 * take counts what ran after this call only. V8 keeps counting across starts,
 * so the counters are reset with a take dropped here: sent to the CLI, that
 * take (every function of every script) cost a serialization, a socket
 * message and a parse of a result nobody read.
 */
export function startCounting(): void {
  counting = true;
  enableScripts();
  postSync('Profiler.enable');
  postSync('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
  postSync('Profiler.takePreciseCoverage');
}

/** Stops count mode (its deoptimizations go with it); a no-op when it is not on. */
export function stopCounting(): void {
  if (!counting) return;
  counting = false;
  postSync('Profiler.stopPreciseCoverage');
}

/** Calls since the previous take; V8 resets its counters on each take. */
export function takeCoverage(): RawScriptCoverage[] {
  return postSync<{ result: RawScriptCoverage[] }>('Profiler.takePreciseCoverage').result;
}

/** The class a counted range constructs, and where that class is written; null when it is no constructor. */
function classAtRange(source: string, offset: number, functionName: string): { className: string; at: number } | null {
  if (functionName !== INITIALIZER) {
    return source.startsWith('constructor', offset) && functionName ? { className: functionName, at: offset } : null;
  }
  const header = classAt(source, offset);
  if (!header) return { className: '(anonymous class)', at: offset };
  // `const Name = class { … }`: the binding before the expression names it
  return { className: header.name ?? bindingBefore(source, header.start) ?? '(anonymous class)', at: header.start };
}

function classify(scriptId: string, url: string, functionName: string, offset: number): Construction | null {
  const key = `${scriptId}:${offset}`;
  const known = classified.get(key);
  if (known !== undefined) return known;
  let result: Construction | null = null;
  try {
    const found = classAtRange(scriptSource(scriptId), offset, functionName);
    if (found) {
      const position = offsetToPosition(scriptId, found.at);
      const location = mapPosition({ url, ...position });
      result = { className: found.className, count: 0 };
      if (location) result.location = location;
    }
  } catch (error) {
    noteFault('classify', error);
  }
  classified.set(key, result);
  return result;
}

/** Class constructions in a coverage window, most first; one entry per class and script. */
export function constructionsIn(coverage: RawScriptCoverage[]): Construction[] {
  const perClass = new Map<string, Construction>();
  for (const script of coverage) {
    // Node's own classes (timers, buffers: partly the probe's own) are noise here, and so are the
    // probe's (a stack and an event per query recorded): they are no object the app built
    if (!script.url || script.url.startsWith('node:') || isOwnFile(script.url)) continue;
    for (const fn of script.functions) {
      const range = fn.ranges[0];
      if (!range || range.count === 0) continue;
      if (fn.functionName === '' || (fn.functionName !== INITIALIZER && !/^[A-Za-z_$]/.test(fn.functionName))) continue;
      const known = classify(script.scriptId, script.url, fn.functionName, range.startOffset);
      if (!known) continue;
      const key = `${script.scriptId}:${known.className}`;
      const seen = perClass.get(key);
      // a class with fields and a constructor shows twice with the same count: keep one
      if (!seen || seen.count < range.count) perClass.set(key, { ...known, count: range.count });
    }
  }
  return [...perClass.values()].sort((a, b) => b.count - a.count || a.className.localeCompare(b.className));
}
