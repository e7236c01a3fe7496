import { remoteRepeats } from '../remote-repeats.js';
import type { Rule } from '../rule.js';
import { settings } from '../settings.js';

/** N+1 over HTTP: a loop that calls another service once per item (remote-repeats.ts). */
export const httpNPlusOne: Rule = {
  id: 'http-n-plus-one',
  kind: 'cause',
  describe: `one HTTP endpoint called from one line with different values >= ${settings.repeatAbsolute} times, or once per item of a list`,
  run: (facts) => remoteRepeats(facts.requests, 'http', httpNPlusOne.id, facts.readSource),
};
