/**
 * Where the built probe lives. The probe always runs from `dist/` (it is
 * loaded into other processes, which must not need a TypeScript loader for
 * it), so this resolves from the package root whether the CLI itself runs
 * from `dist/target/` or, in tests, from `src/target/`.
 */
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CulpritError } from '../errors/culprit-error.js';

const packageRoot = new URL('../../', import.meta.url);

function built(relative: string): string {
  const path = fileURLToPath(new URL(relative, packageRoot));
  if (!existsSync(path)) {
    throw new CulpritError(
      'CULPRIT_E_RUN_FAILED',
      `culprit's probe is not built (${path} is missing); run npm run build`,
    );
  }
  // the real path, so the host's own imports resolve to the very same module instances
  return pathToFileURL(realpathSync(path)).href;
}

/** file:// URL of the probe entry as an ES module (module mode's `--import`, importers of `startProbe`). */
export function probeEntryUrl(): string {
  return built('dist/probe/index.js');
}

/** file:// URL of the module-mode host script. */
export function moduleHostUrl(): string {
  return built('dist/probe/host/module-host.js');
}

/** file:// URL of the loader that gives decorated TypeScript its metadata (after tsx; ts-metadata.ts). */
export function tsMetadataUrl(): string {
  return built('dist/probe/host/ts-metadata-register.js');
}

/** file:// URL of tsx's loader, so module mode imports `.ts` files. */
export function tsxLoaderUrl(): string {
  return import.meta.resolve('tsx');
}

/**
 * Path of the probe entry's CommonJS twin (for `--require`): every process of the target's tree loads it.
 * On Node 20 an `--import` preload starts the ES module loader in each of them (≈19 M instructions, ≈5 ms,
 * in a process that never serves; an empty `--require` costs ≈6 M) and loads a CommonJS app's main script
 * through it (bench/probe/README.md, "Start-up, sixth pass").
 */
export function probePreloadPath(): string {
  return fileURLToPath(built('dist/probe/index.cjs'));
}

/** A NODE_OPTIONS word: Node splits the variable at spaces outside double quotes, `\` escapes inside them. */
export function nodeOptionsWord(value: string): string {
  return /[\s"\\]/.test(value) ? `"${value.replace(/["\\]/g, '\\$&')}"` : value;
}

/** NODE_OPTIONS with the probe preloaded, keeping what the user had. */
export function nodeOptionsWithProbe(existing: string | undefined): string {
  return [existing ?? '', `--require=${nodeOptionsWord(probePreloadPath())}`].join(' ').trim();
}
