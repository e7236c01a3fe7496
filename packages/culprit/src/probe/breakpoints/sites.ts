/**
 * V8 allows one breakpoint per location (and one per function for
 * `setBreakpointOnFunctionCall`), but users may aim a `--log` and a `--when`
 * at the same constructor. A site is one breakpoint whose condition evaluates
 * every spec aimed at it; adding a spec replaces the breakpoint with one that
 * evaluates all of them.
 */
import type { MainThreadDebugger } from './cdp.js';
import { anyCondition } from './conditions.js';

interface Site {
  breakpointId: string;
  conditions: string[];
  specIndexes: number[];
  set: (condition: string) => Promise<string>;
}

export class BreakpointSites {
  private readonly sites = new Map<string, Site>();

  constructor(private readonly debug: MainThreadDebugger) {}

  /**
   * Makes the breakpoint at `key` (e.g. `scriptId:line:column`) evaluate
   * `condition` too. `set` places a breakpoint with a condition and returns
   * its id ('' when V8 refuses the location). Returns whether the spec is placed.
   */
  async place(key: string, specIndex: number, condition: string, set: Site['set']): Promise<boolean> {
    const site = this.sites.get(key);
    if (!site) {
      const breakpointId = await set(condition);
      if (breakpointId) this.sites.set(key, { breakpointId, conditions: [condition], specIndexes: [specIndex], set });
      return breakpointId !== '';
    }
    await this.debug.post('Debugger.removeBreakpoint', { breakpointId: site.breakpointId }).catch(() => undefined);
    site.conditions.push(condition);
    site.specIndexes.push(specIndex);
    site.breakpointId = await site.set(anyCondition(site.conditions));
    return site.breakpointId !== '';
  }

  /** One entry per spec per breakpoint, for the worker's bookkeeping. */
  placed(): Array<{ specIndex: number; breakpointId: string }> {
    return [...this.sites.values()].flatMap((site) =>
      site.breakpointId ? site.specIndexes.map((specIndex) => ({ specIndex, breakpointId: site.breakpointId })) : [],
    );
  }
}
