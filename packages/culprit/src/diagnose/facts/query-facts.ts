/**
 * Queries as diagnosis evidence: each with its application call chain, the
 * line where its statement is written and the line a fix belongs to, across
 * whatever layers the app put between its logic and the driver.
 *
 * Apps rarely call the driver from the handler: a `db.query(sql)` helper or
 * a repository method sits between. Such a frame is a funnel, recognized by
 * what passes through it in the whole capture: several statement shapes
 * (a generic helper) or several calling lines (a shared method). The line to
 * change is outside the funnel, where one caller decided to run this query.
 */
import type {
  BlockingStretch,
  FoldedQueries,
  QueryRecord,
  RequestRecord,
  RowsRead,
  SourceLocation,
} from '../../capture/types.js';
import type { ReadSource } from '../snippets.js';
import { appFramesOf, isAppFrame, libraryCaller, libraryEntry, lineKey, resumedAppFrame } from './app-frames.js';
import { passesStatementThrough } from './query-wrapper.js';
import { waitOf } from './request-time.js';

export interface QueryFact {
  driver: string;
  sql: string;
  /** Statements this fact stands for: 1, or the count of a folded group. */
  count: number;
  /** Rows over those statements (null rows count 0). */
  rows: number;
  rowsKnown: boolean;
  durationMs: number;
  /**
   * The part of durationMs the process was not running synchronously: the
   * wait on the database. Absent when no synchronous stretch fell inside the
   * query (then all of durationMs was a wait).
   */
  waitMs?: number;
  /** Application frames, outermost (the handler) first. */
  chain: SourceLocation[];
  /** The app function an await resumed to issue it, when the stack shows one (app-frames.ts resumedAppFrame). */
  resumedAt?: SourceLocation;
  /** Where the statement is written: the innermost app frame that is not a generic helper. */
  statementLine?: SourceLocation;
  /** Where a fix belongs: out of every funnel (generic helpers and shared methods). */
  site?: SourceLocation;
  /** The library entry point the app called, for queries with no app frame at all. */
  libraryCall?: SourceLocation;
  /** The library frame that called the chain's outermost app frame (GraphQL's executor calling a resolver). */
  libraryCaller?: SourceLocation;
  /** Equal for two statements with equal literal values, within one capture. */
  valuesKey?: string;
  /** The database's plan, when one was asked for. */
  plan?: string[];
  /** Where the app built the statement with a query builder, when the stack names the line that awaited it. */
  builtAt?: SourceLocation;
  /** What the rows weigh and which of their columns are wide (sampled on a first row). */
  read?: RowsRead;
  /** Columns matched with LIKE against a pattern that starts with a wildcard (no B-tree index serves them). */
  leadingWildcard?: string[];
  /** Rows the statement's OFFSET skips, when its value was known. */
  offsetRows?: number;
  error?: string;
}

interface FrameUse {
  shapes: Set<string>;
  /** The statements passing through the line, per caller line. */
  callers: Map<string, Set<string>>;
}

/** What passes through each app line, over every query of the capture. */
export class FunnelIndex {
  private readonly uses = new Map<string, FrameUse>();
  private readonly passing = new Map<string, boolean>();

  /** `passesThrough`: the source says the line hands its function's parameter to the driver as the statement. */
  constructor(
    chains: Iterable<{ sql: string; chain: readonly SourceLocation[] }>,
    private readonly passesThrough?: (frame: SourceLocation) => boolean,
  ) {
    for (const { sql, chain } of chains) {
      for (let i = chain.length - 1; i >= 0; i--) {
        const key = lineKey(chain[i] as SourceLocation);
        let use = this.uses.get(key);
        if (!use) {
          use = { shapes: new Set(), callers: new Map() };
          this.uses.set(key, use);
        }
        use.shapes.add(sql);
        const caller = chain[i - 1];
        const callerKey = caller ? lineKey(caller) : '(entry)';
        const byCaller = use.callers.get(callerKey) ?? new Set<string>();
        byCaller.add(sql);
        use.callers.set(callerKey, byCaller);
      }
    }
  }

  /**
   * Several statement shapes pass through this line, and its callers get different ones: it runs
   * whatever SQL it is given. One ORM call that issues the same few statements whoever calls it
   * (TypeORM's findOne with an eager relation: the ids, then the rows) writes them itself.
   */
  isGeneric(frame: SourceLocation): boolean {
    const key = lineKey(frame);
    if (this.passesThrough) {
      let passes = this.passing.get(key);
      if (passes === undefined) {
        passes = this.passesThrough(frame);
        this.passing.set(key, passes);
      }
      if (passes) return true;
    }
    const use = this.uses.get(key);
    if (!use || use.shapes.size <= 1) return false;
    const [first, ...others] = [...use.callers.values()];
    return others.some((shapes) => shapes.size !== first?.size || [...shapes].some((sql) => !first.has(sql)));
  }

  /** Several lines call through this one: the decision to run the query is made by its callers. */
  isShared(frame: SourceLocation): boolean {
    return (this.uses.get(lineKey(frame))?.callers.size ?? 0) > 1;
  }
}

