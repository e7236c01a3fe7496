#!/usr/bin/env node
// Whether the sources a diagnose reads from disk (profile/disk-sources.ts) are the ones V8 ran: starts the
// story's server as diagnose does, counts calls over one request, and for every script the coverage names
// compares the file's text (taken when its bytes hash as V8's scriptParsed.hash) with the target's
// Debugger.getScriptSource. Prints the scripts read from disk, those that differ (must be none) and those
// left to the socket, with their sizes.
//   node bench/probe/disk-sources-check.mjs [ROWS (default 10000)]
// The archive comes from diagnose-scale.mjs's seeding (bench/probe/.data/).
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');
const dist = (p) => import(pathToFileURL(join(root, 'packages/culprit/dist', p)).href);
const { openTarget } = await dist('target/open-target.js');
const { parseTraceArgs } = await dist('trace/cli-options.js');
const { sourceFromDisk } = await dist('profile/disk-sources.js');
const rows = process.argv[2] ?? '10000';
const args = [
  '/api/ephemera/1337/?img=2&expand=~all',
  '--',
  process.execPath,
  join(root, 'packages/ephemera/dist/cli.js'),
  'serve',
  '--port',
  '0',
  '--db',
  join(here, '.data', `ephemera-${rows}.sqlite`),
  '--incident',
];
const options = parseTraceArgs(args, resolve(root, 'packages/ephemera'), 'diagnose');
const target = await openTarget({ ...options.target });
try {
  await target.probe.startCallCounts();
  await target.send(options.request);
  const take = await target.probe.takeCallCounts();
  const scripts = take.filter((s) => s.url && !s.url.startsWith('node:'));
  const hashes = await target.probe.scriptHashes(scripts.map((s) => s.scriptId));
  const count = { scripts: scripts.length, fromDisk: 0, differ: 0, sent: 0, diskBytes: 0, sentBytes: 0 };
  for (const [i, { scriptId, url }] of scripts.entries()) {
    const disk = hashes[i] ? sourceFromDisk(url, hashes[i]) : undefined;
    const remote = await target.probe.scriptSource(scriptId);
    if (disk === undefined) {
      count.sent++;
      count.sentBytes += remote.length;
      console.log(`sent: ${url} (${remote.length} characters)`);
    } else if (disk === remote) {
      count.fromDisk++;
      count.diskBytes += disk.length;
    } else {
      count.differ++;
      console.log(`DIFFERS: ${url}`);
    }
  }
  console.log(count);
  if (count.differ) process.exitCode = 1;
} finally {
  await target.close();
}
