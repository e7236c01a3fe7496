import type { Finding, FindingSeverity } from '../capture/types.js';
import type { DiagnosisFacts } from './facts/request-facts.js';
import { settings } from './settings.js';

/**
 * One diagnosis rule: a pure function of the facts. A cause rule names the
 * one application line to change (or says why it cannot); a symptom rule
 * reports what is seen when no cause explains it. Rules never see each
 * other's output: symptoms are folded into causes afterwards.
 */
export interface Rule {
  id: string;
  /** One line for `culprit diagnose --help` and the README: what the rule looks for. */
  describe: string;
  kind: 'cause' | 'symptom';
  run(facts: DiagnosisFacts): Finding[];
}

/** Severity from the time a fix would save, absolute and as a share of the request. */
export function severityFor(savesMs: number, requestMs: number): FindingSeverity {
  const share = savesMs / Math.max(requestMs, 1e-9);
  if (share >= settings.criticalShare && savesMs >= settings.criticalMinMs) return 'critical';
  if (share >= settings.warningShare && savesMs >= settings.warningMinMs) return 'warning';
  return 'info';
}

/** The more serious of two severities. */
export function atLeast(severity: FindingSeverity, floor: FindingSeverity): FindingSeverity {
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  return rank[severity] <= rank[floor] ? severity : floor;
}
