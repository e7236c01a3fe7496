/**
 * The loop of an N+1 whose per-item work is a helper with several awaits
 * (`for (const c of comments) await addAuthor(c)`, the helper loading the
 * author, then whether the reader follows them). The helper is the function
 * resumed after each await, which blame.ts's loopFrame takes for the loop;
 * its lines hold no loop, though, and its caller's line does. Read from the
 * source, so it moves a finding only when the source shows the loop. Pure
 * given the reader.
 */
import type { SourceLocation } from '../capture/types.js';
import { functionKey, lineKey } from './facts/app-frames.js';
import { enclosingLoop } from './facts/data-flow.js';
import type { QueryFact } from './facts/query-facts.js';
import { loopHeaderLine } from './refine-lines.js';
import type { ReadSource } from './snippets.js';

function sourceLines(file: string, readSource: ReadSource): string[] | undefined {
  return readSource(file.replace(/^file:\/\//, ''))?.split(/\r?\n/);
}

/**
 * The caller of `helper` (a frame on every repeated query's chain, at one
 * line for all) whose line sits in a loop, when `helper`'s own line sits in
 * none; undefined when the source is unread or shows the loop in the helper.
 */
export function loopInCaller(
  helper: SourceLocation,
  queries: readonly QueryFact[],
  readSource: ReadSource,
): SourceLocation | undefined {
  const own = sourceLines(helper.file, readSource);
  if (!own || enclosingLoop(own, helper.line) || loopHeaderLine(own, helper.line) !== undefined) return undefined;
  const chain = queries[0]?.chain ?? [];
  const at = chain.findIndex((frame) => functionKey(frame) === functionKey(helper));
  for (let i = at - 1; i >= 0; i--) {
    const caller = chain[i] as SourceLocation;
    const key = lineKey(caller);
    if (!queries.every((query) => query.chain.some((frame) => lineKey(frame) === key))) return undefined;
    const lines = sourceLines(caller.file, readSource);
    if (lines && enclosingLoop(lines, caller.line)) return caller;
  }
  return undefined;
}
