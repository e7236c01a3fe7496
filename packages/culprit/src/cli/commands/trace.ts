import { writeFile } from 'node:fs/promises';
import { CulpritError } from '../../errors/culprit-error.js';
import { moveToTwins, twinMapper } from '../../investigate/compiled-twins.js';
import { projectSources, targetProjectRoots } from '../../investigate/project-sources.js';
import { openTarget } from '../../target/open-target.js';
import { requestsFailed } from '../../target/request-failure.js';
import { parseTraceArgs } from '../../trace/cli-options.js';
import { redactCommandLine } from '../../trace/redact.js';
import { renderTrace } from '../../trace/render-trace.js';
import { runTrace } from '../../trace/run-trace.js';
import { type CliIo, type Command, INTERRUPTED_EXIT } from '../command.js';
import { announceReplaced, refuseOverwritingInputs, targetInputs } from '../output-files.js';
import { createProgressLine } from '../progress.js';
import { culpritVersion } from '../version.js';

const help = `Usage: culprit trace [options] URL -- command…
       culprit trace --app MODULE [METHOD] PATH [options]

Shows what one request really does: time, CPU, event-loop blocking, status,
size, JSON items, every SQL query (rows, time, the line of your code that
issued it) and the objects built per class, without editing a file.

Target:
  URL -- command…      start your server as you do (npm start, node dist/server.js,
                       npx tsx src/server.ts) with the probe preloaded; URL may be
                       a path (/api/items?page=2): the port is learned from the server
  --app MODULE         import MODULE (Express, Fastify, Koa, Hono app, NestJS root
                       module or app, (req, res) listener or fetch handler, or a
                       script that listens by itself; .ts works, decorator
                       metadata included) and inject [METHOD] PATH (GET by default)
                       in-process, middleware included, no socket. Of its
                       functions only a factory named buildApp, createApp,
                       makeApp, buildServer, createServer or makeServer is
                       called; --app MODULE#NAME serves that export instead (a
                       function without parameters is called as the factory)
                       A URL's port picks that port (an app port beside an admin
                       port); https:// (or a TLS server) is spoken to in HTTPS,
                       self-signed certificates accepted
  --port N             the server's port to use when it listens on several
  --ready-timeout S    seconds to wait for the server (default 30)

Request:
  -X, --method M       method (default GET, or POST with -d, as curl)
  -H, --header 'N: v'  request header (repeatable)
  -d, --data BODY      request body, sent with its Content-Length
  -n N                 send it N times, one after the other (default 1)
  --repeat-unsafe      send POST, PUT, PATCH and DELETE N times too (default: once)
  --timeout S          seconds to wait for the probe's record once the response
                       ended (default 60); the response itself is awaited however
                       long it takes (Ctrl-C stops, keeping what was gathered)
  --allow-errors       exit 0 even when a request fails or answers >= 400

Output:
  --timeline           also print each request's queries, HTTP calls, Redis
                       commands and blocking stretches on its time axis,
                       grouped by the app line that issued them
  --json               print the capture as JSON instead of the table
  --save FILE          write the capture (culprit view / diagnose read it)
  --keep-params        keep query-string values and SQL parameters (default: '?')
  --stacks             keep the full source-mapped stack of every query
  --no-constructions   skip counting constructions per class (cleaner timings)

Without editing a file:
  --log 'SPEC exprs'   print expressions each time a line or constructor runs:
                       'src/api/views.ts:42 req.query, items.length' or
                       'Ephemeron#constructor args[0], this.constructor.name'
  --when 'SPEC cond'   capture the stack (with locals) the first time cond holds:
                       'Ephemeron#constructor args[0] === 20000'
                       Each breakpoint hit costs ~0.1-0.2 ms, reported in the notes.
`;

async function run(args: string[], io: CliIo): Promise<number> {
  const options = parseTraceArgs(args, io.cwd);
  refuseOverwritingInputs([options.save], targetInputs(options.target));
  const progress = createProgressLine({ stream: io.stderr, enabled: !options.json });
  progress.update('culprit trace: starting the target…', true);
  const target = await openTarget({ ...options.target, signal: io.signal });
  let capture: Awaited<ReturnType<typeof runTrace>>;
  try {
    capture = await runTrace(target, {
      request: options.request,
      count: options.count,
      repeatUnsafe: options.repeatUnsafe,
      keepParams: options.keepParams,
      stacks: options.stacks,
      constructions: options.constructions,
      breakpoints: options.breakpoints,
      commandLine: `trace ${redactCommandLine(args, options.keepParams)}`,
      version: culpritVersion(),
      signal: io.signal,
      onRequest: (record, done, total) =>
        progress.update(
          `culprit trace: ${done}/${total} ${record.method} ${record.url} ${record.status} ${record.wallMs.toFixed(1)} ms`,
        ),
    });
  } finally {
    progress.done();
    await target.close();
  }
  // compiled TypeScript without source maps: query sites name the .ts lines the user edits
  moveToTwins(capture, twinMapper(projectSources(targetProjectRoots(options.target))));
  if (options.save) {
    announceReplaced([options.save], io.stderr, 'trace');
    try {
      await writeFile(options.save, `${JSON.stringify(capture, null, 2)}\n`);
    } catch (error) {
      throw new CulpritError('CULPRIT_E_UNWRITABLE_FILE', `cannot write ${options.save}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  io.stdout.write(
    options.json
      ? `${JSON.stringify(capture, null, 2)}\n`
      : renderTrace(capture, { cwd: io.cwd, timeline: options.timeline }),
  );
  if (options.save && !options.json) io.stderr.write(`culprit trace: capture saved to ${options.save}\n`);
  if (io.signal.aborted) return INTERRUPTED_EXIT;
  const failed = options.allowErrors ? undefined : requestsFailed(capture.requests);
  if (failed) throw failed; // after the report: what is known is printed, and the run still fails
  return 0;
}

export const traceCommand: Command = {
  summary: 'what one request really does: queries, rows, constructions, time (no file edited)',
  help,
  run,
};
