/**
 * speedscope's file format (https://www.speedscope.app/file-format-schema.json):
 * one sampled profile, frames shared, stacks outermost first, weights in
 * milliseconds.
 */
import type { ProfileData } from '../capture/types.js';
import type { Exporter, ExportMeta } from './registry.js';
import { stacksOf } from './stacks.js';

export interface SpeedscopeFrame {
  name: string;
  file?: string;
  line?: number;
  col?: number;
}

export interface SpeedscopeFile {
  $schema: 'https://www.speedscope.app/file-format-schema.json';
  shared: { frames: SpeedscopeFrame[] };
  profiles: Array<{
    type: 'sampled';
    name: string;
    unit: 'milliseconds';
    startValue: number;
    endValue: number;
    samples: number[][];
    weights: number[];
  }>;
  name: string;
  activeProfileIndex: number;
  exporter: string;
}

export function toSpeedscope(profile: ProfileData, meta: ExportMeta): SpeedscopeFile {
  const frames: SpeedscopeFrame[] = profile.functions.map((fn) =>
    fn.file === '' ? { name: fn.name } : { name: fn.name, file: fn.file, line: fn.line, col: fn.column },
  );
  const samples: number[][] = [];
  const weights: number[] = [];
  for (const stack of stacksOf(profile)) {
    if (stack.frames.length === 0) continue;
    samples.push(stack.frames);
    weights.push(Math.round(stack.ms * 1000) / 1000);
  }
  const endValue = Math.round(weights.reduce((sum, w) => sum + w, 0) * 1000) / 1000;
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles: [{ type: 'sampled', name: meta.name, unit: 'milliseconds', startValue: 0, endValue, samples, weights }],
    name: meta.name,
    activeProfileIndex: 0,
    exporter: 'culprit',
  };
}

export const speedscopeExporter: Exporter = {
  description: 'speedscope JSON (https://www.speedscope.app)',
  extension: '.speedscope.json',
  encode: (profile, meta) => `${JSON.stringify(toSpeedscope(profile, meta))}\n`,
};
