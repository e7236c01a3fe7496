import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { benchHelp } from '../../bench/help.js';
import { type BenchOptions, type LoadOptions, parseBenchArgs } from '../../bench/options.js';
import { CSV_HEADER, csvRow } from '../../bench/report-csv.js';
import { renderTextReport } from '../../bench/report-text.js';
import { runLoadOnWorkers } from '../../bench/run-workers.js';
import { type BenchStats, createStats } from '../../bench/stats.js';
import { type BenchSummary, summarize, thresholdInputs } from '../../bench/summary.js';
import { brokenThresholds, metricValue } from '../../bench/thresholds.js';
import { CulpritError } from '../../errors/culprit-error.js';
import { redactArgv } from '../../trace/redact.js';
import type { CliIo, Command } from '../command.js';
import { announceReplaced, refuseOverwritingInputs } from '../output-files.js';
import { createProgressLine, formatElapsed, renderBar } from '../progress.js';
import { culpritVersion } from '../version.js';

function warmupLoad(options: BenchOptions): LoadOptions | undefined {
  const w = options.warmup;
  if (w === undefined) return undefined;
  const base = { ...options.load, rate: undefined };
  if ('requests' in w)
    return {
      ...base,
      requests: Math.max(w.requests, 1),
      durationMs: undefined,
      concurrency: Math.min(base.concurrency, w.requests),
    };
  return { ...base, requests: undefined, durationMs: w.durationMs };
}

/** Runs the load with a progress line on a TTY; Ctrl-C (io.signal) ends it early with what was done. */
async function measure(options: BenchOptions, io: CliIo): Promise<BenchStats> {
  const warmup = warmupLoad(options);
  if (warmup)
    await runLoadOnWorkers(warmup, options.workers === 1 ? 1 : Math.min(options.workers, warmup.concurrency), {
      signal: io.signal,
    });
  const { load } = options;
  const stats = createStats();
  const progress = createProgressLine({ stream: io.stdout, enabled: options.output === 'text' });
  const started = performance.now();
  const draw = (): void => {
    const elapsed = performance.now() - started;
    const done = stats.requests + stats.errors;
    const fraction = load.requests !== undefined ? done / load.requests : elapsed / (load.durationMs ?? 1);
    const target = load.requests !== undefined ? `${done}/${load.requests} requests` : `${done} requests`;
    const rps = elapsed > 0 ? Math.round((stats.requests * 1000) / elapsed) : 0;
    progress.update(
      `${renderBar(fraction)} ${target}  ${rps} req/s  ${stats.errors} errors  ${formatElapsed(elapsed)}`,
      true,
    );
  };
  const ticker = progress.active ? setInterval(draw, 200) : undefined;
  const onSample =
    options.output === 'csv' ? (s: Parameters<typeof csvRow>[0]) => io.stdout.write(csvRow(s)) : undefined;
  if (onSample) io.stdout.write(CSV_HEADER);
  try {
    return await runLoadOnWorkers(load, options.workers, { signal: io.signal, stats, onSample });
  } finally {
    clearInterval(ticker);
    progress.done();
  }
}

/** The summary as `--json`/`--save` write it: the URL's query values and password redacted unless kept. */
function written(summary: BenchSummary, keepParams: boolean): BenchSummary {
  return { ...summary, url: redactArgv([summary.url], keepParams)[0] ?? summary.url };
}

async function runBench(args: string[], io: CliIo): Promise<number> {
  const options = parseBenchArgs(args, io.cwd, `culprit-bench/${culpritVersion()}`);
  const save = options.save === undefined ? undefined : resolve(io.cwd, options.save);
  refuseOverwritingInputs([save], options.inputs);
  const stats = await measure(options, io);
  const summary = summarize(options.load, stats);
  if (io.signal.aborted)
    io.stderr.write(`culprit bench: interrupted after ${summary.durationS.toFixed(1)} s; report of what was done:\n`);
  const output = written(summary, options.keepParams);
  if (options.output === 'json') io.stdout.write(`${JSON.stringify(output)}\n`);
  else if (options.output === 'text') io.stdout.write(renderTextReport(summary, stats.latencyUs));
  if (save !== undefined) {
    announceReplaced([save], io.stderr, 'bench');
    try {
      await writeFile(save, `${JSON.stringify(output, null, 2)}\n`);
    } catch (cause) {
      throw new CulpritError(
        'CULPRIT_E_UNWRITABLE_FILE',
        `cannot write --save file '${options.save}'; expected a writable path`,
        { cause },
      );
    }
  }
  const broken = brokenThresholds(options.thresholds, thresholdInputs(summary));
  for (const t of broken) {
    const actual = metricValue(t.metric, thresholdInputs(summary));
    const shown =
      t.metric === 'rps' || t.metric === 'errors'
        ? actual.toFixed(t.metric === 'rps' ? 1 : 0)
        : t.metric === 'errors%'
          ? `${actual.toFixed(2)}%`
          : `${actual.toFixed(3)}ms`;
    io.stderr.write(`culprit bench: threshold broken: ${t.source} (${t.metric} was ${shown})\n`);
  }
  return broken.length > 0 ? 1 : 0;
}

export const benchCommand: Command = {
  summary: 'send HTTP load to a URL and report latencies (hey-compatible)',
  help: benchHelp(),
  run: runBench,
};
