import type { Finding } from '../../capture/types.js';
import { clampShare, formatMs } from '../evidence.js';
import type { Rule } from '../rule.js';

/** Self time share of the profile above which one application function is the bottleneck. */
export const HOT_SELF_SHARE = 0.2;

/** An application function that burns a large share of the CPU by itself. */
export const hotFunction: Rule = {
  id: 'hot-function',
  describe: `one application function has >= ${HOT_SELF_SHARE * 100}% of the sampled self time`,
  run(capture) {
    const profile = capture.profile;
    if (!profile || profile.durationMs <= 0) return [];
    return profile.functions
      .filter((fn) => fn.category === 'app' && fn.selfMs / profile.durationMs >= HOT_SELF_SHARE)
      .map((fn): Finding => {
        const share = fn.selfMs / profile.durationMs;
        return {
          rule: hotFunction.id,
          severity: share >= 0.5 ? 'warning' : 'info',
          title: `${fn.name} (${fn.file}:${fn.line}) takes ${(share * 100).toFixed(0)}% of the request's CPU by itself`,
          impact: clampShare(share),
          location: { file: fn.file, line: fn.line, column: fn.column, functionName: fn.name },
          evidence: [
            { label: 'self time', value: `${formatMs(fn.selfMs / Math.max(profile.requestCount, 1))} per request` },
            ...(fn.calls !== null ? [{ label: 'calls', value: String(fn.calls) }] : []),
          ],
        };
      });
  },
};
