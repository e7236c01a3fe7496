/**
 * Files a command writes (`--save`, `--html`): never one of its own inputs
 * (`view --html cap.json cap.json` used to destroy the capture), and never
 * replaced without a word on stderr.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CulpritError } from '../errors/culprit-error.js';
import { splitAppSpec } from '../target/app-spec.js';
import type { TargetOptions } from '../target/types.js';

function real(path: string): string {
  return existsSync(path) ? realpathSync(path) : resolve(path);
}

/** Refuses (usage error) when an output is an input, even through another path or a symlink. */
export function refuseOverwritingInputs(outputs: ReadonlyArray<string | undefined>, inputs: readonly string[]): void {
  const inputPaths = new Set(inputs.map(real));
  for (const output of outputs) {
    if (output !== undefined && inputPaths.has(real(output))) {
      throw new CulpritError(
        'CULPRIT_E_FLAG_CONFLICT',
        `refusing to write ${output}: it is an input of this command; write the output to another file`,
      );
    }
  }
}

/** Says on stderr which outputs already exist and are about to be replaced (call before writing). */
export function announceReplaced(
  outputs: ReadonlyArray<string | undefined>,
  stderr: NodeJS.WritableStream,
  command: string,
): void {
  for (const output of outputs) {
    if (output !== undefined && existsSync(output)) stderr.write(`culprit ${command}: replacing ${output}\n`);
  }
}

/**
 * The files a target is made of that an output must not replace: the module
 * (`--app app.js`), or the files its command names (`node server.js`).
 */
export function targetInputs(target: TargetOptions): string[] {
  if (target.mode === 'module') return [resolve(target.cwd, splitAppSpec(target.modulePath).modulePath)];
  return target.command
    .map((arg) => resolve(target.cwd, arg))
    .filter((path) => statSync(path, { throwIfNoEntry: false })?.isFile() === true);
}
