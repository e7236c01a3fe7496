/** Test helper: a CliIo that records stdout and stderr. */
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../cli/command.js';

export function recordingIo(cwd: string): CliIo & { out: () => string; err: () => string } {
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
    env: process.env,
    cwd,
    signal: new AbortController().signal,
    out: () => out,
    err: () => err,
  };
}
