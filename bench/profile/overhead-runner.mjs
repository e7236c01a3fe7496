// One measurement of the overhead bench, in a fresh process:
//   node overhead-runner.mjs plain|inspector|coverage N INTERVAL_US
// (run under `node --cpu-prof` for the peer's figure). Prints the median
// request wall time and the process CPU time per request, in ms. `inspector` is culprit's timing pass: an in-process
// inspector session sampling at INTERVAL_US, started after the warm-up, as the
// probe does; `coverage` is the count pass (precise coverage, count mode).
import { Session } from 'node:inspector/promises';
import { request } from './storm.mjs';

const [mode = 'plain', n = '30', interval = '1000'] = process.argv.slice(2);
const session = new Session();
session.connect();
for (let i = 0; i < 20; i++) request();
// Every mode yields to the event loop once after warm-up (the profiled modes
// must, to talk to the inspector): background-compiled code gets installed
// alike, and what differs is only the profiler.
await new Promise((resolve) => setTimeout(resolve, 20));
if (mode === 'inspector') {
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: Number(interval) });
  await session.post('Profiler.start');
}
if (mode === 'coverage') {
  await session.post('Profiler.enable');
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
}
const times = [];
// CPU time of the whole process (profiler threads included) resists a busy
// machine far better than wall time, which contention inflates at random.
const cpuBefore = process.cpuUsage();
for (let i = 0; i < Number(n); i++) {
  const start = performance.now();
  request();
  times.push(performance.now() - start);
}
const cpu = process.cpuUsage(cpuBefore);
if (mode === 'inspector') await session.post('Profiler.stop');
if (mode === 'coverage') await session.post('Profiler.takePreciseCoverage');
times.sort((a, b) => a - b);
console.log(JSON.stringify({ wallMs: times[times.length >> 1], cpuMs: (cpu.user + cpu.system) / 1000 / Number(n) }));
