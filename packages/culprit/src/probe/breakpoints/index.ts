/** Logpoints and conditional stack capture in the target (see agent.ts). */
export {
  type BreakpointAgent,
  type BreakpointAgentOptions,
  ESTIMATED_MS_PER_HIT,
  startBreakpointAgent,
} from './agent.js';
export type { BreakpointEvent, SpecSummary } from './protocol.js';
