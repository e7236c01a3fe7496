/**
 * `--export FORMAT=FILE`: parsing the specs (before any work, so a typo costs
 * nothing) and writing the files after the profile is built.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ProfileData } from '../capture/types.js';
import { CulpritError } from '../errors/culprit-error.js';
import { type ExportFormat, type ExportMeta, exporters, isExportFormat } from './registry.js';

export interface ExportSpec {
  format: ExportFormat;
  /** Absolute path. */
  file: string;
}

export function parseExportSpec(spec: string, cwd: string): ExportSpec {
  const at = spec.indexOf('=');
  const format = at < 0 ? spec : spec.slice(0, at);
  const file = at < 0 ? '' : spec.slice(at + 1);
  if (!isExportFormat(format)) {
    throw new CulpritError(
      'CULPRIT_E_BAD_FLAG_VALUE',
      `--export expects FORMAT=FILE with FORMAT one of ${Object.keys(exporters).join(', ')}; got '${spec}'`,
    );
  }
  if (file === '') {
    throw new CulpritError(
      'CULPRIT_E_BAD_FLAG_VALUE',
      `--export ${format} needs a file: --export ${format}=profile${exporters[format].extension}`,
    );
  }
  const path = resolve(cwd, file);
  assertWritable(path, '--export');
  return { format, file: path };
}

/**
 * Fails fast (exit 2) when a file cannot be created: its directory is missing
 * or not writable, or the path is a directory. Checked before the run.
 */
export function assertWritable(path: string, flag: string): void {
  const dir = dirname(path);
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
      throw new CulpritError('CULPRIT_E_BAD_FLAG_VALUE', `${flag} ${path}: is a directory, expected a file path`);
    }
    accessSync(dir, constants.W_OK);
  } catch (error) {
    if (error instanceof CulpritError) throw error;
    throw new CulpritError(
      'CULPRIT_E_BAD_FLAG_VALUE',
      `${flag} ${path}: cannot write there (directory ${dir} is missing or not writable)`,
      { cause: error },
    );
  }
}

export async function writeExports(
  profile: ProfileData,
  specs: readonly ExportSpec[],
  meta: ExportMeta,
): Promise<void> {
  for (const spec of specs) {
    try {
      await writeFile(spec.file, exporters[spec.format].encode(profile, meta));
    } catch (error) {
      throw new CulpritError('CULPRIT_E_UNWRITABLE_FILE', `cannot write ${spec.file}: ${String(error)}`, {
        cause: error,
      });
    }
  }
}
