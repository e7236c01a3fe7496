import type { Finding, ProfileFunction, SourceLocation } from '../../capture/types.js';
import { clampShare, formatCount, formatMs, formatPlace } from '../evidence.js';
import {
  type AccumulatorCopy,
  accumulatorCopy,
  accumulatorCopyAdvice,
  accumulatorCopyReason,
} from '../facts/accumulator-copy.js';
import { asyncFormAdvice, isAsyncNodeForm } from '../facts/async-node-call.js';
import type { CpuHotspot } from '../facts/cpu-facts.js';
import { innerSearch, SEARCH_METHODS } from '../facts/inner-search.js';
import type { QueryFact } from '../facts/query-facts.js';
import type { DiagnosisFacts, RequestFacts } from '../facts/request-facts.js';
import { hotspotMsInRequest, requestTimeMs } from '../facts/request-time.js';
import { isSyncQueryWork, issuedBy, syncQueryMs } from '../facts/sync-queries.js';
import { callLine, HOT_HEADER, HOT_LINE, passedLine } from '../refine-lines.js';
import { type Rule, severityFor } from '../rule.js';
import { settings } from '../settings.js';
import type { ReadSource } from '../snippets.js';
import { multiplyingCall, passesCallerInput, type RepeatedPass, repeatedPass } from './call-fan-out.js';

/**
 * An application function that spends a large share of the request's CPU,
 * its own or in what it calls: a synchronous library call (`pbkdf2Sync`,
 * `JSON.parse`, a regex), a function called hundreds of thousands of times,
 * or plain hot code. Sampled time is charged to the innermost app frame, so
 * the finding names code the user can change, never a library's internals.
 */
export const cpuHotspot: Rule = {
  id: 'cpu-hotspot',
  kind: 'cause',
  describe: `one application function spends >= ${settings.hotShare * 100}% of the sampled CPU (>= ${settings.hotMinMs} ms per request), itself or in the calls it makes`,
  run(facts) {
    if (!facts.cpu) return [];
    const request = facts.requests.length === 1 ? facts.requests[0] : undefined;
    const requestMs = request ? requestTimeMs(request.request) : facts.cpu.busyMsPerRequest;
    return facts.cpu.hotspots
      .filter((h) => h.share >= settings.hotShare && h.msPerRequest >= settings.hotMinMs)
      .map((hotspot) => describe(hotspot, requestMs, request, facts));
  },
};

/** Where the function spends its own time (its hottest line), else where it starts. */
function locationOf(fn: ProfileFunction, ownTime: boolean): SourceLocation | undefined {
  if (!fn.file || fn.line === 0) return undefined;
  const line = ownTime && fn.hotLine !== undefined ? fn.hotLine : fn.line;
  return { file: fn.file, line, column: line === fn.line ? fn.column : 1, functionName: fn.name };
}

function calleeName(fn: ProfileFunction): string {
  return fn.package ? `${fn.package}'s ${fn.name}` : fn.category === 'node' ? `Node's ${fn.name}` : fn.name;
}

