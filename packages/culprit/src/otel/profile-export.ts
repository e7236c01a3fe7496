/**
 * CPU profiles to Pyroscope, the export worker's side: samples the app's
 * thread coarsely (cpu-sampler.ts) and cuts the profile when the app's thread
 * hands over an interval's request windows; each profile is split by route
 * one interval later (with the windows of the intervals around it), encoded
 * as pprof and queued for upload.
 * Every failure is counted; nothing here reaches the app.
 */
import { gzipSync } from 'node:zlib';
import { toPprof } from '../export/pprof.js';
import type { RawCpuProfile } from '../target/types.js';
import { CpuSampler } from './cpu-sampler.js';
import { type PyroscopeCounts, PyroscopeSender } from './pyroscope-sender.js';
import { mergeWindows, profilesByRoute, type RouteWindowsInput } from './route-profiles.js';

/** Coarse on purpose: 100 samples a second cost the app next to nothing. */
export const PROFILE_SAMPLE_US = 10_000;

export interface ProfileExportOptions {
  url: string;
  appName: string;
  timeoutMs: number;
}

export interface ProfileExportCounts extends PyroscopeCounts {
  /** Cuts that failed (the inspector refused, or a profile could not be built). */
  faults: number;
  /** Request windows the app's thread left out (its buffer was full). */
  droppedWindows: number;
}

export class ProfileExport {
  private readonly sampler = new CpuSampler();
  private readonly sender: PyroscopeSender;
  private readonly started: Promise<boolean>;
  private faults = 0;
  private droppedWindows = 0;
  private cutting: Promise<void> = Promise.resolve();
  /** The last three intervals' request windows (a request may start in one and end in the next). */
  private recent: RouteWindowsInput[] = [];
  /** The last cut's profile, waiting for the next interval's windows. */
  private held: { profile: RawCpuProfile; untilSec: number } | undefined;

  constructor(options: ProfileExportOptions) {
    this.sender = new PyroscopeSender({ ...options, maxQueued: 64 });
    this.started = this.sampler.start(PROFILE_SAMPLE_US).then(
      () => true,
      () => {
        this.faults += 1;
        return false;
      },
    );
  }

  get counts(): ProfileExportCounts {
    return { ...this.sender.counts, faults: this.faults, droppedWindows: this.droppedWindows };
  }

  /**
   * Ends the current interval: its profile, split by route, is queued for upload. Cuts run one
   * after the other (a stop and restart still on its way when the next interval ends would fail).
   */
  cut(windows: RouteWindowsInput & { dropped: number }): Promise<void> {
    this.droppedWindows += windows.dropped;
    this.cutting = this.cutting.then(() => this.cutNow(windows));
    return this.cutting;
  }

  private async cutNow(windows: RouteWindowsInput): Promise<void> {
    if (!(await this.started)) return;
    try {
      const profile = await this.sampler.cut();
      this.recent = [...this.recent, windows].slice(-3);
      // the previous interval is labelled now: the requests that ran at its end (finished after the
      // app's thread handed its windows over, or before the stop reached V8) are in this batch
      if (this.held) this.upload(this.held.profile, this.held.untilSec);
      this.held = profile ? { profile, untilSec: Math.ceil(Date.now() / 1000) } : undefined;
    } catch {
      this.faults += 1;
    }
  }

  private upload(profile: RawCpuProfile, untilSec: number): void {
    const fromSec = Math.floor(untilSec - (profile.endTime - profile.startTime) / 1e6);
    for (const part of profilesByRoute(profile, mergeWindows(this.recent), PROFILE_SAMPLE_US)) {
      const labels: Record<string, string> = {};
      if (part.route !== undefined) {
        const space = part.route.indexOf(' ');
        labels.method = part.route.slice(0, space);
        labels.route = part.route.slice(space + 1);
      }
      const pprof = toPprof(part.profile);
      if (pprof.sample.length === 0) continue; // only idle time: nothing to show
      this.sender.add({ labels, fromSec, untilSec, body: gzipSync(pprof.encode()) });
    }
  }

  flush(): Promise<void> {
    return this.sender.flush();
  }

  /** Lets go of the app's thread (its exit would otherwise wait for the session). */
  disconnect(): void {
    this.sampler.disconnect();
  }
}
