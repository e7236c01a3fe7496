import type { ProfileFunction } from '../../../src/capture/types.js';

/**
 * Frame colours by where code lives: application code warm orange (the
 * place to look), each dependency its own cool hue, Node internals slate,
 * V8 pseudo-frames grey. Lightness varies a little by name so neighbours differ.
 */
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Distinct cool hues for the heaviest dependencies (never the app's orange); the rest are hashed into the same range. */
const palette = [205, 150, 270, 95, 320, 180, 240, 125, 295, 60];
const packageHue = new Map<string, number>();

/** Gives the heaviest packages (by self time) the most distinct hues; call once per profile before drawing. */
export function assignPackageHues(functions: ProfileFunction[]): void {
  const weight = new Map<string, number>();
  for (const f of functions) {
    if (f.category === 'dependency')
      weight.set(String(f.package ?? 'dependency'), (weight.get(String(f.package ?? 'dependency')) ?? 0) + f.selfMs);
  }
  [...weight]
    .sort((a, b) => b[1] - a[1])
    .forEach(([pkg], i) => {
      if (i < palette.length && !packageHue.has(pkg)) packageHue.set(pkg, palette[i]!);
    });
}

export type ColorGroup = { key: string; label: string; color: string };

export function groupOf(f: ProfileFunction): ColorGroup {
  switch (f.category) {
    case 'app':
      return { key: 'app', label: 'your code', color: 'hsl(28 90% 60%)' };
    case 'dependency': {
      const pkg = f.package ? String(f.package) : 'dependency';
      const hue = packageHue.get(pkg) ?? 90 + (hash(pkg) % 220); // 90..310: greens, blues, purples
      return { key: `pkg:${pkg}`, label: pkg, color: `hsl(${hue} 55% 62%)` };
    }
    case 'node':
      return { key: 'node', label: 'node internals', color: 'hsl(210 15% 62%)' };
    default:
      return { key: 'other', label: 'V8 / GC / idle', color: 'hsl(0 0% 70%)' };
  }
}

const cache = new Map<ProfileFunction, string>();

/** Fill colour of one function's frames. */
export function frameColor(f: ProfileFunction | undefined): string {
  if (!f) return 'hsl(0 0% 70%)';
  let color = cache.get(f);
  if (color) return color;
  const group = groupOf(f);
  const jitter = (hash(String(f.name)) % 13) - 6;
  color = group.color.replace(/(\d+)%\)$/, (_, l: string) => `${Number(l) + jitter}%)`);
  cache.set(f, color);
  return color;
}

/** Diff colour: red where time grew, blue where it shrank, grey when unchanged; `t` in [-1, 1]. */
export function diffColor(t: number): string {
  const m = Math.min(1, Math.abs(t));
  if (m < 0.02) return 'hsl(0 0% 72%)';
  const hue = t > 0 ? 0 : 215;
  return `hsl(${hue} ${30 + 55 * m}% ${78 - 26 * m}%)`;
}