function describe(
  hotspot: CpuHotspot,
  requestMs: number,
  traced: RequestFacts | undefined,
  facts: DiagnosisFacts,
): Finding {
  const { fn } = hotspot;
  const endpoint = traced?.endpoint;
  // in the traced request's time, the unit of every other cause (see request-time.ts)
  const msPerRequest = hotspotMsInRequest(hotspot, traced?.request);
  const scale = msPerRequest / Math.max(hotspot.msPerRequest, 1e-9);
  const callee = hotspot.topCallee && hotspot.topCallee.share >= 0.5 ? hotspot.topCallee : undefined;
  const built = hotspot.builtBy ? buildingQuery(fn.name, traced) : undefined;
  // a synchronous driver's statement runs inside the call that issued it: the function's time is that query
  const ranQuery = !built && isSyncQueryWork(hotspot, traced) ? ownSyncQuery(fn, traced) : undefined;
  const reloaded = built || ranQuery ? undefined : reloadedPerRequest(hotspot);
  const multiplied =
    built || ranQuery || reloaded
      ? undefined
      : multipliedByCaller(
          hotspot,
          traced,
          facts.readSource,
          appCallers(facts),
          facts.capture.profile?.countedRequests ?? 0,
        );
  // a callback that copies what it gathered on every call: quadratic, however few calls the profile counts
  const copied =
    built || ranQuery || reloaded || multiplied || callee ? undefined : copiedAccumulator(fn, facts.readSource);
  // a search through a list inside the function's loop, inlined into it: the counts show its callback's calls
  const profile = facts.capture.profile;
  const inner =
    built || ranQuery || reloaded || multiplied || callee || copied
      ? undefined
      : innerSearch(fn, profile?.functions ?? [], profile?.countedRequests ?? 0, facts.readSource);
  const location =
    built?.statementLine ??
    ranQuery?.statementLine ??
    (reloaded
      ? callerLocation(reloaded)
      : multiplied
        ? multiplied.at
        : copied || inner
          ? {
              file: fn.file,
              line: (copied ?? inner)?.line ?? fn.line,
              column: 1,
              // an anonymous function is named by its place already
              ...(fn.name.startsWith('(anonymous') ? {} : { functionName: fn.name }),
            }
          : locationOf(fn, !callee));
  // an anonymous function is already named by its place (`(anonymous a.ts:26)`): say the place once
  const where = fn.name.startsWith('(anonymous')
    ? `the function at ${fn.file}:${inner ? fn.line : (location?.line ?? fn.line)}`
    : `${fn.name} (${fn.file}:${inner ? fn.line : (location?.line ?? fn.line)})`;
  const subject = endpoint ? `${endpoint}: ` : '';
  const calls = hotspot.callsPerRequest ?? 0;
  let title: string;
  let rule: string;
  if (reloaded) {
    // the work is right, its repetition is not: the call that runs it on every request is the line to change
    rule = 'reloaded-per-request';
    title = `${subject}${fn.name} (${fn.file}:${fn.line}) reads and rebuilds its data on every request, called at ${formatPlace(location)}: ${formatMs(msPerRequest)} per request`;
  } else if (ranQuery) {
    rule = 'library-call';
    title = `${subject}${where} runs its query synchronously (${ranQuery.driver}): ${formatMs(Math.min(syncQueryMs(fn, traced), msPerRequest))} of its ${formatMs(msPerRequest)} per request is the database's work`;
  } else if (multiplied?.repeated) {
    rule = 'call-explosion';
    const { pass, caller, runsPerRequest, callsPerRun, callee: passCallee } = multiplied.repeated;
    title = `${subject}${pass.name} runs ${formatCount(runsPerRequest)} times per request, once in each call of ${caller.name}, and each run calls ${passCallee.name} ${formatCount(callsPerRun)} times: ${fn.name} is called ${formatCount(calls)} times from ${formatPlace(location)}, ${formatMs(msPerRequest)} per request`;
  } else if (multiplied) {
    // the calls, not the function, are the cost: a scan of the whole list for each of its items
    rule = 'call-explosion';
    title = `${subject}${fn.name} is called ${formatCount(calls)} times per request, ${formatCount(multiplied.perRow)} times for each of the ${formatCount(multiplied.rows)} rows or items: the calls multiply at ${formatPlace(location)}, ${formatMs(msPerRequest)} per request`;
  } else if (built && callee) {
    // the class line only passes the row to the ORM's constructor: the query that returned the rows decides the cost
    rule = 'library-call';
    title = `${subject}building ${formatCount(built.rows / built.count)} ${fn.name} instances (${calleeName(callee.fn)}) for the query at ${formatPlace(location)} takes ${formatMs(msPerRequest)} per request`;
  } else if (callee) {
    // Node's and V8's own work (crypto, JSON, regex) runs on the event loop; a library's call may be mostly waiting
    rule = callee.fn.category === 'node' || callee.fn.category === 'native' ? 'blocking-call' : 'library-call';
    title = `${subject}${where} spends ${formatMs(callee.msPerRequest * scale)} per request in ${calleeName(callee.fn)}${callee.through ? `, ${percent(callee.through.share)} of it in ${calleeName(callee.through.fn)}` : ''}`;
  } else if (inner) {
    rule = 'call-explosion';
    const around = inner.within
      ? `${inner.within.name}'s ${formatCount(inner.within.callsPerRequest)} calls (inlined into ${fn.name})`
      : `its ${formatCount(calls)} calls`;
    title = `${subject}${where} takes ${formatMs(msPerRequest)} per request: the callback at line ${inner.line}${inner.method ? `, a .${inner.method}() through a list inside a loop,` : ''} runs ${formatCount(inner.callsPerRequest)} times per request, ${formatCount(inner.perCall)} for each of ${around}`;
  } else if (copied) {
    rule = 'call-explosion';
    title = `${subject}${where} takes ${formatMs(msPerRequest)} per request: ${accumulatorCopyReason(copied, Math.round(calls))}`;
  } else if (calls >= settings.callStormPerRequest) {
    rule = 'call-explosion';
    title = `${subject}${where} is called ${formatCount(calls)} times per request and takes ${formatMs(msPerRequest)}`;
  } else {
    rule = 'hot-function';
    title = `${subject}${where} takes ${(hotspot.share * 100).toFixed(0)}% of the request's CPU (${formatMs(msPerRequest)} per request)`;
  }
  const evidence = [
    {
      label: 'CPU charged to it',
      value: `${formatMs(msPerRequest)} per request (${(hotspot.share * 100).toFixed(0)}% of the sampled busy time${traced ? `, of the traced request's ${formatMs(traced.request.cpuMs)} of CPU` : ''})`,
    },
  ];
  if (traced && Math.abs(scale - 1) > 0.1)
    evidence.push({
      label: 'sampled time',
      value: `${formatMs(hotspot.msPerRequest)} per profiled request (samples weigh wall time, so the machine's load at that moment stretches them)`,
    });
  if (reloaded)
    evidence.push({
      label: 'reading files',
      value: `${(hotspot.fileReadShare * 100).toFixed(0)}% of it (${formatMs(msPerRequest * hotspot.fileReadShare)} per request), the rest building from what it read`,
    });
  if (callee)
    evidence.push({
      label: 'in the call',
      value: `${calleeName(callee.fn)}: ${percent(callee.share)} of it${callee.through ? `, and of that ${percent(callee.through.share)} in ${calleeName(callee.through.fn)} (${callee.through.fn.file}:${callee.through.fn.line}), which it reaches` : ''}`,
    });
  if (calls > 0) evidence.push({ label: 'calls', value: `${formatCount(calls)} per request (exact)` });
  if (profile)
    evidence.push({ label: 'profiled', value: `${profile.requestCount} requests, ${formatMs(profile.durationMs)}` });
  const finding: Finding = {
    rule,
    severity: severityFor(msPerRequest, requestMs),
    title,
    impact: clampShare(msPerRequest / Math.max(requestMs, 1e-9)),
    savesMs: msPerRequest,
    evidence,
    suggestion: ranQuery
      ? 'Ask the database for less: filter, sort and page in SQL (WHERE, ORDER BY, LIMIT), select the columns needed, and index what the query filters on. A synchronous driver blocks the event loop for as long as the query runs.'
      : multiplied?.repeated
        ? `Run ${multiplied.repeated.pass.name} once (per request, or once and kept until its input changes) and pass its result to each ${multiplied.repeated.caller.name} call, instead of running the whole pass again for every item.`
        : multiplied?.sorts
          ? `Sort the list once, before the loop (compute each item's sort key once too), and reuse the order for every item, instead of sorting the whole list again for each one.`
          : multiplied
            ? 'Index the items once by what is compared (a Map or Set keyed by it), then look each one up, instead of going through the whole list for every item.'
            : reloaded
              ? `Load it once (at start-up or on first use) and reuse the result; if the file can change, reload it on a timer or when it changes, not per request.`
              : built
                ? `Fetch fewer rows there (a page, the columns needed), or plain rows where ${fn.name} instances are not needed (Sequelize \`raw: true\`, TypeORM \`getRawMany()\`, an ORM's lean/raw mode).`
                : callee
                  ? callee.through && rule === 'library-call'
                    ? throughAdvice(callee.fn, callee.through.fn)
                    : rule === 'blocking-call'
                      ? isAsyncNodeForm(callee.fn.name)
                        ? asyncFormAdvice(callee.fn.name)
                        : `Move ${callee.fn.name} off the request path (do it once, cache it, or use the asynchronous form).`
                      : searchesPerItem(callee.fn.name, calls, traced ? [traced] : facts.requests)
                        ? `${callee.fn.name} goes through the whole list on each of the ${formatCount(calls)} calls, and the list grows with the rows: index the items once by what is compared (a Map or Set keyed by it) and look each one up.`
                        : `Call ${callee.fn.name} fewer times on this path (batch the calls, or cache what it returns), or give it less to do (fewer relations, columns or rows): its own code costs this CPU, whatever the database does.`
                  : inner
                    ? `Index the list once, before the loop (a Map or Set keyed by what the callback compares), and look each element up at ${formatPlace(location)}, instead of ${inner.method ? `.${inner.method}()` : 'the callback'} going through the whole list for every element.`
                    : copied
                      ? accumulatorCopyAdvice(copied, formatPlace(location))
                      : calls >= settings.callStormPerRequest
                        ? 'Do the work once outside the loop (create objects once, index by key) instead of per call.'
                        : 'Look for work repeated per item (nested loops, linear searches): an index (Map/Set) or a single pass usually removes it.',
  };
  if (endpoint) finding.endpoint = endpoint;
  if (built) evidence.push({ label: 'built by', value: `${hotspot.builtBy} from the rows of: ${built.sql}` });
  // a synchronous query's finding is already on the statement's line, a multiplied one on the multiplying call's
  if (reloaded) finding.callee = fn.name;
  else if (multiplied) finding.callee = multiplied.callee;
  else if (ranQuery) finding.calleePackage = ranQuery.driver;
  else if (callee) finding.callee = callee.fn.name;
  // own time on the line where the function starts: a transform wrote it on one line, its lines are unknown
  else finding.callee = location?.line === fn.line && fn.hotLine === fn.line ? HOT_HEADER : HOT_LINE;
  if (callee?.fn.package && !ranQuery) finding.calleePackage = callee.fn.package;
  if (location) finding.location = location;
  else finding.noAppLine = 'the function has no source position (eval or native)';
  return finding;
}

