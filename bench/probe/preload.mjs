// The probe preload as culprit's command mode puts it in NODE_OPTIONS for a build in `culprit` (a package
// folder with its dist/): `--require` of the CommonJS entry where the build has one (since the sixth
// start-up pass, bench/probe/README.md), else `--import` of the ES module entry (earlier builds, --culprit).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function probePreloadOption(culprit) {
  const cjs = join(culprit, 'dist/probe/index.cjs');
  if (existsSync(cjs)) return `--require=${/[\s"\\]/.test(cjs) ? `"${cjs.replace(/["\\]/g, '\\$&')}"` : cjs}`;
  return `--import=${pathToFileURL(join(culprit, 'dist/probe/index.js')).href}`;
}
