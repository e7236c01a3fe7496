/** Test helper: a CliIo that records stdout and stderr, for calling `main()` in-process. */
import { PassThrough } from 'node:stream';
import type { CliIo } from '../command.js';

export type RecordingIo = CliIo & { out: () => string; err: () => string };

export function recordingIo(cwd: string, options: { env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {}): RecordingIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  return {
    stdout,
    stderr,
    env: options.env ?? process.env,
    cwd,
    signal: options.signal ?? new AbortController().signal,
    out: () => out,
    err: () => err,
  };
}
