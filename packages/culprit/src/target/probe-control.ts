/** ProbeControl over a probe link: each method is one RPC to the target's probe. */
import type { SourceLocation } from '../capture/types.js';
import type { ProbeLink } from './probe-link.js';
import type { BreakpointSummary, ProbeControl, RawCpuProfile, RawScriptCoverage, ScriptInfo } from './types.js';

export function probeControl(link: ProbeLink): ProbeControl {
  return {
    startCpuProfile: async (options) => {
      await link.call('cpu.start', options);
    },
    stopCpuProfile: () => link.call<RawCpuProfile>('cpu.stop'),
    startCallCounts: async () => {
      await link.call('counts.start');
    },
    takeCallCounts: () => link.call<RawScriptCoverage[]>('counts.take'),
    stopCallCounts: async () => {
      await link.call('counts.stop');
    },
    scriptSource: (scriptId) => link.call<string>('scriptSource', { scriptId }),
    scripts: () => link.call<ScriptInfo[]>('scripts'),
    mapLocations: (positions) => link.call<Array<SourceLocation | null>>('mapLocations', { positions }),
    configureTrace: async (config) => {
      await link.call('trace.configure', config);
    },
    faults: () => link.call<string[]>('faults'),
    startBreakpoints: async (specs) => {
      await link.call('breakpoints.start', { specs });
    },
    stopBreakpoints: () => link.call<BreakpointSummary[]>('breakpoints.stop'),
  };
}
