/**
 * culprit's own files, wherever culprit is installed: from a checkout
 * (`…/packages/culprit/dist/`), an `npm link`, or `node_modules/culprit/`.
 * Its probe runs inside the target, so its frames appear in the target's
 * stacks and profiles; they are never the user's code to change. Matching by
 * a folder name breaks on a renamed clone, hence the location of this very
 * module: it sits at the package's `src/` (tests) or `dist/` (built) root, or
 * is bundled into a file below `dist/` (dist/register/start.js): the root is
 * what precedes the last `/dist/` or `/src/` of this module's path.
 */
function packageRoot(path: string): string {
  const at = Math.max(path.lastIndexOf('/dist/'), path.lastIndexOf('/src/'));
  return at < 0 ? decodeURIComponent(new URL('..', import.meta.url).pathname) : path.slice(0, at + 1);
}

const PACKAGE_ROOT = packageRoot(decodeURIComponent(new URL(import.meta.url).pathname));

/** culprit's code in its package: built, source and launcher; its tests' fixture apps are user code. */
const OWN_FOLDERS = /^(dist|src|bin)\//;
/** The layout of a checkout, for captures made on another machine. */
const CHECKOUT_PROBE = /\/packages\/culprit\/(src|dist)\/probe\//;
/** A test file of culprit's: user code to the probe beside it (its classes, its queries). */
const TEST_FILE = /\.test\.[jt]s$/;

/** True for a path or file URL of culprit's own code (not its dependencies, not its test fixtures). */
export function isOwnFile(fileOrUrl: string): boolean {
  const file = fileOrUrl.startsWith('file://') ? decodeURIComponent(fileOrUrl.slice('file://'.length)) : fileOrUrl;
  if (CHECKOUT_PROBE.test(file) && !TEST_FILE.test(file)) return true;
  if (!file.startsWith(PACKAGE_ROOT)) return false;
  const inside = file.slice(PACKAGE_ROOT.length);
  return OWN_FOLDERS.test(inside) && !/node_modules\/|test-support\//.test(inside) && !TEST_FILE.test(inside);
}
