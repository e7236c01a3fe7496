import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Capture } from '../../capture/types.js';
import { diagnose, rules } from '../../diagnose/diagnose.js';
import { renderFindingsText } from '../../diagnose/render-text.js';
import { attachSnippets } from '../../diagnose/snippets.js';
import { CulpritError } from '../../errors/culprit-error.js';
import { runInvestigation } from '../../investigate/run-investigation.js';
import { readCaptureFile, writeHtmlReport } from '../../report/index.js';
import { openTarget } from '../../target/open-target.js';
import { parseTraceArgs } from '../../trace/cli-options.js';
import { redactCommandLine } from '../../trace/redact.js';
import type { CliIo, Command } from '../command.js';
import { createProgressLine } from '../progress.js';
import { culpritVersion } from '../version.js';
import { splitDiagnoseFlags } from './diagnose-flags.js';

const help = `Usage: culprit diagnose --app MODULE METHOD PATH [options]
       culprit diagnose [options] URL -- command…
       culprit diagnose CAPTURE.json [options]

The whole investigation in one command: traces the request (queries, rows,
objects built per class, the stack of every query), profiles it (time per
function, exact call counts), and ranks what makes it slow. Each finding is
one sentence with a file and line, its evidence, and the code around it.
Given a capture file (culprit trace/profile --save), only ranks it.

Target (as culprit trace):
  --app MODULE         import MODULE and inject METHOD PATH in-process
  URL -- command…      start your server with the probe preloaded, send URL
  -n N                 requests per pass (default 3)
  -H, -X, -d, --port, --ready-timeout, --keep-params   as in culprit trace
  --no-profile         skip the profiling passes (faster; no call counts)

Output:
  --json               print the findings as JSON
  --save FILE          write the capture with its findings (culprit view reads it)
  --html FILE          write a self-contained HTML report with the findings

Rules:
${rules.map((rule) => `  ${rule.id.padEnd(20)} ${rule.describe}`).join('\n')}
`;

/** Reads source files for snippets; a missing file just means no snippet. */
function readSourceFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Adds ranked findings (with code snippets) to a capture. */
export function diagnoseCapture(capture: Capture): Capture {
  return { ...capture, findings: attachSnippets(diagnose(capture), readSourceFile) };
}

async function investigate(args: string[], profile: boolean, io: CliIo): Promise<Capture> {
  const hasCount = args.some((arg) => arg === '-n' || arg.startsWith('-n='));
  const options = parseTraceArgs(hasCount ? args : ['-n', '3', ...args], io.cwd, 'diagnose');
  const progress = createProgressLine({ stream: io.stderr, enabled: !options.json });
  progress.update('culprit diagnose: starting the target…', true);
  const target = await openTarget({ ...options.target, signal: io.signal });
  try {
    return await runInvestigation(target, {
      request: options.request,
      count: options.count,
      keepParams: options.keepParams,
      profile,
      intervalUs: 1000,
      commandLine: `diagnose ${redactCommandLine(args, options.keepParams)}`,
      version: culpritVersion(),
      signal: io.signal,
      onProgress: (message) => progress.update(`culprit diagnose: ${message}`),
    });
  } finally {
    progress.done();
    await target.close();
  }
}

async function runDiagnose(args: string[], io: CliIo): Promise<number> {
  const { html, save, json, profile, rest } = splitDiagnoseFlags(args, io.cwd);
  const fromFile = rest.length === 1 && rest[0]?.endsWith('.json') === true;
  const capture = fromFile ? await readCaptureFile(rest[0] as string) : await investigate(rest, profile, io);
  const diagnosed = diagnoseCapture(capture);
  const findings = diagnosed.findings ?? [];
  if (save !== undefined) {
    try {
      await writeFile(save, `${JSON.stringify(diagnosed)}\n`);
    } catch (error) {
      throw new CulpritError('CULPRIT_E_UNWRITABLE_FILE', `cannot write ${save}: ${String(error)}`, { cause: error });
    }
  }
  if (html !== undefined) await writeHtmlReport(diagnosed, html);
  io.stdout.write(json ? `${JSON.stringify(findings, null, 2)}\n` : renderFindingsText(findings, io.cwd));
  for (const file of [save, html])
    if (file !== undefined && !json) io.stderr.write(`culprit diagnose: wrote ${file}\n`);
  return 0;
}

export const diagnoseCommand: Command = {
  summary: 'the whole investigation: trace + profile a request, rank the causes with file and line',
  help,
  run: runDiagnose,
};
