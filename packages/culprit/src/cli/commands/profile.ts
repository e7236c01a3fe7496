import { writeFile } from 'node:fs/promises';
import type { Capture, ProfileData } from '../../capture/types.js';
import { CulpritError } from '../../errors/culprit-error.js';
import { writeExports } from '../../export/write-exports.js';
import { moveToTwins, twinMapper } from '../../investigate/compiled-twins.js';
import { projectSources, targetProjectRoots } from '../../investigate/project-sources.js';
import { type DiffCliOptions, type ProfileCliOptions, parseProfileArgs } from '../../profile/cli-options.js';
import { diffProfiles, renderDiff } from '../../profile/diff.js';
import { gatherProfile } from '../../profile/gather.js';
import { profileCapture } from '../../profile/profile-capture.js';
import { renderPstats } from '../../profile/render-pstats.js';
import { requestSamples } from '../../profile/request-samples.js';
import { timeitLine, timeitStats } from '../../profile/timeit.js';
import { writeHtmlReport } from '../../report/html-report.js';
import { readCaptureFile } from '../../report/read-capture.js';
import { openTarget } from '../../target/open-target.js';
import { allowedSends, otherTrafficNote, unsafeNote } from '../../target/send-notes.js';
import { withOtherTraffic } from '../../trace/run-trace.js';
import type { CliIo, Command } from '../command.js';
import { announceReplaced, refuseOverwritingInputs, targetInputs } from '../output-files.js';
import { createProgressLine } from '../progress.js';
import { culpritVersion } from '../version.js';

const help = `Usage: culprit profile --app MODULE [METHOD] PATH [options]
       culprit profile URL [options] -- command…
       culprit profile --diff BEFORE.json AFTER.json

Profiles one request, cProfile-style: sampled time (V8 CPU profile) plus exact
call counts (V8 precise coverage, in a separate pass), source-mapped to your
TypeScript. Prints the pstats table and a timeit line.

Target:
  --app MODULE [METHOD] PATH  import MODULE (an Express/Fastify/Koa/Hono app, a
                            NestJS root module or app, a listener, or a script
                            that listens) and inject the request in-process; only a
                            factory buildApp/createApp/makeApp/buildServer/
                            createServer/makeServer is called (MODULE#NAME: that
                            export; called when it takes no parameters)
  URL -- command…           start the command (probe preloaded) and send the
                            request to it, e.g. http://localhost:3000/api -- npm start;
                            URL may be a path (/api/items?page=2): the port is
                            learned from the server
  -X, --method M            method in URL mode (default GET)
  -H, --header 'N: v'       request header (repeatable)
  -d, --data BODY           request body (POST unless -X, with its Content-Length)
  --ready-timeout S         seconds to wait for the target to be ready (default 30)
  --timeout S               seconds to wait for the probe's record once a response
                            ended (default 60); responses are awaited however long
  --repeat-unsafe           profile POST, PUT, PATCH, DELETE with every pass; without
                            it they are sent once (one timed request, calls unknown)

Passes:
  --warmup N        unprofiled requests first (default 3)
  -n N              requests per pass (default 10)
  --interval US     sampling interval, microseconds (default 1000)
  --allow-errors    profile even if the request answers >= 400

Table:
  -s, --sort KEY    tottime | cumtime | ncalls | name (default cumtime)
  --limit N|all     rows to print (default 25)
  --filter REGEX    rows whose filename:lineno(function) matches
  --expand-deps     one row per function of dependencies and Node internals
                    (default: one row per npm package, one for node:internal)

Outputs:
  --export FORMAT=FILE  cpuprofile | speedscope | pprof | collapsed (repeatable)
  --save FILE           write the capture (JSON; culprit view reads it)
  --html FILE           write a self-contained HTML report
  --json                print the capture as JSON instead of the table
  --keep-params         keep query-string values in saved URLs (default: redacted)
  --diff A.json B.json  per-function change in self time and calls between captures

Time columns are milliseconds over all -n requests; percall divides sampled
time by exact calls, so it is an estimate. An async function's ncalls counts
each entry: the call and every resume after an await (as cProfile does).
`;

async function runDiff(options: DiffCliOptions, io: CliIo): Promise<number> {
  const [before, after] = await Promise.all([readCaptureFile(options.before), readCaptureFile(options.after)]);
  const profileOf = (capture: Capture, path: string): ProfileData => {
    if (capture.profile) return capture.profile;
    throw new CulpritError('CULPRIT_E_BAD_CAPTURE', `${path} has no profile (save one with culprit profile --save)`);
  };
  const diff = diffProfiles(profileOf(before, options.before), profileOf(after, options.after), io.cwd);
  io.stdout.write(options.json ? `${JSON.stringify(diff, null, 2)}\n` : renderDiff(diff, options.limit));
  return 0;
}

