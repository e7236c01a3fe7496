/**
 * culprit's own files, wherever culprit is installed: from a checkout
 * (`…/packages/culprit/dist/`), an `npm link`, or `node_modules/culprit/`.
 * Its probe runs inside the target, so its frames appear in the target's
 * stacks and profiles; they are never the user's code to change. Matching by
 * a folder name breaks on a renamed clone, hence the location of this very
 * module: it sits at the package's `src/` (tests) or `dist/` (built) root.
 */
const PACKAGE_ROOT = decodeURIComponent(new URL('..', import.meta.url).pathname);

/** True for a path or file URL inside culprit's package folder (its dependencies excluded). */
export function isOwnFile(fileOrUrl: string): boolean {
  const file = fileOrUrl.startsWith('file://') ? decodeURIComponent(fileOrUrl.slice('file://'.length)) : fileOrUrl;
  if (!file.startsWith(PACKAGE_ROOT)) return false;
  return !file.slice(PACKAGE_ROOT.length).includes('node_modules/');
}