/** The accumulator `fn` copies on each call, read from its source. */
function copiedAccumulator(fn: ProfileFunction, readSource: ReadSource | undefined): AccumulatorCopy | undefined {
  if (!fn.file || fn.line <= 0) return undefined;
  const lines = readSource?.(fn.file.replace(/^file:\/\//, ''))?.split(/\r?\n/);
  return lines ? accumulatorCopy(lines, fn.line) : undefined;
}

/** The longest-running query `fn` issued itself (the one its time is), when it has a statement line. */
function ownSyncQuery(fn: ProfileFunction, request: RequestFacts | undefined): QueryFact | undefined {
  const own = (request?.queries ?? []).filter((query) => query.statementLine && issuedBy(query, fn));
  return own.sort((a, b) => b.durationMs - a.durationMs)[0];
}

/** Share of a once-per-request function's time in file reads that makes it a reload: JSON.parse, often most of the rest, runs inside its own frame. */
const RELOAD_READ_SHARE = 0.05;

/**
 * A function run once per request that reads files and builds from them
 * (`JSON.parse(readFileSync(config))`, then maps): a load that belongs at
 * start-up, repeated per request. Its app caller is where that is decided.
 */
function reloadedPerRequest(hotspot: CpuHotspot): ProfileFunction | undefined {
  const calls = hotspot.callsPerRequest;
  if (calls === undefined || calls < 0.99 || calls > 1.01 || hotspot.fileReadShare < RELOAD_READ_SHARE)
    return undefined;
  const caller = hotspot.appCaller;
  return caller?.file && caller.line > 0 ? caller : undefined;
}

/** A library's or the language's search through a list, item by item (lodash's findIndex, Array's includes). */
const LINEAR_SEARCH = new RegExp(`^(?:${SEARCH_METHODS}|baseFindIndex)$`);

/**
 * A linear search run by an app function called once or more for each row or item: a lookup in a list that is
 * searched whole per row (`_.findIndex(result, ['id', row.id])` while grouping joined rows), quadratic in the rows.
 */
const PER_ROW_SHARE = 0.5;

function searchesPerItem(name: string, calls: number, requests: readonly RequestFacts[]): boolean {
  // each traced run read the same rows: the fewest of them is what every run handled; the request's other
  // statements (its session, its settings) add rows no loop goes through, hence about once per row
  const rows = Math.min(...requests.map((request) => Math.max(request.rows, request.items)));
  return LINEAR_SEARCH.test(name) && rows >= 100 && calls >= PER_ROW_SHARE * rows;
}

/** Calls for each row or item the request handled from which the caller's loop, not the function, is the cost. */
const CALLS_PER_ROW_MULTIPLIED = 100;

/**
 * A named function called far more often than the request has rows or items
 * (`sameCharge(a, b)` for every pair of 1,700 expenses: 2.9 million calls),
 * from one app caller whose source calls it by name: the loop around that call
 * multiplies the calls, and the line to change is there (a Map instead of a
 * scan per item). A function called once or a few times per row (a formatter
 * per cell) keeps its own line: its own cost per call is what to cut.
 */
function multipliedByCaller(
  hotspot: CpuHotspot,
  traced: RequestFacts | undefined,
  readSource: ReadSource | undefined,
  callerOf: ReadonlyMap<ProfileFunction, ProfileFunction>,
  countedRequests: number,
): Multiplied | undefined {
  const { fn: hot } = hotspot;
  const calls = hotspot.callsPerRequest ?? 0;
  if (!traced || !hotspot.appCaller || hot.name.startsWith('(anonymous')) return undefined;
  const rows = Math.max(traced.rows, traced.items, 1);
  const multiplying = multiplyingCall(hot, hotspot.appCaller, callerOf);
  const counted = repeatedPass(multiplying.callee, multiplying.caller, callerOf, {
    countedRequests,
    hotCallsPerRequest: calls,
    rows,
  });
  const passCall = counted && callOf(counted.caller, counted.pass.name, readSource);
  // a pass given the per-item function's own input (`formatCells(row)`) does other work for each item
  const repeated =
    passCall && !passesCallerInput(passCall.lines, counted.caller.line, passCall.line, counted.pass.name)
      ? counted
      : undefined;
  if (!repeated && (calls < settings.callStormPerRequest || calls < CALLS_PER_ROW_MULTIPLIED * rows)) return undefined;
  // a pass repeated once per item is changed where the per-item function runs it, not in its own loop
  const { callee: fn, caller } = repeated ? { callee: repeated.pass, caller: repeated.caller } : multiplying;
  const found = callOf(caller, fn.name, readSource);
  if (!found) return undefined;
  const { lines, line } = found;
  const at: SourceLocation = { file: caller.file, line, column: 1 };
  // an inline arrow is named by its place, which the location says already
  if (!caller.name.startsWith('(anonymous')) at.functionName = caller.name;
  // a comparator handed to a sort: the sort itself is what runs once per item
  const sorts = /\.(?:sort|toSorted)\s*\(/.test(lines[line - 1] ?? '');
  return { at, rows, perRow: calls / rows, callee: fn.name, sorts, ...(repeated ? { repeated } : {}) };
}

/** The line of `caller`'s source that calls `callee` by name, or passes it to a built-in, with the file's lines. */
function callOf(
  caller: ProfileFunction,
  callee: string,
  readSource: ReadSource | undefined,
): { lines: string[]; line: number } | undefined {
  if (!caller.file || caller.line === 0) return undefined;
  const lines = readSource?.(caller.file.replace(/^file:\/\//, ''))?.split(/\r?\n/);
  const line = lines ? (callLine(lines, caller.line, callee) ?? passedLine(lines, caller.line, callee)) : undefined;
  return lines && line !== undefined ? { lines, line } : undefined;
}

interface Multiplied {
  at: SourceLocation;
  rows: number;
  perRow: number;
  callee: string;
  sorts: boolean;
  /** The calls multiply because a whole pass runs once per item. */
  repeated?: RepeatedPass;
}

/** Each hot app function's one app caller, where the profile saw one. */
function appCallers(facts: DiagnosisFacts): Map<ProfileFunction, ProfileFunction> {
  const callers = new Map<ProfileFunction, ProfileFunction>();
  for (const hotspot of facts.cpu?.hotspots ?? []) if (hotspot.appCaller) callers.set(hotspot.fn, hotspot.appCaller);
  return callers;
}

/** The caller's first line: refineLines moves it to the line that calls the function (`callee`). */
function callerLocation(caller: ProfileFunction): SourceLocation {
  return { file: caller.file as string, line: caller.line, column: caller.column, functionName: caller.name };
}

/**
 * The read whose rows an ORM built into `className` instances: one naming the
 * class as an alias (Sequelize's `AS "Invoice"`, TypeORM's `"Invoice"."id"`),
 * the one returning the most rows, else the read returning the most rows. Only reads with an app line.
 */
function buildingQuery(className: string, request: RequestFacts | undefined): QueryFact | undefined {
  const reads = (request?.queries ?? []).filter(
    (query) => query.statementLine && query.rows > 0 && /^\s*\(?\s*(?:select|with)\b/i.test(query.sql),
  );
  const alias = new RegExp(`["\`\\[]${className.replaceAll('$', '\\$')}["\`\\]]`);
  const most = (list: readonly QueryFact[]) => [...list].sort((a, b) => b.rows - a.rows)[0];
  // of the reads naming the class (the current user's row in a middleware, the whole table in the handler), the
  // one that returned the most rows built the most instances
  return most(reads.filter((query) => alias.test(query.sql))) ?? most(reads);
}

function percent(share: number): string {
  return `${(share * 100).toFixed(0)}%`;
}

/** The callee is only the way in: the package below it that does the work is what to configure or drop. */
function throughAdvice(callee: ProfileFunction, through: ProfileFunction): string {
  const pkg = through.package ?? calleeName(through);
  return `Most of it runs in ${calleeName(through)}, which ${calleeName(callee)} reaches: ${pkg}'s work (a hook or wrapper it put on what ${callee.name} calls), not ${callee.name}'s own. Make ${pkg} do less on this path (its options, or fewer instances of it), or leave it off here.`;
}
