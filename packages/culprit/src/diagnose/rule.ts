import type { Capture, Finding } from '../capture/types.js';

/** One diagnosis rule: a pure function of a capture. Rules never see each other's output. */
export interface Rule {
  id: string;
  /** One line for `culprit diagnose --help` and the README: what the rule looks for. */
  describe: string;
  run(capture: Capture): Finding[];
}
