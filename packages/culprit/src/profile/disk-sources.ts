/**
 * A script's source read from its file instead of received from the target, when the file holds exactly
 * the text V8 ran. The profile builder needs the sources of the profiled and counted scripts (~1.2 MB
 * for the 10k story, bench/probe/README.md): sent over the probe's socket they cost both processes
 * ~20–50 ms of CPU (the target's inspector and JSON, the CLI's socket and JSON), where reading and
 * hashing the same files costs the CLI a few.
 *
 * Exactness: the Debugger domain, which the probe enables anyway (counts and sources need it), reports
 * for each script the SHA-256 of the source V8 compiled, taken over the source's UTF-8 bytes (Node 20, 22
 * and 24 alike; disk-sources.test.ts checks it against a live inspector). A file's bytes, less a leading
 * BOM, which Node's loaders drop, that hash the same are that source. Anything else (a loader that
 * transformed the code in memory, a file changed since, a path that does not exist here, bytes that are
 * not UTF-8) differs, and the caller receives the text from the target as before.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The file a script URL names, or undefined when it names none (node:, eval, http:). */
function pathOf(url: string): string | undefined {
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url);
    } catch {
      return undefined;
    }
  }
  return url.startsWith('/') ? url : undefined;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A regular file's bytes (a URL naming a FIFO or a device must not block the CLI). */
function readRegularFile(path: string): Buffer {
  if (!statSync(path).isFile()) throw new Error(`${path} is not a regular file`);
  return readFileSync(path);
}

/** V8's `Script::GetSha256Hash` of a source string, hex. */
export function v8SourceHash(source: string | Buffer): string {
  return createHash('sha256').update(source).digest('hex');
}

/** The source of the script at `url` from its file, when the file hashes as V8's `hash`; else undefined. */
export function sourceFromDisk(
  url: string,
  hash: string,
  read: (path: string) => Buffer = readRegularFile,
): string | undefined {
  const path = pathOf(url);
  if (path === undefined || !/^[0-9a-f]{64}$/.test(hash)) return undefined;
  let bytes: Buffer;
  try {
    bytes = read(path);
  } catch {
    return undefined;
  }
  // the file's bytes are the source's UTF-8 when they are what V8 hashed: no decoding before the match
  const bom = bytes.subarray(0, 3).equals(BOM);
  const withoutBom = bom ? bytes.subarray(3) : bytes;
  if (v8SourceHash(withoutBom) === hash) return withoutBom.toString('utf8');
  return bom && v8SourceHash(bytes) === hash ? bytes.toString('utf8') : undefined;
}
