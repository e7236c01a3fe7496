/**
 * Processes of the target's tree that only start another one: npm, npx,
 * yarn, pnpm, corepack, the tsx CLI (it re-runs node with its loader),
 * nodemon. They load the probe through NODE_OPTIONS like every node process
 * but never serve, so the probe installs nothing in them (no driver hooks,
 * no listen watch) and their start-up stays the plain process's. ts-node and
 * `node --import tsx` run the app in their own process: not launchers.
 */
const LAUNCHER_SCRIPTS = [
  /\/npm\/bin\/np[mx]-cli\.js$/,
  /\/(yarn|yarnpkg)\/bin\/yarn(\.js|\.cjs)?$/,
  /\/corepack\/dist\/\w+\.js$/,
  /\/pnpm\/bin\/pnpm\.cjs$/,
  /\/tsx\/dist\/cli\.m?js$/,
  /\/nodemon\/bin\/nodemon\.js$/,
];

/** True when `script` (the process's `argv[1]`, symlinks resolved by Node) is a known launcher. */
export function isLauncher(script: string | undefined): boolean {
  if (!script) return false;
  const path = script.replaceAll('\\', '/');
  return LAUNCHER_SCRIPTS.some((pattern) => pattern.test(path));
}
