/**
 * Logpoint hits (`--log`, the story's `print`) and `--when` stacks (its
 * conditional `breakpoint()` and `up`/`down`) as text. Pure.
 */
import { relative } from 'node:path';
import type { Capture, StackFrame } from '../capture/types.js';
import { groupDigits } from '../group-digits.js';

/** Hits printed per spec; the rest are counted. */
const MAX_PRINTED_HITS = 20;

function shortFile(file: string, cwd: string): string {
  return file.startsWith('/') ? relative(cwd, file) : file;
}

function frameLines(frame: StackFrame, cwd: string): string[] {
  const lines = [`  at ${frame.functionName || '(anonymous)'} (${shortFile(frame.file, cwd)}:${frame.line})`];
  const code = frame.snippet?.lines[frame.line - frame.snippet.startLine];
  if (code !== undefined) lines.push(`      ${code.trim()}`);
  // locals of your own frames; a dependency's internals would bury them
  const own = !frame.package && !frame.file.includes('/node_modules/') && !frame.file.startsWith('node:');
  if (own) for (const [name, value] of Object.entries(frame.locals).slice(0, 8)) lines.push(`      ${name} = ${value}`);
  return lines;
}

/** Text for `capture.logs` and `capture.stops`; empty when there are none. */
export function renderBreakpoints(capture: Capture, cwd: string): string[] {
  const lines: string[] = [];
  const bySpec = new Map<string, string[]>();
  for (const hit of capture.logs ?? []) {
    const list = bySpec.get(hit.spec) ?? [];
    list.push(`${hit.requestId === undefined ? '' : `#${hit.requestId} `}${hit.values.join(', ')}`);
    bySpec.set(hit.spec, list);
  }
  for (const [spec, hits] of bySpec) {
    lines.push(`--log '${spec}': ${groupDigits(hits.length)} hits`);
    for (const hit of hits.slice(0, MAX_PRINTED_HITS)) lines.push(`  ${hit}`);
    if (hits.length > MAX_PRINTED_HITS)
      lines.push(`  … ${groupDigits(hits.length - MAX_PRINTED_HITS)} more (all in --json / --save)`);
    lines.push('');
  }
  for (const stop of capture.stops ?? []) {
    const where = stop.requestId === undefined ? '' : ` in request #${stop.requestId}`;
    const before =
      stop.hitsBeforeMatch === undefined ? '' : ` after ${groupDigits(stop.hitsBeforeMatch)} non-matching hits`;
    lines.push(`--when '${stop.spec}' held${where}${before}; stack, innermost first:`);
    for (const frame of stop.frames) lines.push(...frameLines(frame, cwd));
    lines.push('');
  }
  return lines;
}
