/**
 * A recorded traffic file → its requests, by format: a registry of readers,
 * each with its own detection (HAR, then access logs). Pure apart from the
 * caller reading the file.
 */
import { CulpritError } from '../errors/culprit-error.js';
import { looksLikeAccessLog, parseAccessLog } from './access-log.js';
import type { ReplayFile } from './entry.js';
import { looksLikeHar, parseHar } from './har.js';

export const replayFormats = {
  har: { detect: looksLikeHar, read: parseHar },
  'access-log': { detect: looksLikeAccessLog, read: parseAccessLog },
} as const satisfies Record<string, { detect: (text: string) => boolean; read: (text: string) => ReplayFile }>;

export function readReplayText(text: string, name: string): ReplayFile {
  for (const format of Object.values(replayFormats)) {
    if (!format.detect(text)) continue;
    const file = format.read(text);
    if (file.entries.length === 0) break;
    return file;
  }
  throw new CulpritError(
    'CULPRIT_E_BAD_REPLAY_FILE',
    `${name} holds no request culprit can replay; expected an access log (common or combined format: ` +
      `'127.0.0.1 - - [10/Oct/2026:13:55:36 +0000] "GET /path HTTP/1.1" 200 512') or a HAR file (log.entries)`,
  );
}
