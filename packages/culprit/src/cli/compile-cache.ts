/**
 * V8's compile cache for the CLI's own process (Node 22.1+, `module.enableCompileCache`): a command
 * then deserializes the bytecode of culprit's bundled modules instead of parsing and compiling them at
 * every start. Measured on Node 24: −6.7 % of the instructions of `culprit diagnose --json CAPTURE.json`
 * (bench/probe/README.md, diagscale4 and diagscale5). Node 20 has no such API: nothing happens there.
 *
 * Why it is safe in this process and not in the probe (probe/code-cache.ts): the cache applies to every
 * module compiled after the call, and the CLI process compiles only culprit's own (a target runs in a
 * child process in both modes; `--html` loads the report module). Node does not pass the cache on to the
 * children this process starts: the app culprit runs is compiled as it always is. The folder is the
 * probe's (CULPRIT_CODE_CACHE, `<tmpdir>/culprit-code-cache-<uid>`), under the same rule: it is used
 * only when it is a real folder of this user that no one else may write, since code read from it runs
 * here. NODE_COMPILE_CACHE (the user's own, which Node already turned on) and NODE_DISABLE_COMPILE_CACHE
 * leave it to Node.
 */
import nodeModule from 'node:module';
import { trustedCacheFolder } from './cache-folder.js';

type EnableCompileCache = (directory: string) => { status: number; directory?: string; message?: string };

/** Turns the cache on for the modules this process loads from now on; the folder used, or undefined. */
export function enableOwnCompileCache(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const enable = (nodeModule as unknown as { enableCompileCache?: EnableCompileCache }).enableCompileCache;
  if (typeof enable !== 'function' || env.NODE_COMPILE_CACHE) return undefined;
  const folder = trustedCacheFolder(env);
  if (folder === undefined) return undefined;
  try {
    const result = enable(folder);
    return result.status === 1 || result.status === 2 ? (result.directory ?? folder) : undefined;
  } catch {
    return undefined; // a cache is an optimization: an unwritable tmpdir leaves the start as it was
  }
}
