import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { partialNotes } from '../../capture/partial.js';
import type { Capture } from '../../capture/types.js';
import { bundleNotes } from '../../diagnose/bundle-hints.js';
import { diagnoseFully, rules } from '../../diagnose/diagnose.js';
import { refineLines } from '../../diagnose/refine-lines.js';
import { renderFindingsText } from '../../diagnose/render-text.js';
import { declarationsOf, markSetUpScripts } from '../../diagnose/schema/table-declarations.js';
import { attachSnippets, keepSnippets, noSources, type ReadSource } from '../../diagnose/snippets.js';
import { excerptReader, excerptsOf, schemaExcerpts } from '../../diagnose/source-excerpts.js';
import { CulpritError } from '../../errors/culprit-error.js';
import { moveToTwins, twinMapper, withTwinFiles } from '../../investigate/compiled-twins.js';
import { projectSchemaFiles } from '../../investigate/project-files.js';
import { projectSources, targetProjectRoots } from '../../investigate/project-sources.js';
import { runInvestigation } from '../../investigate/run-investigation.js';
import { readCaptureFile } from '../../report/read-capture.js';
import { openTarget } from '../../target/open-target.js';
import { requestsFailed } from '../../target/request-failure.js';
import { parseTraceArgs } from '../../trace/cli-options.js';
import { redactCommandLine } from '../../trace/redact.js';
import { type CliIo, type Command, INTERRUPTED_EXIT } from '../command.js';
import { announceReplaced, refuseOverwritingInputs, targetInputs } from '../output-files.js';
import { createProgressLine } from '../progress.js';
import { culpritVersion } from '../version.js';
import { splitDiagnoseFlags } from './diagnose-flags.js';

const help = `Usage: culprit diagnose --app MODULE [METHOD] PATH [options]
       culprit diagnose [options] URL -- command…
       culprit diagnose CAPTURE.json [options]

The whole investigation in one command: traces the request (queries, rows,
objects built per class, the stack of every query), profiles it (time per
function, exact call counts), and ranks what makes it slow. Each finding is
one sentence with a file and line, its evidence, and the code around it.
Given a capture file (culprit trace/profile --save), only ranks it.

Target (as culprit trace):
  --app MODULE         import MODULE and inject [METHOD] PATH in-process (only a
                       documented factory is called, or MODULE#NAME: see trace)
  URL -- command…      start your server with the probe preloaded, send URL
  -n N                 requests per pass (default: up to 3, fewer for a slow
                       request: a pass stops once its requests took 1 s; a
                       cold first traced run is traced again)
  -H, -X, -d, --port, --ready-timeout, --timeout, --keep-params   as in culprit trace
  --no-profile         skip the profiling passes (faster; no call counts)
  --no-explain         do not ask the database for the plans of slow or large
                       queries (EXPLAIN through the app's own connection, with
                       the statement's parameters, after the request; never
                       ANALYZE, so nothing runs twice)
  --allow-errors       diagnose even when the request fails or answers >= 400
                       (else: exit 1 with its status and the head of its body)
  --repeat-unsafe      trace and profile POST, PUT, PATCH, DELETE -n times per
                       pass (default: sent once, not profiled)

Output:
  --json               print the findings as JSON
  --save FILE          write the capture with its findings (culprit view reads it)
  --html FILE          write a self-contained HTML report with the findings

Rules:
${rules.map((rule) => `  ${rule.id.padEnd(20)} ${rule.describe}`).join('\n')}
`;

/**
 * Adds ranked findings (located on the line to change, with code snippets)
 * and totals to a capture. `readSource` reads the target's project files while
 * the capture is made, `schemaFiles` lists the project's files where tables
 * may be declared (read only when a query has a plan: only a plan tells a
 * missing index); a capture read from a file gets `noSources` (it keeps the
 * snippets and schema lines it carries and never makes culprit open the paths
 * it names).
 */
