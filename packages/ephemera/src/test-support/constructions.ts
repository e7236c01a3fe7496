// Counts how many times a class constructor ran during `work`, with V8's
// precise coverage in call-count mode (what a profiler with exact call counts
// sees). Nothing in the application is patched.
import { Session } from 'node:inspector/promises';

export async function countCalls(functionName: string, urlSuffix: string, work: () => Promise<void>): Promise<number> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
    await session.post('Profiler.takePreciseCoverage'); // reset: count only `work`
    await work();
    const { result } = await session.post('Profiler.takePreciseCoverage');
    await session.post('Profiler.stopPreciseCoverage');
    let calls = 0;
    for (const script of result) {
      if (!script.url.endsWith(urlSuffix)) continue;
      for (const fn of script.functions) {
        if (fn.functionName === functionName) calls += fn.ranges[0]?.count ?? 0;
      }
    }
    return calls;
  } finally {
    session.disconnect();
  }
}
