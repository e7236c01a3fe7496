import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CulpritError } from '../../errors/culprit-error.js';
import { type ReportInput, renderHtmlReport, writeHtmlReport } from '../../report/html-report.js';
import { openBrowser } from '../../report/open-browser.js';
import { readCaptureFile } from '../../report/read-capture.js';
import { serveReport } from '../../report/server.js';
import type { CliIo, Command } from '../command.js';
import { announceReplaced, refuseOverwritingInputs } from '../output-files.js';

const help = `Usage: culprit view CAPTURE.json [AFTER.json] [options]

Shows a capture in the browser: findings, icicle, flame graph, sunburst,
sandwich, bottom-up tree, pstats table and requests. With two captures
(or --diff) shows what changed from the first (before) to the second (after).

Options:
  --html FILE    write one self-contained HTML file instead of serving it
  --diff         compare two captures (implied when two are given)
  --port N       serve on this port (default: a free one); always 127.0.0.1
  --no-open      do not open a browser, only print the address
  -h, --help     show this help

In the report: / search (matches are summed), 1-9 switch views, t dark/light;
in charts click or Enter to zoom, Esc to go back, arrows to walk frames,
Ctrl+wheel to zoom, drag to pan; in the table arrows and Enter.
`;

const options = {
  html: { type: 'string' },
  diff: { type: 'boolean' },
  port: { type: 'string' },
  'no-open': { type: 'boolean' },
} as const;

function parse(args: string[]) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new CulpritError('CULPRIT_E_UNKNOWN_FLAG', `${message} (see culprit view --help)`, { cause: error });
  }
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new CulpritError('CULPRIT_E_BAD_FLAG_VALUE', `--port expects a number 0..65535, got '${value}'`);
  }
  return port;
}

async function loadInput(files: string[], diff: boolean, cwd: string): Promise<ReportInput> {
  if (files.length === 0) {
    throw new CulpritError(
      'CULPRIT_E_MISSING_ARGUMENT',
      'culprit view needs a capture file (culprit view capture.json)',
    );
  }
  if (files.length > 2) {
    throw new CulpritError(
      'CULPRIT_E_BAD_FLAG_VALUE',
      `culprit view takes one capture or two to compare, got ${files.length}`,
    );
  }
  if (diff && files.length !== 2) {
    throw new CulpritError(
      'CULPRIT_E_MISSING_ARGUMENT',
      '--diff needs two captures: culprit view BEFORE.json AFTER.json',
    );
  }
  const captures = await Promise.all(files.map((file) => readCaptureFile(resolve(cwd, file))));
  const [before, after] = captures;
  return after ? { before: before!, after } : before!;
}

/** `culprit view`: renders captures to a self-contained HTML report, written to a file or served on loopback. */
export async function runView(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args);
  const port = parsePort(values.port);
  const html = values.html === undefined ? undefined : resolve(io.cwd, values.html);
  refuseOverwritingInputs(
    [html],
    positionals.map((file) => resolve(io.cwd, file)),
  );
  const input = await loadInput(positionals, values.diff === true, io.cwd);
  if (html !== undefined) {
    announceReplaced([html], io.stderr, 'view');
    await writeHtmlReport(input, html);
    io.stdout.write(`wrote ${values.html}\n`);
    return 0;
  }
  const server = await serveReport(renderHtmlReport(input), port).catch((error: unknown) => {
    throw new CulpritError('CULPRIT_E_BAD_FLAG_VALUE', `cannot listen on 127.0.0.1:${port}: ${String(error)}`, {
      cause: error,
    });
  });
  io.stdout.write(`culprit view: serving the report at ${server.url} (Ctrl-C to stop)\n`);
  if (values['no-open'] !== true) openBrowser(server.url);
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  return 0;
}

export const viewCommand: Command = {
  summary: 'show a capture (or the diff of two) in the browser or as one HTML file',
  help,
  run: runView,
};
