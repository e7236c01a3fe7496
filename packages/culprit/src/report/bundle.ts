import { readFileSync } from 'node:fs';
import { CulpritError } from '../errors/culprit-error.js';
import { assertInlineable } from './embed.js';

/** The built viewer (Vite output), read once: one script and one stylesheet to inline. */
export interface ViewerBundle {
  js: string;
  css: string;
}

/** Same path from `src/report` (tsx) and `dist/report` (built). */
const distDir = new URL('../../viewer-dist/', import.meta.url);
let cached: ViewerBundle | undefined;

/** Loads `viewer-dist/viewer.{js,css}`; a missing build is an install problem, said in one line. */
export function loadViewerBundle(): ViewerBundle {
  if (cached) return cached;
  try {
    const js = readFileSync(new URL('viewer.js', distDir), 'utf8');
    const css = readFileSync(new URL('viewer.css', distDir), 'utf8');
    cached = { js: assertInlineable(js, 'script'), css: assertInlineable(css, 'style') };
    return cached;
  } catch (error) {
    throw new CulpritError(
      'CULPRIT_E_VIEWER_MISSING',
      `the HTML viewer is not built (${distDir.pathname} missing); run 'npm run build' in the culprit package`,
      { cause: error },
    );
  }
}