/** Application frames of a stack (innermost first, as recorded), outermost first. */
export function appChainOf(stack: readonly SourceLocation[] | undefined, location?: SourceLocation): SourceLocation[] {
  const chain = appFramesOf(stack ?? []).reverse();
  if (chain.length === 0 && location && isAppFrame(location)) return [location];
  return chain;
}

/** Steps out of the chain from its innermost frame while `skip` holds; never past the handler. */
function stepOut(
  chain: readonly SourceLocation[],
  skip: (frame: SourceLocation) => boolean,
): SourceLocation | undefined {
  for (let i = chain.length - 1; i >= 0; i--) {
    const frame = chain[i] as SourceLocation;
    if (i === 0 || !skip(frame)) return frame;
  }
  return undefined;
}

function fromRecord(
  query: QueryRecord,
  stretches: readonly BlockingStretch[],
): Omit<QueryFact, 'statementLine' | 'site'> {
  const fact: Omit<QueryFact, 'statementLine' | 'site'> = {
    driver: query.driver,
    sql: query.sql,
    count: 1,
    rows: query.rows ?? 0,
    rowsKnown: query.rows !== null,
    durationMs: query.durationMs,
    chain: appChainOf(query.stack, query.location),
  };
  const resumed = resumedAppFrame(query.stack ?? []);
  if (resumed) fact.resumedAt = resumed;
  const waitMs = waitOf(query, stretches);
  if (waitMs < query.durationMs) fact.waitMs = waitMs;
  const library = libraryEntry(query.stack ?? []);
  if (library) fact.libraryCall = library;
  const caller = libraryCaller(query.stack ?? []);
  if (caller) fact.libraryCaller = caller;
  if (query.valuesKey !== undefined) fact.valuesKey = query.valuesKey;
  if (query.plan !== undefined) fact.plan = query.plan;
  if (query.read !== undefined) fact.read = query.read;
  if (query.builtAt !== undefined && isAppFrame(query.builtAt)) fact.builtAt = query.builtAt;
  if (query.leadingWildcard !== undefined) fact.leadingWildcard = query.leadingWildcard;
  if (query.offsetRows !== undefined) fact.offsetRows = query.offsetRows;
  if (query.error !== undefined) fact.error = query.error;
  return fact;
}

function fromFolded(group: FoldedQueries): Omit<QueryFact, 'statementLine' | 'site'> {
  const fact: Omit<QueryFact, 'statementLine' | 'site'> = {
    driver: group.driver,
    sql: group.sql,
    count: group.count,
    rows: group.rows,
    rowsKnown: true,
    durationMs: group.durationMs,
    chain: appChainOf(group.stack, group.location),
  };
  const resumed = resumedAppFrame(group.stack ?? []);
  if (resumed) fact.resumedAt = resumed;
  const library = libraryEntry(group.stack ?? []);
  if (library) fact.libraryCall = library;
  const caller = libraryCaller(group.stack ?? []);
  if (caller) fact.libraryCaller = caller;
  if (group.read !== undefined) fact.read = group.read;
  if (group.errors > 0) fact.error = `${group.errors} of ${group.count} failed`;
  return fact;
}

/** Every query of a request (one by one, then folded groups) as facts, sites resolved through `funnels`. */
export function queryFactsOf(request: RequestRecord, funnels: FunnelIndex): QueryFact[] {
  const stretches = request.blocking ?? [];
  const raw = [
    ...request.queries.map((query) => fromRecord(query, stretches)),
    ...(request.foldedQueries ?? []).map(fromFolded),
  ];
  return raw.map((fact) => {
    const statementLine = stepOut(fact.chain, (frame) => funnels.isGeneric(frame));
    const site = stepOut(fact.chain, (frame) => funnels.isGeneric(frame) || funnels.isShared(frame));
    return { ...fact, ...(statementLine ? { statementLine } : {}), ...(site ? { site } : {}) };
  });
}

/** The funnel index of a whole capture's queries. */
export function funnelsOf(requests: readonly RequestRecord[], readSource?: ReadSource): FunnelIndex {
  const chains: Array<{ sql: string; chain: SourceLocation[] }> = [];
  for (const request of requests) {
    for (const query of request.queries)
      chains.push({ sql: query.sql, chain: appChainOf(query.stack, query.location) });
    for (const group of request.foldedQueries ?? []) {
      chains.push({ sql: group.sql, chain: appChainOf(group.stack, group.location) });
    }
  }
  if (!readSource) return new FunnelIndex(chains);
  return new FunnelIndex(chains, (frame) => {
    const text = readSource(frame.file.replace(/^file:\/\//, ''));
    return text !== undefined && passesStatementThrough(text.split(/\r?\n/), frame);
  });
}

/** Statements that manage a connection or transaction, not data: never N+1 or duplicates. */
export function isControlStatement(sql: string): boolean {
  return /^\s*(begin|commit|rollback|start\s+transaction|savepoint|release|set\s|show\s|select\s+1\b|select\s+version\(|pragma\s)/i.test(
    sql,
  );
}
