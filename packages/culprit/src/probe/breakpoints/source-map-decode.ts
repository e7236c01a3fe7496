/**
 * Just enough of Source Map v3 for the debugger worker, which cannot use the
 * main thread's `module.findSourceMap`: decode `mappings`, then look up both
 * ways (original line → generated position, to set a `FILE:LINE` breakpoint;
 * generated → original, to print a captured stack). Positions are 0-based.
 * Pure; the probe may not depend on npm packages.
 */

export interface Segment {
  generatedLine: number;
  generatedColumn: number;
  source: number;
  originalLine: number;
  originalColumn: number;
}

export interface DecodedMap {
  /** `sources` as written in the map (resolve them against the map's URL). */
  sources: string[];
  sourcesContent: Array<string | null>;
  /** Sorted by generated line, then column. */
  segments: Segment[];
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** Parses a source map's JSON; undefined when it is not one (index maps with `sections` are not supported). */
export function decodeSourceMap(json: string): DecodedMap | undefined {
  const raw = JSON.parse(json) as {
    sources?: unknown;
    sourcesContent?: unknown;
    mappings?: unknown;
    sourceRoot?: unknown;
  };
  if (!Array.isArray(raw.sources) || typeof raw.mappings !== 'string') return undefined;
  const root = typeof raw.sourceRoot === 'string' && raw.sourceRoot ? raw.sourceRoot.replace(/\/?$/, '/') : '';
  return {
    sources: raw.sources.map((source) => `${root}${String(source)}`),
    sourcesContent: Array.isArray(raw.sourcesContent)
      ? raw.sourcesContent.map((text) => (typeof text === 'string' ? text : null))
      : [],
    segments: decodeMappings(raw.mappings),
  };
}

export function decodeMappings(mappings: string): Segment[] {
  const segments: Segment[] = [];
  // source, original line and original column carry over lines; the generated column resets per line
  let source = 0;
  let originalLine = 0;
  let originalColumn = 0;
  let generatedLine = 0;
  for (const line of mappings.split(';')) {
    let generatedColumn = 0;
    for (const group of line.split(',')) {
      if (!group) continue;
      const fields = decodeVlqGroup(group);
      generatedColumn += fields[0] ?? 0;
      if (fields.length < 4) continue;
      source += fields[1] ?? 0;
      originalLine += fields[2] ?? 0;
      originalColumn += fields[3] ?? 0;
      segments.push({ generatedLine, generatedColumn, source, originalLine, originalColumn });
    }
    generatedLine += 1;
  }
  return segments;
}

function decodeVlqGroup(group: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of group) {
    const digit = DIGIT.get(char);
    if (digit === undefined) break;
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}

/** The original position of a generated one: the closest segment at or before it on its line. */
export function originalPosition(
  map: DecodedMap,
  line: number,
  column: number,
): { source: number; line: number; column: number } | undefined {
  let best: Segment | undefined;
  for (const segment of map.segments) {
    if (segment.generatedLine > line) break;
    if (segment.generatedLine === line && segment.generatedColumn <= column) best = segment;
  }
  if (!best) best = map.segments.find((segment) => segment.generatedLine === line);
  return best && { source: best.source, line: best.originalLine, column: best.originalColumn };
}

/**
 * Where an original line starts in generated code: its first mapped position.
 * A line with no code (comment, blank) moves to the next line that has some,
 * as debuggers do, up to `lookahead` lines.
 */
export function generatedPosition(
  map: DecodedMap,
  source: number,
  line: number,
  lookahead = 5,
): { line: number; column: number; originalLine: number } | undefined {
  for (let wanted = line; wanted <= line + lookahead; wanted += 1) {
    let best: Segment | undefined;
    for (const segment of map.segments) {
      if (segment.source !== source || segment.originalLine !== wanted) continue;
      if (!best || segment.originalColumn < best.originalColumn) best = segment;
    }
    if (best) return { line: best.generatedLine, column: best.generatedColumn, originalLine: wanted };
  }
  return undefined;
}
