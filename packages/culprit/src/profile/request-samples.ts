/**
 * How many samples caught the request's own code: stacks holding an
 * application frame or a dependency other than culprit's probe. A profile
 * with none says nothing about the request (it was too fast to be sampled),
 * whatever the RPC plumbing around it was sampled doing.
 */
import type { ProfileData } from '../capture/types.js';

export function requestSamples(profile: ProfileData): number {
  const inRequest = new Array<boolean>(profile.nodes.length).fill(false);
  let samples = 0;
  profile.nodes.forEach((node, index) => {
    const fn = profile.functions[node.fn];
    const own = fn?.category === 'app' || (fn?.category === 'dependency' && fn.package !== 'culprit');
    inRequest[index] = own || (node.parent >= 0 && inRequest[node.parent] === true);
    if (inRequest[index]) samples += node.selfSamples;
  });
  return samples;
}
