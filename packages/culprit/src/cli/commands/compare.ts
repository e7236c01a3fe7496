import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compareRuns, readSavedRun, renderComparison } from '../../bench/compare.js';
import { CulpritError } from '../../errors/culprit-error.js';
import type { CliIo, Command } from '../command.js';

const help = `culprit compare A.json B.json: two bench runs side by side.

Usage: culprit compare [--json] BEFORE.json AFTER.json

Reads files written by culprit bench --json (or --save) and prints both runs,
the ratio of their medians and of their p99, and whether the difference is
significant: a 95% bootstrap confidence interval of each ratio, from the runs'
latency histograms. E.g. "B is 3.50× faster (median 350 ms → 100 ms, 95% CI 3.31×–3.72×)".
Runs of different URLs, methods or load are compared with a warning on
stderr; runs whose latencies are in different units are refused (exit 2).

Options:
  --json  print the comparison as one JSON object
`;

async function load(file: string, cwd: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (cause) {
    throw new CulpritError(
      'CULPRIT_E_UNREADABLE_FILE',
      `cannot read '${file}'; expected a file from culprit bench --save`,
      { cause },
    );
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new CulpritError(
      'CULPRIT_E_BAD_CAPTURE',
      `'${file}' is not JSON; expected a file from culprit bench --save`,
      { cause },
    );
  }
}

async function runCompare(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: { json: { type: 'boolean' } }; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true });
  } catch (cause) {
    throw new CulpritError(
      'CULPRIT_E_UNKNOWN_FLAG',
      `${cause instanceof Error ? cause.message : String(cause)} (see culprit compare --help)`,
      { cause },
    );
  }
  const files = parsed.positionals;
  if (files.length !== 2) {
    throw new CulpritError(
      'CULPRIT_E_MISSING_ARGUMENT',
      `expected two files (BEFORE.json AFTER.json), got ${files.length}`,
    );
  }
  const [fileA = '', fileB = ''] = files;
  const a = readSavedRun(await load(fileA, io.cwd), fileA);
  const b = readSavedRun(await load(fileB, io.cwd), fileB);
  const comparison = compareRuns(a, b);
  for (const warning of comparison.warnings) io.stderr.write(`culprit compare: warning: ${warning}\n`);
  io.stdout.write(parsed.values.json === true ? `${JSON.stringify(comparison)}\n` : renderComparison(comparison));
  return 0;
}

export const compareCommand: Command = {
  summary: 'compare two bench runs: ratio of medians and p99 with a confidence interval',
  help,
  run: runCompare,
};
