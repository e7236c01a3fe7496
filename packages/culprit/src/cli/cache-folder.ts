/**
 * The probe's code cache folder (probe/code-cache.ts: CULPRIT_CODE_CACHE or `<tmpdir>/culprit-code-cache-<uid>`)
 * for the CLI's own caches (compile-cache.ts on Node 22+, cached-bundle.ts on Node 20), under the probe's rule:
 * used only when it is a real folder of this user that no one else may write, since code read from it runs here.
 */
import { lstatSync, mkdirSync } from 'node:fs';
import { cacheFolder, isPrivateFolder } from '../probe/code-cache.js';

/** The cache folder when it can be trusted, else undefined (then the bundle is compiled as Node would). */
export function trustedCacheFolder(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const folder = cacheFolder(env, uid);
  if (folder === undefined) return undefined;
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stat = lstatSync(folder);
    const folderStat = {
      isDirectory: stat.isDirectory(),
      isSymbolicLink: stat.isSymbolicLink(),
      uid: stat.uid,
      mode: stat.mode,
    };
    return isPrivateFolder(folderStat, uid) ? folder : undefined;
  } catch {
    return undefined; // a cache is an optimization: an unwritable tmpdir leaves the start as it was
  }
}
