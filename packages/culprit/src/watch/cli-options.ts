/**
 * `culprit watch` arguments → options, validated before any target starts.
 * The target is a command after `--` (its server as it listens) or `--app
 * MODULE` (made to listen on 127.0.0.1, at `--port` or any free port).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseFlags } from '../cli/parse-flags.js';
import { CulpritError } from '../errors/culprit-error.js';
import { splitAppSpec } from '../target/app-spec.js';
import type { TargetOptions } from '../target/types.js';
import { seconds } from '../trace/cli-options.js';

export interface WatchCliOptions {
  target: TargetOptions;
  /** Stop after this long; undefined: until Ctrl-C or the command exits. */
  durationMs: number | undefined;
  /** Module mode: the port the app listens on (0: any free one). */
  listenPort: number;
  json: boolean;
  save: string | undefined;
  keepParams: boolean;
}

const flags = {
  app: { type: 'string' },
  duration: { type: 'string' },
  json: { type: 'boolean' },
  save: { type: 'string' },
  'keep-params': { type: 'boolean' },
  port: { type: 'string' },
  'ready-timeout': { type: 'string' },
} as const;

function port(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new CulpritError('CULPRIT_E_BAD_FLAG_VALUE', `--port expects a port number from 0 to 65535, got '${value}'`);
  return n;
}

/** `--duration 30`, `30s`, `5m` → milliseconds. */
export function durationMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const minutes = /^(\d+(?:\.\d+)?)m$/.exec(value);
  if (minutes) return Number(minutes[1]) * 60_000;
  try {
    return seconds('--duration', value, 0);
  } catch (error) {
    throw new CulpritError(
      'CULPRIT_E_BAD_FLAG_VALUE',
      `--duration expects seconds (30, 30s) or minutes (5m), got '${value}'`,
      {
        cause: error,
      },
    );
  }
}

export function parseWatchArgs(args: string[], cwd: string): WatchCliOptions {
  const dashes = args.indexOf('--');
  const own = dashes < 0 ? args : args.slice(0, dashes);
  const command = dashes < 0 ? [] : args.slice(dashes + 1);
  const { values, positionals } = parseFlags('watch', own, flags);
  if (positionals.length) {
    throw new CulpritError(
      'CULPRIT_E_MISSING_ARGUMENT',
      `culprit watch takes no URL ('${positionals[0]}'): it records whatever reaches the server; usage: culprit watch [options] -- command…`,
    );
  }
  const readyTimeoutMs = seconds('--ready-timeout', values['ready-timeout'], 30);
  const chosenPort = port(values.port);
  let target: TargetOptions;
  if (values.app !== undefined) {
    if (command.length)
      throw new CulpritError('CULPRIT_E_FLAG_CONFLICT', '--app runs a module: drop the command after --');
    const file = resolve(cwd, splitAppSpec(values.app).modulePath);
    if (!existsSync(file)) {
      throw new CulpritError(
        'CULPRIT_E_UNREADABLE_FILE',
        `--app: ${file} does not exist; expected the module that exports your app (MODULE or MODULE#EXPORT)`,
      );
    }
    target = { mode: 'module', modulePath: resolve(cwd, values.app), cwd, readyTimeoutMs };
  } else {
    if (!command.length) {
      throw new CulpritError(
        'CULPRIT_E_MISSING_ARGUMENT',
        'no command to start: culprit watch [options] -- npm start (or --app MODULE)',
      );
    }
    target = { mode: 'command', command, cwd, readyTimeoutMs, ...(chosenPort ? { port: chosenPort } : {}) };
  }
  return {
    target,
    durationMs: durationMs(values.duration),
    listenPort: values.app !== undefined ? (chosenPort ?? 0) : 0,
    json: values.json ?? false,
    save: values.save === undefined ? undefined : resolve(cwd, values.save),
    keepParams: values['keep-params'] ?? false,
  };
}
