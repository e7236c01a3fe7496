/**
 * The line of a hot function that does its work in native code, when the
 * profile cannot name the line. V8 reports a sample's position by line only,
 * and a transform that writes each module on one line (tsx minifies
 * whitespace) puts every sample of a function on the line where it starts.
 * Calls that V8 or Node run natively, whose time grows with what they are
 * given, leave no frame of their own: their time is the caller's. When the
 * function's body holds exactly one such call, that call is the line to
 * change. Pure.
 */
import { codeOfLine } from '../schema/source-text.js';

/**
 * Copies, (de)serialisation, collation and formatting, and Node's synchronous calls: no JavaScript frame of
 * their own, time that grows with their input. Each alternative names the call for the advice.
 */
const NATIVE_WORK =
  /\b(structuredClone|JSON\.parse|JSON\.stringify|v8\.serialize|v8\.deserialize|[a-z][\w$]*Sync|Buffer\.concat)\s*\(|\.(localeCompare|toLocaleString|toLocaleDateString|toLocaleTimeString)\s*\(|\bnew\s+(Intl\.[A-Za-z]+)\s*\(/;
/** How far below its first line a function's body is read. */
const BODY_LINES = 200;

export interface NativeWork {
  /** 1-based line of the call. */
  line: number;
  /** What it calls (`structuredClone`, `JSON.parse`, `localeCompare`). */
  call: string;
}

/**
 * The one native call in the body of the function that starts at `header` (1-based), if there is exactly
 * one; undefined for a function on one line, or with none or several such calls.
 */
export function nativeWorkIn(lines: readonly string[], header: number): NativeWork | undefined {
  const found: NativeWork[] = [];
  let depth = 0;
  let opened = false;
  for (let line = header; line <= Math.min(lines.length, header + BODY_LINES); line++) {
    const text = codeOfLine(lines[line - 1] ?? '');
    if (line > header) {
      const match = NATIVE_WORK.exec(text);
      const call = match?.[1] ?? match?.[2] ?? match?.[3];
      if (call) found.push({ line, call });
    }
    for (const char of text) {
      if (char === '{') {
        depth++;
        opened = true;
      } else if (char === '}') depth--;
    }
    if (opened && depth <= 0) break;
  }
  return found.length === 1 && opened ? found[0] : undefined;
}
