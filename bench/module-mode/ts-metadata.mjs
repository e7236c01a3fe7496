#!/usr/bin/env node
// What decorator metadata costs module mode at start-up: the time to import
// the Nest fixture's root module (every decorated file compiled by the app's
// TypeScript) against tsx alone (esbuild, no metadata), and against the same
// import of the JavaScript that tsc emits. Each run is a fresh process; the
// median of RUNS is printed. Needs `npm run build` (the loader runs from dist/).
//   node bench/module-mode/ts-metadata.mjs [RUNS]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = `${root}fixtures/nest-typeorm/app/`;
const register = `${root}packages/culprit/dist/probe/host/ts-metadata-register.js`;
const runs = Number(process.argv[2] ?? 7);

if (!existsSync(register)) {
  console.error('bench: build first (npm run build)');
  process.exit(2);
}
execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${fixture}tsconfig.json`]);

// prints the ms the import took, and whether the controller got its constructor's types
const probe = (file) => `
  const t = performance.now();
  const m = await import(${JSON.stringify(file)});
  const ms = performance.now() - t;
  const controller = await import(${JSON.stringify(file.replace(/app\.module\.(ts|js)$/, 'authors.controller.$1'))});
  const AuthorsController = controller.AuthorsController ?? controller.default.AuthorsController;
  console.log(JSON.stringify({ ms, metadata: Boolean(Reflect.getMetadata('design:paramtypes', AuthorsController)) }));
`;

function timed(args, file) {
  try {
    const out = execFileSync(process.execPath, [...args, '--input-type=module', '-e', probe(file)], {
      cwd: fixture,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(out.trim().split('\n').pop());
  } catch (error) {
    const line =
      String(error.stderr)
        .split('\n')
        .find((l) => /^\w*Error:/.test(l)) ?? 'failed';
    return { failed: line.slice(0, 110) };
  }
}

const variants = [
  ['tsc output (node dist/)', [], `${fixture}dist/app.module.js`],
  ['tsx alone (no metadata)', ['--import', 'tsx'], `${fixture}src/app.module.ts`],
  ['tsx + culprit metadata', ['--import', 'tsx', '--import', register], `${fixture}src/app.module.ts`],
];
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rows = variants.map(([name, args, file]) => {
  const results = Array.from({ length: runs }, () => timed(['--import', 'reflect-metadata', ...args], file));
  if (results[0].failed) return { name, failed: results[0].failed };
  return { name, ms: median(results.map((r) => r.ms)), metadata: results[0].metadata };
});
const base = rows[0].ms;
console.log(`import of the Nest fixture's root module, median of ${runs} fresh processes`);
for (const row of rows) {
  if (row.failed) {
    console.log(`${row.name.padEnd(26)}  fails: ${row.failed}`);
    continue;
  }
  const ratio = `${(row.ms / base).toFixed(2)}× tsc output`;
  console.log(
    `${row.name.padEnd(26)} ${row.ms.toFixed(0).padStart(6)} ms  ${ratio}  metadata: ${row.metadata ? 'yes' : 'no'}`,
  );
}
