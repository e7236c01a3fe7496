import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (apt package `chromium`); never a downloaded browser. */
export function findChromium(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : undefined;
}

/** Reason to skip browser tests, or undefined when Chromium is there. */
export const noChromium = findChromium()
  ? undefined
  : 'chromium not found on PATH (apt-get install chromium); browser tests skipped';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium()!,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

const packageDir = new URL('../../../', import.meta.url);

/** Builds the viewer bundle when a test runs before `npm run build` did. */
export function ensureViewerBuilt(): void {
  if (existsSync(new URL('viewer-dist/viewer.js', packageDir))) return;
  const vite = fileURLToPath(new URL('../../node_modules/vite/bin/vite.js', packageDir));
  const run = spawnSync(process.execPath, [vite, 'build', '--config', 'viewer/vite.config.ts'], {
    cwd: fileURLToPath(packageDir),
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error('vite build of the viewer failed');
}

/** Where screenshots go (git-ignored). */
export const artifactsDir = fileURLToPath(new URL('../../test-artifacts/viewer/', packageDir));

/**
 * One test file's browser and scratch folder: Chromium is launched (and the
 * viewer built) before the file's tests when Chromium is there, and both are
 * gone after them. `browser()` is for tests that skip on `noChromium`.
 */
export function browserSession(prefix: string): { dir: string; browser: () => Browser } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let browser: Browser | undefined;
  before(async () => {
    if (noChromium) return;
    ensureViewerBuilt();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    browser: () => {
      if (!browser) throw new Error('no browser: the test should skip on noChromium');
      return browser;
    },
  };
}
