import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type BudgetsFile, parseBudgetsFile } from '../../budget/check-file/budgets-file.js';
import { type CheckReport, renderCheck } from '../../budget/check-file/check-report.js';
import { runChecks } from '../../budget/check-file/run-checks.js';
import { CulpritError } from '../../errors/culprit-error.js';
import { openTarget } from '../../target/open-target.js';
import type { TargetOptions } from '../../target/types.js';
import { seconds } from '../../trace/cli-options.js';
import { type CliIo, type Command, INTERRUPTED_EXIT } from '../command.js';
import { parseFlags } from '../parse-flags.js';
import { createProgressLine } from '../progress.js';

const help = `Usage: culprit check BUDGETS.json [--app MODULE | -- command…] [options]

Sends each request of BUDGETS.json to your app (with the probe) and checks
what it did against its budget: one row per request, figures against limits,
the line and statement of each breach. Exits 1 when any request is over
budget or fails, so CI stops a performance bug from coming back.

BUDGETS.json:
  {
    "app": "src/app.ts",                       module exporting the app (or
    "command": ["npm", "start"],               the command that starts the server)
    "env": { "DATABASE_URL": "…" },
    "warmup": 1,                               unmeasured requests before each one
    "requests": [
      { "name": "item page", "request": "GET /api/items/1?expand=~all",
        "budget": { "repeatedQueries": 1, "maxRowsPerItem": 20,
                    "constructions": { "Item": 5 }, "queries": 10 } }
    ]
  }
  Limits: queries, repeatedQueries (runs of one statement from one line: 1 = no
  N+1), rows, maxRowsPerItem, constructions (a total or per class),
  httpCalls, repeatedHttpCalls, redisCalls (round trips), repeatedRedisCalls,
  wallMs, blockingMs.

Options:
  --app MODULE         check this module instead of the file's target
  -- command…          start this command instead of the file's target
  --port N             the server's port when it listens on several
  --ready-timeout S    seconds to wait for the server (default 30)
  --json               print the report as JSON (schema culprit.check/1)
`;

const flags = {
  app: { type: 'string' },
  json: { type: 'boolean' },
  port: { type: 'string' },
  'ready-timeout': { type: 'string' },
} as const;

function readBudgets(path: string): BudgetsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CulpritError('CULPRIT_E_UNREADABLE_FILE', `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CulpritError('CULPRIT_E_BAD_BUDGETS', `${path} is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseBudgetsFile(path, json);
}

function targetOf(
  file: BudgetsFile,
  fileDir: string,
  app: string | undefined,
  command: string[],
  io: CliIo,
  values: { port?: string; 'ready-timeout'?: string },
): TargetOptions {
  const readyTimeoutMs = seconds('--ready-timeout', values['ready-timeout'], 30);
  const env = { ...io.env, ...file.env };
  if (app !== undefined && command.length)
    throw new CulpritError('CULPRIT_E_FLAG_CONFLICT', '--app and a command after -- both name a target: keep one');
  if (app !== undefined) return { mode: 'module', modulePath: resolve(io.cwd, app), cwd: io.cwd, env, readyTimeoutMs };
  const port = values.port === undefined ? file.port : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))
    throw new CulpritError('CULPRIT_E_BAD_FLAG_VALUE', `--port expects a port number, got '${values.port}'`);
  const argv = command.length ? command : file.command;
  if (argv)
    return {
      mode: 'command',
      command: argv,
      cwd: command.length ? io.cwd : fileDir,
      env,
      readyTimeoutMs,
      ...(port === undefined ? {} : { port }),
    };
  if (file.app !== undefined)
    return { mode: 'module', modulePath: resolve(fileDir, file.app), cwd: fileDir, env, readyTimeoutMs };
  throw new CulpritError(
    'CULPRIT_E_MISSING_ARGUMENT',
    'no target: put "app" or "command" in the budgets file, or pass --app MODULE or -- command',
  );
}

async function run(args: string[], io: CliIo): Promise<number> {
  const dashes = args.indexOf('--');
  const own = dashes < 0 ? args : args.slice(0, dashes);
  const command = dashes < 0 ? [] : args.slice(dashes + 1);
  const { values, positionals } = parseFlags('check', own, flags);
  const [path, ...extra] = positionals;
  if (!path || extra.length)
    throw new CulpritError(
      'CULPRIT_E_MISSING_ARGUMENT',
      'usage: culprit check BUDGETS.json [--app MODULE | -- command…]',
    );
  const filePath = resolve(io.cwd, path);
  const file = readBudgets(filePath);
  const options = targetOf(file, dirname(filePath), values.app, command, io, values);
  const progress = createProgressLine({ stream: io.stderr, enabled: !values.json });
  progress.update('culprit check: starting the target…', true);
  let report: CheckReport;
  const target = await openTarget({ ...options, signal: io.signal });
  try {
    report = await runChecks(target, file, {
      signal: io.signal,
      onRequest: (row, done, total) => progress.update(`culprit check: ${done}/${total} ${row.name}`),
    });
  } finally {
    progress.done();
    await target.close();
  }
  io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderCheck(report, io.cwd));
  if (io.signal.aborted) return INTERRUPTED_EXIT;
  return report.passed ? 0 : 1;
}

export const checkCommand: Command = {
  summary: 'check requests against their budgets (queries, N+1, rows, objects built); exit 1 on a breach',
  help,
  run,
};