async function runProfile(options: ProfileCliOptions, io: CliIo): Promise<number> {
  const outputs = [...options.exports.map((e) => e.file), options.save, options.html];
  refuseOverwritingInputs(outputs, targetInputs(options.target));
  const progress = createProgressLine({ stream: io.stderr, enabled: !options.json });
  progress.update('culprit profile: starting the target…', true);
  const target = await openTarget({ ...options.target, signal: io.signal });
  // an unsafe method (POST…) goes out once: one timed request, no warm-up, no count pass
  const once = allowedSends(options.request, 2, options.repeatUnsafe) === 1;
  const passes = once
    ? { warmup: 0, runs: 1, countPass: false }
    : { warmup: options.warmup, runs: options.runs, countPass: true };
  try {
    const gathered = await gatherProfile(target, {
      request: options.request,
      ...passes,
      intervalUs: options.intervalUs,
      allowErrors: options.allowErrors,
      signal: io.signal,
      onProgress: (phase, done, total) =>
        progress.update(`culprit profile: ${phase} ${phase === 'mapping' ? '' : `${done}/${total}`}`),
    });
    progress.done();
    const { profile } = gathered;
    const samples = requestSamples(profile);
    const perRequestMs = (profile.loopsMs ?? []).reduce((sum, ms) => sum + ms, 0) / passes.runs;
    if (samples === 0) {
      throw new CulpritError(
        'CULPRIT_E_NO_SAMPLES',
        `no CPU samples in ${passes.runs} requests of ~${perRequestMs.toFixed(2)} ms each: the request is too fast ` +
          `for a ${options.intervalUs} µs interval; raise -n (e.g. -n ${Math.max(options.runs * 20, 200)}) or lower --interval`,
      );
    }
    const notes = [...target.notes];
    if (once) notes.push(unsafeNote(options.request.method, options.warmup + 2 * options.runs));
    notes.push(gathered.sent);
    const others = otherTrafficNote(target.otherTraffic());
    if (others) notes.push(others);
    if (samples < 50) {
      notes.push(`only ${samples} samples of the request: figures are rough; raise -n or lower --interval for more`);
    }
    const capture = withOtherTraffic(
      profileCapture({
        version: culpritVersion(),
        target: target.info,
        requests: gathered.requests,
        profile,
        notes: [...notes, ...gathered.notes],
        keepParams: options.keepParams,
        createdAt: new Date().toISOString(),
      }),
      target,
      { noted: true },
    );
    // compiled TypeScript without source maps: the table and the exports name the .ts lines the user edits
    moveToTwins(capture, twinMapper(projectSources(targetProjectRoots(options.target))));
    const name = `${options.request.method} ${capture.requests[0]?.url ?? options.request.path}`;
    announceReplaced(outputs, io.stderr, 'profile');
    await writeExports(profile, options.exports, { name });
    if (options.save) await writeOrFail(options.save, `${JSON.stringify(capture)}\n`);
    if (options.html) await writeHtmlReport(capture, options.html);
    if (options.json) {
      io.stdout.write(`${JSON.stringify(capture)}\n`);
      return 0;
    }
    const stats = timeitStats(profile.loopsMs ?? []);
    const lines = [`${name}`];
    if (stats) lines.push(timeitLine(stats));
    for (const note of notes) lines.push(`note: ${note}`);
    io.stdout.write(`${lines.join('\n')}\n\n`);
    io.stdout.write(
      renderPstats(profile, {
        sort: options.sort,
        limit: options.limit,
        filter: options.filter,
        expandDeps: options.expandDeps,
        cwd: io.cwd,
      }),
    );
    const written = outputs.filter((f) => f !== undefined);
    if (written.length) io.stdout.write(`\nwrote ${written.join(', ')}\n`);
    return 0;
  } finally {
    progress.done();
    await target.close();
  }
}

async function writeOrFail(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new CulpritError('CULPRIT_E_UNWRITABLE_FILE', `cannot write ${path}: ${String(error)}`, { cause: error });
  }
}

export const profileCommand: Command = {
  summary: 'profile one request: sampled time + exact call counts, pstats table, exports',
  help,
  async run(args, io) {
    const options = parseProfileArgs(args, io.cwd);
    return options.kind === 'diff' ? runDiff(options, io) : runProfile(options, io);
  },
};
