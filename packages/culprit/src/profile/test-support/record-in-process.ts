/**
 * Test helper: runs a workload in this process under `node:inspector` and
 * returns real raw V8 inputs (CPU profile, count-mode coverage takes, script
 * sources), exactly as the probe would hand them to the CLI.
 */
import { Session } from 'node:inspector/promises';
import type { RawCpuProfile, RawScriptCoverage } from '../../target/types.js';

export interface RecordedRaw {
  cpuProfile: RawCpuProfile;
  coverageTakes: RawScriptCoverage[][];
  sources: Map<string, string>;
}

/** Timing pass then a separate count pass of `runs` calls each (awaited when async), as `culprit profile` does. */
export async function recordInProcess(work: () => unknown, runs: number, intervalUs = 200): Promise<RecordedRaw> {
  const session = new Session();
  session.connect();
  const urls = new Map<string, string>();
  session.on('Debugger.scriptParsed', (message) => {
    urls.set(message.params.scriptId, message.params.url);
  });
  try {
    await session.post('Debugger.enable');
    await session.post('Profiler.enable');
    await work(); // warm-up: compiled and optimized before timing, as --warmup does
    await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await session.post('Profiler.start');
    for (let i = 0; i < runs; i++) await work();
    const { profile } = await session.post('Profiler.stop');

    await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
    await session.post('Profiler.takePreciseCoverage'); // reset: count only the window below
    const coverageTakes: RawScriptCoverage[][] = [];
    for (let i = 0; i < runs; i++) {
      await work();
      coverageTakes.push((await session.post('Profiler.takePreciseCoverage')).result);
    }
    await session.post('Profiler.stopPreciseCoverage');

    const sources = new Map<string, string>();
    const wanted = new Set(profile.nodes.map((node) => node.callFrame.scriptId).filter((id) => id !== '0'));
    for (const scriptId of wanted) {
      if (!urls.has(scriptId)) continue;
      const { scriptSource } = await session.post('Debugger.getScriptSource', { scriptId });
      sources.set(scriptId, scriptSource);
    }
    return { cpuProfile: profile, coverageTakes, sources };
  } finally {
    await session.post('Debugger.disable').catch(() => undefined);
    session.disconnect();
  }
}
