// A small seeded PRNG (mulberry32): the same seed gives the same archive on
// every machine, and each postcard draws from its own stream so batches can be
// generated in any order.
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('Random.pick: empty list');
    return item;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

export const ARCHIVE_SEED = 0x5eed_2023;

/** An independent stream per entity, e.g. `streamFor(ephemeronId, 1)`. */
export function streamFor(id: number, salt: number): Random {
  return new Random(Math.imul(id, 2654435761) ^ Math.imul(salt, 40503) ^ ARCHIVE_SEED);
}
