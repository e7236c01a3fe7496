import { writeFile } from 'node:fs/promises';
import { CulpritError } from '../../errors/culprit-error.js';
import { openTarget } from '../../target/open-target.js';
import { redactCommandLine } from '../../trace/redact.js';
import { parseWatchArgs } from '../../watch/cli-options.js';
import { diagnoseCommandFor } from '../../watch/diagnose-command.js';
import { renderLive, renderWatch } from '../../watch/render-routes.js';
import { runWatch } from '../../watch/run-watch.js';
import type { CliIo, Command } from '../command.js';
import { announceReplaced, refuseOverwritingInputs, targetInputs } from '../output-files.js';
import { rawStream } from '../terminal-text.js';
import { culpritVersion } from '../version.js';

const help = `Usage: culprit watch [options] -- command…
       culprit watch --app MODULE [options]

Runs your server with the probe and records every request that reaches it
(a browser, the app's own tests, culprit bench, culprit replay), then ranks
the routes by total time: count, errors, latency p50/p95/p99, CPU, queries,
rows, the top finding of the diagnose rules over each route's slowest
requests, and the culprit diagnose command for one of them. Routes are the
router's templates (Express, Fastify, NestJS on either); elsewhere ids in
the path are folded (/users/:id).

Target:
  -- command…          start your server as you do (npm start, node dist/server.js)
  --app MODULE         import MODULE (Express, Fastify, Koa, Hono app, listener)
                       and serve it on 127.0.0.1 (--port N, default any free port)
  --port N             command: the server's port when it listens on several;
                       --app: the port to listen on
  --ready-timeout S    seconds to wait for the server (default 30)

Watching:
  --duration D         stop after D (30, 30s, 5m); default: until Ctrl-C or the
                       command exits (a test suite that starts the server)

Output:
  On a terminal a live table (refreshed each second, sorted by total time),
  then the report. Quiet otherwise.
  --json               print the capture as JSON instead of the report
  --save FILE          write the capture (culprit view FILE opens its Routes view)
  --keep-params        keep query-string values and SQL parameters (default: '?')
`;

const ENTER_ALT = '\u001b[?1049h\u001b[?25l';
const LEAVE_ALT = '\u001b[?25h\u001b[?1049l';
const HOME_CLEAR = '\u001b[H\u001b[2J';

async function run(args: string[], io: CliIo): Promise<number> {
  const options = parseWatchArgs(args, io.cwd);
  refuseOverwritingInputs([options.save], targetInputs(options.target));
  const live = io.stdout.isTTY === true && !options.json;
  const screen = rawStream(io.stdout);
  if (!options.json) io.stderr.write('culprit watch: starting the target…\n');
  const target = await openTarget({ ...options.target, signal: io.signal });
  let capture: Awaited<ReturnType<typeof runWatch>>;
  let listening = '';
  try {
    try {
      capture = await runWatch(target, {
        // the port opens (module mode) and the user is told only once watch mode is on in the probes:
        // a request sent on the word is counted (CI lost one sent between the two)
        onRecording: async () => {
          listening = await target.listen(options.listenPort);
          if (!options.json) io.stderr.write(`culprit watch: recording every request to ${listening}\n`);
          if (live) screen.write(ENTER_ALT);
        },
        durationMs: options.durationMs,
        keepParams: options.keepParams,
        diagnoseCommand: diagnoseCommandFor(options.target, { keepParams: options.keepParams, cwd: io.cwd }),
        commandLine: `watch ${redactCommandLine(args, options.keepParams)}`,
        version: culpritVersion(),
        signal: io.signal,
        ...(live
          ? {
              onTick: (table, elapsedS) =>
                screen.write(
                  HOME_CLEAR +
                    renderLive(
                      table.rows(),
                      { elapsedS, requests: table.requests, listening },
                      { columns: io.stdout.columns ?? 120, rows: (io.stdout as { rows?: number }).rows ?? 30 },
                    ),
                ),
            }
          : {}),
      });
    } finally {
      if (live) screen.write(LEAVE_ALT);
    }
  } finally {
    await target.close();
  }
  if (options.save) {
    announceReplaced([options.save], io.stderr, 'watch');
    try {
      await writeFile(options.save, `${JSON.stringify(capture, null, 2)}\n`);
    } catch (error) {
      throw new CulpritError('CULPRIT_E_UNWRITABLE_FILE', `cannot write ${options.save}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  if (options.json) io.stdout.write(`${JSON.stringify(capture, null, 2)}\n`);
  else if (capture.watch)
    io.stdout.write(renderWatch(capture.watch, { cwd: io.cwd, columns: io.stdout.columns ?? 120 }));
  if (options.save && !options.json)
    io.stderr.write(`culprit watch: capture saved to ${options.save} (culprit view ${options.save})\n`);
  // Ctrl-C is how a watch without --duration ends: the report is the result, not a partial one
  return 0;
}

export const watchCommand: Command = {
  summary: 'record real traffic and rank the routes by total time, each with its finding',
  help,
  run,
};
