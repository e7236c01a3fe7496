/**
 * The CPU profile of the timing pass. The profiler starts before the warm-up;
 * the profile returned is a second one on the same inspector session, started
 * (`console.profile`) when the timing pass begins, while the first still runs.
 *
 * Why: a V8 profiler knows where a function was inlined only for code
 * optimized while it runs; code optimized before it started is reported to it
 * without its inlined functions, whose samples then go to their caller. When
 * the profiler started after the warm-up, a 2 ms `burn` called from a timer
 * callback went missing from 5 of 6 profiles, 17 points of the request's time
 * moved to the callback, and `node --cpu-prof` (which profiles from the start)
 * disagreed. The warm-up's recording keeps the profiler that saw the app's hot
 * code optimized alive; its own samples are dropped.
 */
import type { RawCpuProfile } from '../target/types.js';
import { inspectorSession, post } from './inspector-session.js';

const WINDOW_TITLE = 'culprit timing pass';

type Phase = 'off' | 'warming' | 'window';
let phase: Phase = 'off';

/** Starts the profiler (the warm-up, whose samples are dropped). */
export async function startCpuRecording(intervalUs: number): Promise<void> {
  if (phase !== 'off') await stopCpuRecording();
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: intervalUs });
  await post('Profiler.start');
  phase = 'warming';
}

/** The timing pass begins: its profile starts on the running profiler, at the same interval. */
export function startCpuWindow(): void {
  if (phase !== 'warming') throw new Error('the CPU profiler is not running: call cpu.start first');
  process.getBuiltinModule('node:inspector').console.profile(WINDOW_TITLE);
  phase = 'window';
}

function windowProfile(): Promise<RawCpuProfile> {
  return new Promise((resolve, reject) => {
    const session = inspectorSession();
    const finished = (message: { params: { title?: string; profile: RawCpuProfile } }) => {
      if (message.params.title !== WINDOW_TITLE) return;
      session.off('Profiler.consoleProfileFinished', finished);
      resolve(message.params.profile);
    };
    session.on('Profiler.consoleProfileFinished', finished);
    try {
      process.getBuiltinModule('node:inspector').console.profileEnd(WINDOW_TITLE);
    } catch (error) {
      session.off('Profiler.consoleProfileFinished', finished);
      reject(error);
    }
  });
}

/** Stops the profiler: the timing pass's profile, or the whole recording when no window was started. */
export async function stopCpuRecording(): Promise<RawCpuProfile> {
  const was = phase;
  phase = 'off';
  if (was === 'off') throw new Error('the CPU profiler is not running');
  const timed = was === 'window' ? await windowProfile() : undefined;
  const whole = (await post<{ profile: RawCpuProfile }>('Profiler.stop')).profile;
  return timed ?? whole;
}
