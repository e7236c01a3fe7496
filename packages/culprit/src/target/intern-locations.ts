/**
 * Shares equal locations and stacks between the queries of a record. JSON
 * gives every query its own copy of the same 40-frame stack; a loop of 2,000
 * queries from one line then holds 80,000 objects where a few dozen suffice,
 * and diagnose keeps several such records at once.
 */
import type { SourceLocation } from '../capture/types.js';

function locationKey(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}:${location.functionName ?? ''}:${location.package ?? ''}`;
}

export class LocationInterner {
  private readonly locations = new Map<string, SourceLocation>();
  private readonly stacks = new Map<string, SourceLocation[]>();

  location(location: SourceLocation): SourceLocation {
    const key = locationKey(location);
    const known = this.locations.get(key);
    if (known) return known;
    this.locations.set(key, location);
    return location;
  }

  stack(stack: SourceLocation[]): SourceLocation[] {
    const frames = stack.map((frame) => this.location(frame));
    const key = frames.map(locationKey).join('|');
    const known = this.stacks.get(key);
    if (known) return known;
    this.stacks.set(key, frames);
    return frames;
  }

  /** The same query (or fold) with its location and stack interned; mutates and returns it. */
  query<T extends { location?: SourceLocation; stack?: SourceLocation[] }>(query: T): T {
    if (query.location) query.location = this.location(query.location);
    if (query.stack) query.stack = this.stack(query.stack);
    return query;
  }
}
