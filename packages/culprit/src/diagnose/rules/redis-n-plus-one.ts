import { remoteRepeats } from '../remote-repeats.js';
import type { Rule } from '../rule.js';
import { settings } from '../settings.js';

/** N+1 over Redis: a loop that sends one command per item where one MGET or pipeline would do (remote-repeats.ts). */
export const redisNPlusOne: Rule = {
  id: 'redis-n-plus-one',
  kind: 'cause',
  describe: `one Redis command shape from one line in separate round trips >= ${settings.repeatAbsolute} times, or once per item`,
  run: (facts) => remoteRepeats(facts.requests, 'redis', redisNPlusOne.id, facts.readSource),
};
