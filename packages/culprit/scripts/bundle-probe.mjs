#!/usr/bin/env node
// After tsc: dist/probe/start.js (what every probed process loads at its
// start, src/probe/start.ts) becomes one bundled file, and the built file of
// each module bundled into it becomes `export * from '…/start.js'`. Each ES
// module file costs Node's loader ≈0.3 ms and the probe starts in every Node
// process of the target's tree (bench/probe/idle.mjs); the modules loaded
// later (the recorder, the driver hooks, culprit/register) import those files
// and so reach the bundle's one copy of their state. Dynamic imports stay
// lazy (their own files), which holds only for modules at the probe's root:
// a bundled module elsewhere would resolve them from the bundle's folder.
// Then the server side becomes dist/probe/serve.js the same way (bundle-probe-serve.mjs), and each bundle
// and re-export file gets a CommonJS twin, the files command mode's `--require` preload runs (bundle-probe-cjs.mjs).
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { bundleInPlace, lazyImportsFrom } from './bundle-in-place.mjs';
import { bundleCommonJsTwins } from './bundle-probe-cjs.mjs';
import { bundleServeSide } from './bundle-probe-serve.mjs';

const root = new URL('..', import.meta.url).pathname;
const probe = resolve(root, 'dist/probe');
const entry = resolve(probe, 'start.js');
// the CLI imports protocol.js (constants and types): it keeps its file, and the bundle a copy
const ownFile = new Set([resolve(probe, 'protocol.js')]);

const result = await bundleInPlace(entry, {
  absWorkingDir: root,
  metafile: true,
  plugins: [lazyImportsFrom(probe, 'bundle-probe')],
});

const bundled = Object.keys(result.metafile.inputs).map((input) => resolve(root, input));
const shimmed = new Set([entry]);
for (const file of bundled) {
  if (file === entry || ownFile.has(file)) continue;
  shimmed.add(file);
  const target = relative(dirname(file), entry);
  writeFileSync(file, `export * from '${target.startsWith('.') ? target : `./${target}`}';\n`);
  rmSync(`${file}.map`, { force: true }); // tsc's maps describe the unbundled files
}
const shims = shimmed.size - 1;
if (shims < 5) {
  console.error(
    `bundle-probe: only ${shims} module(s) bundled into ${entry}: is start.ts still re-exporting the start-up set?`,
  );
  process.exit(1);
}

const serveSide = await bundleServeSide(root, shimmed);
if (serveSide.length < 20) {
  console.error(`bundle-probe: only ${serveSide.length} module(s) bundled into dist/probe/serve.js`);
  process.exit(1);
}

const twins = await bundleCommonJsTwins(root, [...shimmed].filter((file) => file !== entry).concat(serveSide));
if (twins.length < shims + serveSide.length + 4) {
  console.error(`bundle-probe: only ${twins.length} CommonJS twin(s) written`);
  process.exit(1);
}
