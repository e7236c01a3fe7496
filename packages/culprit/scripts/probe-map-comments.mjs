#!/usr/bin/env node
// After tsc: the probe's built files lose their `//# sourceMappingURL` line.
// The probe runs in every process of the target's tree; where the app runs
// with --enable-source-maps (or tsx turns maps on), Node reads and indexes
// the map of every module that names one: ~0.25 ms per probe module at
// start-up, measured (bench/probe/idle.mjs). The .map files stay beside
// the code for whoever debugs the probe; no frame of it is shown to users.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const probe = new URL('../dist/probe/', import.meta.url).pathname;
const comment = /\n\/\/# sourceMappingURL=[^\n]*\n?$/;
let stripped = 0;
for (const entry of readdirSync(probe, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
  const path = join(entry.parentPath ?? entry.path, entry.name);
  const text = readFileSync(path, 'utf8');
  if (!comment.test(text)) continue;
  writeFileSync(path, text.replace(comment, '\n'));
  stripped += 1;
}
if (stripped === 0) {
  console.error(`probe-map-comments: no built probe file under ${probe} named a source map (was tsc run?)`);
  process.exit(1);
}
