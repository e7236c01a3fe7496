import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { Capture } from '../capture/types.js';
import { CulpritError } from '../errors/culprit-error.js';
import { benchQuantiles } from './bench-quantiles.js';
import { loadViewerBundle } from './bundle.js';
import { jsonForScript } from './embed.js';
import { packCapture } from './pack-nodes.js';
import { PAYLOAD_ELEMENT_ID, type ViewerPayload } from './payload.js';
import { MAX_REPORT_NODES, reduceCapture } from './reduce-profile.js';

/** One capture, or a before/after pair shown as a diff. */
export type ReportInput = Capture | { before: Capture; after: Capture };

/** Options of the HTML report. */
export interface ReportOptions {
  /** Call-tree nodes above which the lightest frames are merged (default MAX_REPORT_NODES). */
  maxNodes?: number;
}

function toPayload(input: ReportInput, maxNodes: number): ViewerPayload {
  const reductions: string[] = [];
  const reduce = (capture: Capture): Capture => {
    const reduced = reduceCapture(capture, maxNodes);
    if (reduced !== capture) reductions.push(reduced.notes?.at(-1) ?? '');
    return reduced;
  };
  if ('before' in input && 'after' in input) {
    const before = packCapture(reduce(input.before));
    const after = packCapture(reduce(input.after));
    return { kind: 'diff', before, after, benchQuantilesMs: benchQuantiles(input.after.bench), reductions };
  }
  const capture = packCapture(reduce(input));
  return { kind: 'single', capture, benchQuantilesMs: benchQuantiles(input.bench), reductions };
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

function titleOf(payload: ViewerPayload): string {
  const capture: Capture = payload.kind === 'single' ? payload.capture : payload.after;
  const first = capture.requests[0];
  return first ? `${first.method} ${first.url}` : capture.tool.command;
}

/**
 * The whole report as one HTML document: viewer script and styles inline,
 * the capture as inert JSON, and a Content-Security-Policy that allows only
 * those exact inline blocks (by hash) and no network at all. Opens from
 * file://, attaches to a ticket, needs nothing else.
 */
export function renderHtmlReport(input: ReportInput, options: ReportOptions = {}): string {
  const bundle = loadViewerBundle();
  const payload = toPayload(input, options.maxNodes ?? MAX_REPORT_NODES);
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(bundle.js)}`,
    `style-src ${sha256(bundle.css)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  // The title is escaped as HTML text; everything else capture-borne goes through the JSON block.
  const title = `culprit: ${titleOf(payload)}`.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${title}</title>`,
    `<style>${bundle.css}</style>`,
    '</head>',
    '<body>',
    '<div id="app"></div>',
    `<script type="application/json" id="${PAYLOAD_ELEMENT_ID}">${jsonForScript(payload)}</script>`,
    `<script>${bundle.js}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Renders and writes the report; a path that cannot be written is a coded error. */
export async function writeHtmlReport(input: ReportInput, path: string, options: ReportOptions = {}): Promise<void> {
  const html = renderHtmlReport(input, options);
  try {
    await writeFile(path, html, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CulpritError('CULPRIT_E_UNWRITABLE_FILE', `cannot write the HTML report to ${path}: ${reason}`, {
      cause: error,
    });
  }
}