export function diagnoseCapture(
  capture: Capture,
  readSource: ReadSource = noSources,
  schemaFiles: () => readonly string[] = () => [],
  loadedFiles?: ReadonlySet<string>,
): Capture {
  const fromFile = readSource === noSources;
  // compiled TypeScript without source maps: the findings name the .ts lines the user edits
  if (!fromFile) moveToTwins(capture, twinMapper(readSource));
  // a saved capture reads the code it kept; a new one keeps the code it read
  const reader = fromFile ? (capture.sources ? excerptReader(capture.sources) : undefined) : readSource;
  const kept = capture.sources ?? [];
  const planned = hasPlans(capture);
  const files = !planned
    ? []
    : fromFile
      ? // a capture file is input: what is not an excerpt names no file
        [...new Set(kept.flatMap((e) => (typeof e?.file === 'string' ? [e.file.replace(/^file:\/\//, '')] : [])))]
      : schemaFiles();
  // only a plan's table is looked up in the declarations the loaded files tell apart
  const loaded = planned && loadedFiles && !fromFile ? withTwinFiles(loadedFiles, readSource) : loadedFiles;
  const schema = markSetUpScripts(declarationsOf(files, reader ?? noSources), loaded);
  const sources = fromFile
    ? capture.sources
    : [...excerptsOf(capture, readSource), ...schemaExcerpts(capture, schema, readSource)];
  const { findings, totals } = diagnoseFully(capture, undefined, reader, schema);
  const refined = keepSnippets(refineLines(findings, reader ?? noSources), capture.findings);
  // excerpts cover the operations' code, not every finding's: a saved capture's snippets are the ones it kept
  const located = fromFile ? refined : attachSnippets(refined, readSource);
  const diagnosed: Capture = { ...capture, totals, findings: located };
  if (sources && sources.length > 0) diagnosed.sources = sources;
  return diagnosed;
}

/** Whether a query of the capture has its plan: only then are the project's table declarations read. */
function hasPlans(capture: Capture): boolean {
  return capture.requests.some((request) => request.queries.some((query) => query.plan !== undefined));
}

/** Runs the investigation; also returns the reader of the target's own project files, for snippets. */
async function investigate(
  args: string[],
  profile: boolean,
  explain: boolean,
  io: CliIo,
  outputs: ReadonlyArray<string | undefined>,
): Promise<{
  capture: Capture;
  readSource: ReadSource;
  schemaFiles: () => string[];
  loadedFiles: ReadonlySet<string> | undefined;
  /** The target stopping (SIGTERM, its exit): the caller analyses meanwhile and awaits it before printing. */
  closed: Promise<void>;
}> {
  const hasCount = args.some((arg) => arg === '-n' || arg.startsWith('-n='));
  const options = parseTraceArgs(hasCount ? args : ['-n', '3', ...args], io.cwd, 'diagnose');
  refuseOverwritingInputs(outputs, targetInputs(options.target));
  const progress = createProgressLine({ stream: io.stderr, enabled: !options.json });
  progress.update('culprit diagnose: starting the target…', true);
  // every diagnose enables the Debugger domain (counts, sources, constructions): done while the CLI waits anyway
  const target = await openTarget({
    ...options.target,
    signal: io.signal,
    ...(options.target.mode === 'command' ? { enableScriptsEarly: true } : {}),
  });
  const roots = targetProjectRoots(options.target);
  const readSource = projectSources(roots);
  let stopping: Promise<void> | undefined;
  try {
    const capture = await runInvestigation(target, {
      request: options.request,
      count: options.count,
      budgeted: !hasCount,
      keepParams: options.keepParams,
      allowErrors: options.allowErrors,
      waitForStartUp: options.target.mode === 'command',
      repeatUnsafe: options.repeatUnsafe,
      profile,
      explain,
      intervalUs: 1000,
      commandLine: `diagnose ${redactCommandLine(args, options.keepParams)}`,
      version: culpritVersion(),
      signal: io.signal,
      onProgress: (message) => progress.update(`culprit diagnose: ${message}`),
    });
    // asked before the target closes: which declaring files the server itself ran (set-up scripts it did not);
    // only a query plan makes the analysis read declarations, and the list costs the target a walk of every
    // script it parsed, with the source maps of the project's files read from disk
    const loaded = hasPlans(capture) ? await target.probe.loadedFiles?.().catch(() => undefined) : undefined;
    progress.done();
    // the target's exit (its probe's exit work, the group's end) runs beside the analysis, on the other core
    stopping = target.close();
    return {
      capture,
      readSource,
      schemaFiles: () => projectSchemaFiles(roots),
      loadedFiles: loaded ? new Set(loaded) : undefined,
      closed: stopping,
    };
  } finally {
    if (!stopping) {
      progress.done();
      await target.close();
    }
  }
}

async function runDiagnose(args: string[], io: CliIo): Promise<number> {
  const { html, save, json, profile, explain, allowErrors, rest } = splitDiagnoseFlags(args, io.cwd);
  const positional = rest.filter((arg) => arg !== '--allow-errors');
  const fromFile = positional.length === 1 && positional[0]?.endsWith('.json') === true;
  if (fromFile) refuseOverwritingInputs([save, html], [resolve(io.cwd, positional[0] as string)]);
  const { capture, readSource, schemaFiles, loadedFiles, closed } = fromFile
    ? {
        capture: await readCaptureFile(positional[0] as string),
        readSource: noSources,
        schemaFiles: () => [],
        loadedFiles: undefined,
        closed: Promise.resolve(),
      }
    : await investigate(rest, profile, explain, io, [save, html]);
  let diagnosed: Capture;
  try {
    if (fromFile && !allowErrors) {
      const failed = requestsFailed(capture.requests);
      if (failed) throw failed;
    }
    diagnosed = diagnoseCapture(capture, readSource, schemaFiles, loadedFiles);
  } finally {
    // nothing is printed or written while the target may still be writing its last lines
    await closed;
  }
  const findings = diagnosed.findings ?? [];
  announceReplaced([save, html], io.stderr, 'diagnose');
  if (save !== undefined) {
    try {
      await writeFile(save, `${JSON.stringify(diagnosed)}\n`);
    } catch (error) {
      throw new CulpritError('CULPRIT_E_UNWRITABLE_FILE', `cannot write ${save}: ${String(error)}`, { cause: error });
    }
  }
  if (html !== undefined) {
    // loaded when asked: the report's modules (the viewer bundle, HDR decoding) were half of diagnose's start-up CPU
    const { writeHtmlReport } = await import('../../report/html-report.js');
    await writeHtmlReport(diagnosed, html);
  }
  const partial = partialNotes(capture);
  if (json) {
    io.stdout.write(`${JSON.stringify({ totals: diagnosed.totals ?? [], findings }, null, 2)}\n`);
    for (const note of partial) io.stderr.write(`culprit diagnose: ${note}\n`);
  } else {
    // a partial capture says so before its findings: they do not cover the whole request
    const heading = partial.map((note) => `${note}\n`).join('');
    io.stdout.write(`${heading}${heading ? '\n' : ''}${renderFindingsText(findings, io.cwd, diagnosed.totals)}`);
    const others = [...(capture.notes ?? []).filter((note) => !partial.includes(note)), ...bundleNotes(findings)];
    if (!fromFile && others.length) io.stdout.write(`\n${others.map((note) => `note: ${note}\n`).join('')}`);
  }
  for (const file of [save, html])
    if (file !== undefined && !json) io.stderr.write(`culprit diagnose: wrote ${file}\n`);
  return io.signal.aborted ? INTERRUPTED_EXIT : 0;
}

export const diagnoseCommand: Command = {
  summary: 'the whole investigation: trace + profile a request, rank the causes with file and line',
  help,
  run: runDiagnose,
};
