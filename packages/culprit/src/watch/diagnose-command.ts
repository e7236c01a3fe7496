/**
 * The `culprit diagnose` command line that investigates one request `culprit
 * watch` saw, on the same target: what each row of the route table offers as
 * the next step. Shell-quoted so it pastes as is. Pure.
 */
import type { RequestRecord } from '../capture/types.js';
import type { TargetOptions } from '../target/types.js';
import { redactArgv } from '../trace/redact.js';

/** One argument as a POSIX shell reads it back unchanged. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function diagnoseCommandFor(
  target: TargetOptions,
  options: { keepParams: boolean; cwd: string },
): (request: RequestRecord) => string {
  return (request) => {
    const method = request.method.toUpperCase();
    if (target.mode === 'module') {
      const module = target.modulePath.startsWith(`${options.cwd}/`)
        ? target.modulePath.slice(options.cwd.length + 1)
        : target.modulePath;
      return ['culprit', 'diagnose', '--app', module, method, request.url].map(shellQuote).join(' ');
    }
    const parts = ['culprit', 'diagnose', ...(method === 'GET' ? [] : ['-X', method]), request.url, '--'];
    return [...parts, ...redactArgv(target.command, options.keepParams)].map(shellQuote).join(' ');
  };
}
