/**
 * culprit's own files, wherever culprit is installed: from a checkout
 * (`…/packages/culprit/dist/`), an `npm link`, or `node_modules/culprit/`.
 * Its probe runs inside the target, so its frames appear in the target's
 * stacks and profiles; they are never the user's code to change. Matching by
 * a folder name breaks on a renamed clone, hence the location of this very
 * module: it sits at the package's `src/` (tests) or `dist/` (built) root.
 */
const PACKAGE_ROOT = decodeURIComponent(new URL('..', import.meta.url).pathname);

/** culprit's code in its package: built, source and launcher; its tests' fixture apps are user code. */
const OWN_FOLDERS = /^(dist|src|bin)\//;
/** The layout of a checkout, for captures made on another machine. */
const CHECKOUT_PROBE = /\/packages\/culprit\/(src|dist)\/probe\//;

/** True for a path or file URL of culprit's own code (not its dependencies, not its test fixtures). */
export function isOwnFile(fileOrUrl: string): boolean {
  const file = fileOrUrl.startsWith('file://') ? decodeURIComponent(fileOrUrl.slice('file://'.length)) : fileOrUrl;
  if (CHECKOUT_PROBE.test(file)) return true;
  if (!file.startsWith(PACKAGE_ROOT)) return false;
  const inside = file.slice(PACKAGE_ROOT.length);
  return OWN_FOLDERS.test(inside) && !/node_modules\/|test-support\/|\.test\.[jt]s$/.test(inside);
}
