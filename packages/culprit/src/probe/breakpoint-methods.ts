/**
 * RPC methods that run the breakpoint agent (src/probe/breakpoints/, `--log`
 * and `--when`) in the target and forward its events to the CLI. Loaded on
 * demand: a trace without breakpoints never starts the debugger worker.
 */
import type { BreakpointSpec } from '../trace/log-spec.js';
import { registerMethod, send } from './connection.js';
import type { BreakpointEventMessage, BreakpointSummary } from './protocol.js';
import { setBreakpointsArmed } from './request-context.js';

interface Agent {
  stop(): Promise<BreakpointSummary[]>;
}

interface AgentModule {
  startBreakpointAgent(
    specs: BreakpointSpec[],
    onEvent: (event: BreakpointEventMessage['event']) => void,
  ): Promise<Agent>;
}

let agent: Agent | undefined;

/** Registers `breakpoints.start` / `breakpoints.stop`. */
export function registerBreakpointMethods(): void {
  registerMethod('breakpoints.start', async (params) => {
    const specs = (params as { specs?: BreakpointSpec[] }).specs ?? [];
    const specifier = './breakpoints/index.js'; // resolved at run time: the agent is optional
    const agents = (await import(specifier)) as AgentModule;
    await agent?.stop();
    agent = await agents.startBreakpointAgent(specs, (event) => send({ type: 'breakpoint', event }));
    setBreakpointsArmed(true);
  });
  registerMethod('breakpoints.stop', async () => {
    const summaries = (await agent?.stop()) ?? [];
    agent = undefined;
    setBreakpointsArmed(false);
    return summaries;
  });
}
