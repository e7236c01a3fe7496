/**
 * The runs of an endpoint that say how its statements behave once the app is warm. Pure.
 */
import type { RequestRecord } from '../../capture/types.js';
import { settings } from '../settings.js';

/**
 * The runs without a cold first one: when the first run took more than `coldRunRatio` times the
 * fastest of the others, it is left out (a 61 ms first run beside a 13 ms one spent most of its time
 * building what the app builds once, so a statement's 8 ms was a small share of it and a half of the
 * next). With one run, or a first run in line with the others, all runs.
 */
export function warmRuns<Run extends Pick<RequestRecord, 'wallMs'>>(runs: readonly Run[]): readonly Run[] {
  const [first, ...rest] = runs;
  if (!first || rest.length === 0) return runs;
  const fastest = Math.min(...rest.map((run) => run.wallMs));
  return first.wallMs > settings.coldRunRatio * fastest ? rest : runs;
}
