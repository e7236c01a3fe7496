// Preloaded (NODE_OPTIONS=--require) into the server in every mode of
// bench/probe/overhead.mjs, so each mode is measured alike: the process's CPU
// time (all threads: a profiler's sampling thread, GC) from one request's
// start to the next one's, i.e. everything a request costs the process,
// including what runs after its response finished (a probe's bookkeeping),
// and the request's own wall time (start to response finish), the figure
// culprit's %timeit line reports. Requests come one at a time; line k of
// BENCH_CPU_FILE is request k's `cpuMs wallMs startUs` (startUs on the
// monotonic clock of a .cpuprofile's timestamps), written when request k + 1
// starts (the last request has no line).
const dc = require('node:diagnostics_channel');
const { appendFileSync } = require('node:fs');
const { performance } = require('node:perf_hooks');
const { isMainThread } = require('node:worker_threads');

const out = process.env.BENCH_CPU_FILE;
if (out && isMainThread) {
  let last;
  let startedAt = 0;
  let wallMs = 0;
  let startUs = 0n;
  dc.subscribe('http.server.request.start', () => {
    const now = process.cpuUsage();
    const cpuMs = (now.user - last?.user + now.system - last?.system) / 1000;
    if (last) appendFileSync(out, `${cpuMs} ${wallMs} ${startUs}\n`);
    startUs = process.hrtime.bigint() / 1000n;
    startedAt = performance.now();
    last = process.cpuUsage(); // the append itself is not the next request's
  });
  dc.subscribe('http.server.response.finish', () => {
    wallMs = performance.now() - startedAt;
  });
  // an orderly exit on the bench's SIGTERM, so `node --cpu-prof` writes its profile
  if (process.listenerCount('SIGTERM') === 0) process.once('SIGTERM', () => process.exit(0));
}
