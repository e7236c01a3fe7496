/**
 * Which side of the fence a frame is on: application code, an npm
 * dependency (and which package), Node's own JavaScript, or a V8 pseudo-frame.
 * The pstats view collapses dependencies per package, diagnosis rules look
 * for the first application frame: both rely on this one classification.
 */
import type { FunctionCategory } from '../capture/types.js';
import { isOwnFile } from '../own-code.js';

const pseudoFrames: Record<string, FunctionCategory> = {
  '(root)': 'root',
  '(program)': 'program',
  '(idle)': 'idle',
  '(garbage collector)': 'gc',
};

export interface Classification {
  category: FunctionCategory;
  package?: string;
}

/** Classifies a frame from its V8 function name and its (original or generated) file. */
export function classifyFrame(functionName: string, file: string): Classification {
  const pseudo = pseudoFrames[functionName];
  if (pseudo && file === '') return { category: pseudo };
  if (file === '') return { category: 'native' };
  if (file.startsWith('node:') || file.startsWith('internal/')) return { category: 'node' };
  // culprit's own probe runs inside the target: fold it like the package it is when installed.
  if (isOwnFile(file.replaceAll('\\', '/'))) {
    return { category: 'dependency', package: 'culprit' };
  }
  const pkg = packageOf(file);
  if (pkg) return { category: 'dependency', package: pkg };
  return { category: 'app' };
}

/** npm package owning a file: the segment(s) after the last `node_modules/`, scoped names kept whole. */
export function packageOf(file: string): string | undefined {
  const normalized = file.replaceAll('\\', '/');
  const marker = '/node_modules/';
  const at = normalized.lastIndexOf(marker);
  if (at < 0) return undefined;
  const parts = normalized.slice(at + marker.length).split('/');
  const first = parts[0];
  if (!first) return undefined;
  if (first.startsWith('@') && parts[1]) return `${first}/${parts[1]}`;
  return first;
}

/** A script URL as a file path when it is a file URL (no `node:url`: the model stays pure). */
export function fileFromUrl(url: string): string {
  if (!url.startsWith('file://')) return url;
  const path = url.slice('file://'.length);
  try {
    return decodeURIComponent(path);
  } catch {
    // A malformed escape is still a usable, if odd, path.
    return path;
  }
}

/** Last path segment, for naming anonymous functions and short labels. */
export function baseName(file: string): string {
  const normalized = file.replaceAll('\\', '/');
  return normalized.slice(normalized.lastIndexOf('/') + 1) || file;
}
