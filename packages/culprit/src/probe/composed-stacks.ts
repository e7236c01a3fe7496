/**
 * Stacks made of other stacks, for operations whose app line is not on the
 * stack the driver sees: a pool call's stack joined to the driver's, a query
 * builder's stack beside its run's, a library entry's stack kept as a
 * fallback or an extension. Each reads its parts only when asked.
 *
 * Runs inside the user's process: node built-ins only, never throws.
 */
import type { FrameSource, RawFrame } from './frame-source.js';

/** `first`'s frames, then `rest`'s; `first`'s async frames left out when `syncFirst`. */
export class JoinedStack implements FrameSource {
  private all: RawFrame[] | undefined;

  constructor(
    private readonly first: FrameSource,
    private readonly rest: FrameSource,
    private readonly syncFirst = false,
  ) {}

  frames(): RawFrame[] {
    if (!this.all) {
      const head = this.first.frames();
      this.all = (this.syncFirst ? head.filter((frame) => !frame.async) : head).concat(this.rest.frames());
    }
    return this.all;
  }

  appFrame(syncOnly = false): RawFrame | undefined {
    return this.first.appFrame(syncOnly || this.syncFirst) ?? this.rest.appFrame(syncOnly);
  }
}

/**
 * A query run by a builder (Knex): the driver call's own stack when it holds
 * an application frame (the line that awaited the query), else the builder's;
 * and the application frame that made the builder, synchronously, as the line
 * that built the statement (the repository's `.select('*')`, below the
 * service that awaited it).
 */
export class BuiltStack implements FrameSource {
  constructor(
    private readonly own: FrameSource,
    private readonly builder: FrameSource,
  ) {}

  private chosen(): FrameSource {
    return this.own.appFrame() ? this.own : this.builder;
  }

  frames(): RawFrame[] {
    return this.chosen().frames();
  }

  appFrame(syncOnly = false): RawFrame | undefined {
    return this.chosen().appFrame(syncOnly);
  }

  builtAt(): RawFrame | undefined {
    const built = this.builder.appFrame(true);
    const named = this.appFrame();
    const same = built && named && built.url === named.url && built.line === named.line;
    return built && !same ? built : undefined;
  }
}

/** `own`'s frames when they hold an application frame, else `fallback`'s (a library's entry, taken earlier). */
export class FallbackStack implements FrameSource {
  constructor(
    private readonly own: FrameSource,
    private readonly fallback: FrameSource,
  ) {}

  private chosen(): FrameSource {
    return this.own.appFrame() ? this.own : this.fallback;
  }

  frames(): RawFrame[] {
    return this.chosen().frames();
  }

  appFrame(syncOnly = false): RawFrame | undefined {
    return this.chosen().appFrame(syncOnly);
  }
}

/** `own`'s frames, followed by `more`'s when `own` holds no application frame (a library's entry, taken earlier). */
export class ExtendedStack implements FrameSource {
  private all: RawFrame[] | undefined;

  constructor(
    private readonly own: FrameSource,
    private readonly more: FrameSource,
  ) {}

  frames(): RawFrame[] {
    this.all ??= this.own.appFrame() ? this.own.frames() : this.own.frames().concat(this.more.frames());
    return this.all;
  }

  appFrame(syncOnly = false): RawFrame | undefined {
    return this.own.appFrame(syncOnly) ?? (this.own.appFrame() ? undefined : this.more.appFrame(syncOnly));
  }
}
