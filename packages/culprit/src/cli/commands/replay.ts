import { readFile } from 'node:fs/promises';
import { CulpritError } from '../../errors/culprit-error.js';
import { parseReplayArgs } from '../../replay/cli-options.js';
import { planReplay } from '../../replay/plan.js';
import { readReplayText } from '../../replay/read-replay-file.js';
import { renderReplay } from '../../replay/render-replay.js';
import { runReplay } from '../../replay/run-replay.js';
import { type CliIo, type Command, INTERRUPTED_EXIT } from '../command.js';
import { createProgressLine } from '../progress.js';

const help = `Usage: culprit replay FILE --target URL [options]

Sends the requests recorded in FILE to a server on this machine, at their
recorded pace or at --rate, so culprit watch (or any profiler) sees real
traffic. FILE is an access log (common or combined format: nginx, Apache,
morgan) or a HAR file saved from a browser's DevTools (headers and bodies
sent as recorded; Host, lengths and encodings are not).

  --target URL         where to send: http(s)://127.0.0.1:PORT, localhost or [::1] only
  --rate R             R requests per second, evenly (default: the recorded pace)
  --include-unsafe     also send POST, PUT, PATCH and DELETE (default: skipped,
                       replaying them may insert rows or charge twice)
  -c, --concurrency N  requests in flight at most (default 32); a send that
                       finds them all busy waits and is counted late
  -n N                 replay the first N requests only
  --json               print the outcome as JSON
`;

async function run(args: string[], io: CliIo): Promise<number> {
  const options = parseReplayArgs(args, io.cwd);
  let text: string;
  try {
    text = await readFile(options.file, 'utf8');
  } catch (error) {
    throw new CulpritError('CULPRIT_E_UNREADABLE_FILE', `cannot read ${options.file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const file = readReplayText(text, options.file);
  const plan = planReplay(file.entries, {
    includeUnsafe: options.includeUnsafe,
    ...(options.rate === undefined ? {} : { rate: options.rate }),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
  });
  const progress = createProgressLine({ stream: io.stderr, enabled: !options.json });
  const outcome = await (async () => {
    try {
      return await runReplay({
        sends: plan.sends,
        target: options.target,
        concurrency: options.concurrency,
        signal: io.signal,
        onProgress: (done, total) => progress.update(`culprit replay: ${done}/${total} answered`),
      });
    } finally {
      progress.done();
    }
  })();
  const report = {
    file: options.file,
    format: file.format,
    target: options.target.origin,
    entries: file.entries.length,
    unreadable: file.unreadable,
    skippedUnsafe: plan.skippedUnsafe,
    ...outcome,
  };
  io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderReplay(report));
  return io.signal.aborted ? INTERRUPTED_EXIT : 0;
}

export const replayCommand: Command = {
  summary: 'send an access log or HAR file to a local server at its recorded pace (for culprit watch)',
  help,
  run,
};
