/**
 * Collects the breakpoint events (`--log` hits, `--when` stacks, faults) the
 * probes push, renumbering their requests as `send` numbers them. Each probe
 * (a cluster worker) numbers its requests itself, so the renumbering is per link.
 */
import type { LogpointHit, StackCapture } from '../capture/types.js';
import type { ProbeLink } from './probe-link.js';
import type { BreakpointEvents } from './types.js';

export class BreakpointCollector {
  private readonly logs: Array<{ link: ProbeLink; hit: LogpointHit }> = [];
  private readonly stops: Array<{ link: ProbeLink; capture: StackCapture }> = [];
  private readonly faults: string[] = [];
  private readonly ids = new Map<ProbeLink, Map<number, number>>();

  watch(link: ProbeLink): void {
    link.on('message', (message) => {
      if (message.type !== 'breakpoint') return;
      const { event } = message;
      if (event.type === 'log') this.logs.push({ link, hit: event.hit });
      else if (event.type === 'stop') this.stops.push({ link, capture: event.capture });
      else this.faults.push(event.message);
    });
  }

  /** Records that `link`'s request `scopeId` is culprit's request `id`. */
  number(link: ProbeLink, scopeId: number, id: number): void {
    const ofLink = this.ids.get(link) ?? new Map<number, number>();
    this.ids.set(link, ofLink);
    ofLink.set(scopeId, id);
  }

  /** Events since the last take, then forgotten. */
  take(): BreakpointEvents {
    return {
      logs: this.logs.splice(0).map(({ link, hit }) => this.renumber(link, hit)),
      stops: this.stops.splice(0).map(({ link, capture }) => this.renumber(link, capture)),
      faults: this.faults.splice(0),
    };
  }

  private renumber<T extends { requestId?: number }>(link: ProbeLink, item: T): T {
    if (item.requestId === undefined) return item;
    const id = this.ids.get(link)?.get(item.requestId);
    const { requestId: _probeId, ...rest } = item;
    return (id === undefined ? rest : { ...rest, requestId: id }) as T;
  }
}
