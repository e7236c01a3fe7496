/**
 * ORM entry points that lend the app's stack and request to the statements
 * issued below them. Some ORMs run the statement of an app's call from
 * continuations V8's async stack traces do not cross (tslib `__awaiter`
 * generators, bluebird's scheduler): the driver hook sees only the ORM's
 * frames. The entry the app calls runs synchronously in the app's code, so it
 * takes the stack there (lazily) and every statement issued below it, however
 * many awaits later, carries it (pool-stack.ts `withEntryIssuer`).
 */
import { readFileSync } from 'node:fs';
import { noteFault } from '../faults.js';
import { countedOnly, currentScope, queriesWanted } from '../request-context.js';
import { type AnyMethod, patchMethod } from './patch.js';
import { type Issued, insideEntry, runsAsCallerCallback, withEntryIssuer } from './pool-stack.js';
import { captureStackLazily } from './stack.js';

/**
 * Patches the methods of `holder` (a prototype, or a class for its static
 * methods) whose names match `methods`; `callsBack` names those that call
 * back app code passed to them (`transaction(cb)`).
 */
export function lendFromEntries(holder: object, methods: RegExp, options: EntryOptions): void {
  for (const name of Object.getOwnPropertyNames(holder)) {
    if (name === 'constructor' || name === 'prototype' || !methods.test(name)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(holder, name);
    if (typeof descriptor?.value !== 'function') continue;
    const backs = options.callsBack?.test(name) === true;
    patchMethod(holder, name, (original) =>
      options.outermost ? outermostOnly(lendIssuer(original, options, backs)) : lendIssuer(original, options, backs),
    );
  }
}

export interface EntryOptions {
  /** Names the probe's faults. */
  label: string;
  /** Methods that call back app code passed to them (`transaction(cb)`). */
  callsBack?: RegExp;
  /**
   * An entry the ORM calls synchronously from another (Sequelize's `findById` → `findByPk` → `findOne` →
   * `findAll`) lends nothing of its own: the outer one's frames already hold the app's line, and each
   * inner capture repeated it (an N+1 "called through" the same line four times).
   */
  outermost?: boolean;
  /** Lends only when this holds for the call's receiver (a model on a dialect whose driver loses the app's stack). */
  when?: (receiver: unknown) => boolean;
  /**
   * Lends only outside another entry's call: the ORM calls it itself (a model's select runs the connection's
   * `query`) after awaits, where its stack leads past the app's own line to the app's callers.
   */
  outsideOnly?: boolean;
  /**
   * The driver's own stack (native async frames) names the query's app line where it reaches the app; the
   * entry's frames stand in where it does not (Issued `built`): a call whose promise was returned unawaited
   * (`Promise.all(ids.map((id) => repo.findOneBy({ id })))` in a batch loader) leaves no await to follow.
   */
  standsIn?: boolean;
}

/** The test an entry's call must pass to lend, if any. */
function lendsHere(options: EntryOptions): ((receiver: unknown) => boolean) | undefined {
  const { when, outsideOnly } = options;
  if (!outsideOnly) return when;
  return when ? (receiver) => !insideEntry() && when(receiver) : () => !insideEntry();
}

/** Entries running synchronously now, outermost first: only the outermost (of `outermost` entries) lends. */
let entered = 0;

function outermostOnly(lend: AnyMethod): AnyMethod {
  return function outermost(this: unknown, ...args: unknown[]) {
    entered++;
    try {
      return entered > 1 ? (lend as { [ORIGINAL]?: AnyMethod })[ORIGINAL]?.apply(this, args) : lend.apply(this, args);
    } finally {
      entered--;
    }
  };
}

const ORIGINAL = Symbol('original');

function lendIssuer(original: AnyMethod, options: EntryOptions, callsBack: boolean): AnyMethod {
  const { label, standsIn } = options;
  const when = lendsHere(options);
  const lend = function entry(this: unknown, ...args: unknown[]) {
    // a counted request's queries need no issuer: they are counted in the request's own scope
    if (!queriesWanted() || countedOnly() || (when !== undefined && !when(this))) return original.apply(this, args);
    // no closure around the capture: each function between the entry and V8's capture is a frame walked
    let issued: Issued | undefined;
    try {
      issued = { frames: captureStackLazily(entry), scope: currentScope(), ...(standsIn ? { built: true } : {}) };
    } catch (error) {
      noteFault(label, error);
    }
    if (!issued) return original.apply(this, args);
    const passed = callsBack ? callbacksMarked(args) : args;
    return withEntryIssuer(issued, () => original.apply(this, passed));
  };
  return Object.assign(lend, { [ORIGINAL]: original });
}

/** `args` with each function (a transaction's callback: app code the entry calls back) marked as the caller's (pool-stack.ts). */
function callbacksMarked(args: unknown[]): unknown[] {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg === 'function') args[i] = runsAsCallerCallback(atTopLevel(arg as AnyMethod));
  }
  return args;
}

/** App code an entry calls back is the app's again: its own calls of entries lend (an entry called synchronously from it included). */
function atTopLevel(callback: AnyMethod): AnyMethod {
  return function topLevel(this: unknown, ...args: unknown[]) {
    const outer = entered;
    entered = 0;
    try {
      return callback.apply(this, args);
    } finally {
      entered = outer;
    }
  };
}

const versions = new Map<string, readonly [number, number] | null>();

/**
 * Major and minor version of the copy of `pkg` that `filename` belongs to (its package.json), or
 * undefined when unreadable: an app may hold several copies of one ORM.
 */
export function packageVersion(filename: string, pkg: string): readonly [number, number] | undefined {
  const marker = `/node_modules/${pkg}/`;
  const at = filename.replaceAll('\\', '/').lastIndexOf(marker);
  if (at < 0) return undefined;
  const root = filename.slice(0, at + marker.length);
  let version = versions.get(root);
  if (version === undefined) {
    try {
      const parsed = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version?: unknown };
      const [major, minor] = String(parsed.version).split('.').map(Number);
      version = Number.isInteger(major) ? [major as number, Number.isInteger(minor) ? (minor as number) : 0] : null;
    } catch (error) {
      noteFault(`${pkg} version`, error);
      version = null;
    }
    versions.set(root, version);
  }
  return version ?? undefined;
}
