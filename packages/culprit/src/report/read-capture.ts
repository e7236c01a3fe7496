import { readFile } from 'node:fs/promises';
import type { Capture } from '../capture/types.js';
import { CulpritError } from '../errors/culprit-error.js';
import { validateCapture } from './validate-capture.js';

/** Reads and checks a capture file; every failure is one coded line (exit 2). */
export async function readCaptureFile(path: string): Promise<Capture> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new CulpritError('CULPRIT_E_UNREADABLE_FILE', `cannot read capture ${path}: ${reason}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CulpritError('CULPRIT_E_BAD_CAPTURE', `${path}: not JSON, so not a culprit capture`, { cause: error });
  }
  return validateCapture(parsed, path);
}
