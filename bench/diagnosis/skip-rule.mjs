// The skip rule of issue 15's eighth pass, simulated on the corpus: skip the timing pass (warm-up and timed
// runs) when the findings with a profile of the traced run (under count mode) equal the findings with its
// counts alone; then compare what the skip would print (counts only) with the real diagnosis (its timed
// profile). REAL: `score.mjs --runs auto --save-dir REAL` with this build; TRACED: the same with a build
// patched by traced-profile.patch and CULPRIT_S15_TRACED_PROFILE=1 (`--culprit COPY/bin/culprit.js`), whose
// captures keep the traced run's profile (their records lack bytes and items: the probe meters no body while
// its profiler runs, so only their profiles are used, with REAL's records).
//   node bench/diagnosis/skip-rule.mjs REAL TRACED [DIST]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { countOnly } from './count-only-profile.mjs';

const [real, hack, dist = fileURLToPath(new URL('../../packages/culprit/dist', import.meta.url))] =
  process.argv.slice(2);
const { diagnoseCapture } = await import(pathToFileURL(join(dist, 'cli/commands/diagnose.js')).href);
const sig = (d) => JSON.stringify(d.findings.map((f) => [f.rule, f.severity, f.title, f.location]));
const brief = (f) =>
  f ? `${f.rule}/${f.severity} ${f.location?.file?.split('/').slice(-1)}:${f.location?.line}` : 'none';
let skipped = 0,
  wrong = 0;
for (const name of readdirSync(hack)
  .filter((n) => n.endsWith('.json'))
  .sort()) {
  if (!existsSync(join(real, name))) continue;
  const { findings: _a, totals: _b, ...r } = JSON.parse(readFileSync(join(real, name), 'utf8'));
  const h = JSON.parse(readFileSync(join(hack, name), 'utf8'));
  const d = (profile) => diagnoseCapture({ ...structuredClone(r), profile: structuredClone(profile) });
  const truth = d(r.profile);
  const withTraced = d(h.profile);
  const counts = d(countOnly(h.profile));
  const skip = sig(withTraced) === sig(counts);
  const same = sig(counts) === sig(truth);
  const sameTop = brief(counts.findings[0]) === brief(truth.findings[0]);
  if (skip) {
    skipped++;
    if (!sameTop) wrong++;
  }
  console.log(
    `${name.replace('.json', '').padEnd(40)} ${skip ? 'SKIP' : 'keep'}  real top ${brief(truth.findings[0]).padEnd(45)} traced-profile top ${brief(withTraced.findings[0]).padEnd(45)} ${skip ? (same ? 'all same' : sameTop ? 'top same, others differ' : 'TOP DIFFERS') : ''}`,
  );
}
console.log(`skipped ${skipped}, of which the top finding differs from the real one: ${wrong}`);
