// Whether a diagnose could skip its timing pass when the trace alone answers (issue 15): for each capture
// saved by `score.mjs --save-dir DIR`, the diagnosis as made beside the diagnosis with the profile cut to
// its counts (no samples: what a diagnose that sent no warm-up and no timed run would have had). Prints
// each one's explained share and top finding, and whether the findings are the same.
//   node bench/diagnosis/trace-only.mjs DIR [DIST]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { countOnly } from './count-only-profile.mjs';

const dist = process.argv[3] ?? fileURLToPath(new URL('../../packages/culprit/dist', import.meta.url));
const { diagnoseCapture } = await import(pathToFileURL(join(dist, 'cli/commands/diagnose.js')).href);
const dir = process.argv[2];
const brief = (f) =>
  f && `${f.rule}/${f.severity} ${f.location?.file?.split('/').slice(-2).join('/')}:${f.location?.line}`;
for (const name of readdirSync(dir)
  .filter((n) => n.endsWith('.json'))
  .sort()) {
  const capture = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  const { findings: _f, totals: _t, ...bare } = capture;
  const full = diagnoseCapture(structuredClone(bare));
  const cut = diagnoseCapture({ ...structuredClone(bare), profile: countOnly(bare.profile) });
  const share = (d) => (d.totals?.[0]?.explainedShare ?? 0).toFixed(2);
  const r = capture.requests[0];
  const same =
    JSON.stringify(full.findings.map((f) => [f.rule, f.severity, f.title, f.location])) ===
    JSON.stringify(cut.findings.map((f) => [f.rule, f.severity, f.title, f.location]));
  console.log(
    `${name.padEnd(45)} wall ${r?.wallMs?.toFixed(0).padStart(5)} cpu ${r?.cpuMs?.toFixed(0).padStart(5)} | full ${share(full)} ${brief(full.findings[0])} | cut ${share(cut)} ${brief(cut.findings[0])} | ${same ? 'SAME' : 'differs'} n=${full.findings.length}/${cut.findings.length}`,
  );
}
