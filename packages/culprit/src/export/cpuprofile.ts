/**
 * Chrome DevTools' `.cpuprofile` (the Profiler.Profile of the DevTools
 * protocol), rebuilt from the model's tree so locations are the source-mapped
 * ones. Without a timeline, each node's samples are laid out one after the
 * other (the order of time is lost, the tree and times are not).
 */
import type { ProfileData } from '../capture/types.js';
import type { RawCpuProfile } from '../target/types.js';
import type { Exporter } from './registry.js';

export function toCpuprofile(profile: ProfileData): RawCpuProfile {
  const nodes: RawCpuProfile['nodes'] = profile.nodes.map((node, index) => {
    const fn = profile.functions[node.fn];
    return {
      id: index + 1,
      callFrame: {
        functionName: fn?.name ?? '(unknown)',
        scriptId: '0',
        url: fn?.file ? toUrl(fn.file) : '',
        lineNumber: fn?.file ? fn.line - 1 : -1,
        columnNumber: fn?.file ? fn.column - 1 : -1,
      },
      hitCount: node.selfSamples,
      children: [],
    };
  });
  profile.nodes.forEach((node, index) => {
    if (node.parent >= 0) nodes[node.parent]?.children?.push(index + 1);
  });
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  if (profile.timeline) {
    // Each timeline delta is how long sample i lasted; DevTools reads the delta *before* it.
    let previous = 0;
    profile.timeline.nodes.forEach((node, i) => {
      samples.push(node + 1);
      timeDeltas.push(previous);
      previous = profile.timeline?.deltasUs[i] ?? 0;
    });
  } else {
    profile.nodes.forEach((node, index) => {
      const each = node.selfSamples ? Math.round((node.selfMs * 1000) / node.selfSamples) : 0;
      for (let i = 0; i < node.selfSamples; i++) {
        samples.push(index + 1);
        timeDeltas.push(each);
      }
    });
  }
  const endTime = timeDeltas.reduce((sum, d) => sum + d, 0) + (profile.timeline?.deltasUs.at(-1) ?? 0);
  return { nodes, startTime: 0, endTime, samples, timeDeltas };
}

function toUrl(file: string): string {
  return file.startsWith('/') ? `file://${encodeURI(file)}` : file;
}

export const cpuprofileExporter: Exporter = {
  description: 'Chrome DevTools / VS Code .cpuprofile',
  extension: '.cpuprofile',
  encode: (profile) => `${JSON.stringify(toCpuprofile(profile))}\n`,
};
