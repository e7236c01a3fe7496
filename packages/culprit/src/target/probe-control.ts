/**
 * ProbeControl over the target's probes: each method is one RPC. Most go to
 * the active probe (the process that answered the last request: in a cluster,
 * the worker whose keep-alive connection culprit uses); the trace switches go
 * to every probe, and to probes that connect later, since any worker may
 * answer the next request.
 */
import type { SourceLocation } from '../capture/types.js';
import type { PlanResult } from '../probe/queries/explain-registry.js';
import { busiestProfile } from './busiest-profile.js';
import type { ProbeLink } from './probe-link.js';
import type {
  BreakpointSummary,
  ProbeControl,
  RawCpuProfile,
  RawScriptCoverage,
  ScriptInfo,
  TraceConfig,
} from './types.js';

export interface Control {
  probe: ProbeControl;
  /** Gives a probe that connected late the trace switches the others have. */
  adopt(link: ProbeLink): void;
}

export function probeControl(active: () => ProbeLink, all: () => ProbeLink[]): Control {
  let config: TraceConfig | undefined;
  const call = <T>(method: string, params?: unknown): Promise<T> => active().call<T>(method, params);
  /**
   * The CPU profile runs in every probe (busiest-profile.ts): the active one must answer, the
   * others as best they can (a worker that connected after cpu.start has no profile to stop).
   */
  const everyProbe = <T>(method: string, params?: unknown): Promise<Array<T | undefined>> => {
    const first = active();
    const others = all().filter((link) => link !== first);
    return Promise.all([
      first.call<T>(method, params),
      ...others.map((link) => link.call<T>(method, params).catch(() => undefined)),
    ]);
  };
  const probe: ProbeControl = {
    startCpuProfile: async (options) => {
      await everyProbe('cpu.start', options);
    },
    startCpuWindow: async () => {
      await everyProbe('cpu.window');
    },
    stopCpuProfile: async () => {
      const profiles = await everyProbe<RawCpuProfile>('cpu.stop');
      const busiest = busiestProfile(profiles.filter((profile) => profile !== undefined));
      if (!busiest) throw new Error('no probe returned a CPU profile');
      return busiest;
    },
    startCallCounts: async () => {
      await call('counts.start');
    },
    takeCallCounts: () => call<RawScriptCoverage[]>('counts.take'),
    stopCallCounts: async () => {
      await call('counts.stop');
    },
    scriptSource: (scriptId) => call<string>('scriptSource', { scriptId }),
    scriptHashes: (scriptIds) => call<Array<string | null>>('scripts.hashes', { scriptIds }),
    scripts: () => call<ScriptInfo[]>('scripts'),
    loadedFiles: () => call<string[]>('scripts.files'),
    mapLocations: (positions) => call<Array<SourceLocation | null>>('mapLocations', { positions }),
    configureTrace: async (next) => {
      config = next;
      const others = all().filter((link) => link !== active());
      await call('trace.configure', next);
      // the other workers follow as best they can: one that fails must not fail the run
      await Promise.all(others.map((link) => link.call('trace.configure', next).catch(() => undefined)));
    },
    faults: () => call<string[]>('faults'),
    explain: (sqls) => call<PlanResult[]>('explain', { sqls }),
    startBreakpoints: async (specs) => {
      await call('breakpoints.start', { specs });
    },
    stopBreakpoints: () => call<BreakpointSummary[]>('breakpoints.stop'),
  };
  return {
    probe,
    adopt(link) {
      if (config) void link.call('trace.configure', config).catch(() => undefined);
    },
  };
}
