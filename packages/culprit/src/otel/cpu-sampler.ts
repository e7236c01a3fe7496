/**
 * The app thread's CPU profile, driven from the export worker: an inspector
 * session connected to the main thread starts V8's sampling profiler at a
 * coarse interval and cuts it into consecutive profiles. The app's thread
 * only takes the samples (V8's profiler thread interrupts it) and answers
 * the stop; building, encoding and sending happen here in the worker.
 */
import { Session } from 'node:inspector';
import type { RawCpuProfile } from '../target/types.js';

export class CpuSampler {
  private readonly session = new Session();
  private connected = false;

  private post<T>(method: string, params?: object): Promise<T> {
    return new Promise((resolve, reject) => {
      this.session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T)));
    });
  }

  /** Connects to the app's thread and starts sampling every `intervalUs`. */
  async start(intervalUs: number): Promise<void> {
    this.session.connectToMainThread();
    this.connected = true;
    await this.post('Profiler.enable');
    await this.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await this.post('Profiler.start');
  }

  /** The samples since the last cut, and sampling goes on; undefined once stopped. */
  async cut(): Promise<RawCpuProfile | undefined> {
    if (!this.connected) return undefined;
    const { profile } = await this.post<{ profile: RawCpuProfile }>('Profiler.stop');
    if (this.connected) await this.post('Profiler.start');
    return profile;
  }

  /** Stops sampling and lets go of the app's thread (a session left connected holds its exit up). */
  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    this.session.disconnect();
  }
}
