import type { Finding, ProfileFunction } from '../../capture/types.js';
import { clampShare, formatCount, formatMs, formatPlace, plural } from '../evidence.js';
import { charsetMismatch, charsetMismatchAdvice, charsetMismatchReason } from '../facts/charset-mismatch.js';
import { countedAdvice, countedHint, countedRows, pgCounted } from '../facts/counted-rows.js';
import { deepOffset, skipsFar } from '../facts/deep-offset.js';
import { droppedCountJoin } from '../facts/dropped-count-join.js';
import { writtenAt } from '../facts/hidden-call-site.js';
import { longInList } from '../facts/in-list.js';
import { lateJoin, lateJoinAdvice, lateJoinHint } from '../facts/late-join.js';
import {
  multipliedJoins,
  multipliedJoinsAdvice,
  multipliedJoinsHint,
  multipliedJoinWritten,
} from '../facts/multiplied-joins.js';
import {
  needlessCountJoin,
  needlessJoinAdvice,
  needlessJoinHint,
  needlessJoinWritten,
} from '../facts/needless-join.js';
import { perRowAdvice, perRowHint, perRowSubquery } from '../facts/per-row-subquery.js';
import { keyColumns, PLAN_DIALECT, readPlan, suggestedIndex } from '../facts/plan-facts.js';
import type { QueryFact } from '../facts/query-facts.js';
import { RANDOM_ORDER_WRITTEN, randomOrder, randomOrderAdvice, randomOrderReason } from '../facts/random-order.js';
import { answered, type DiagnosisFacts, type RequestFacts } from '../facts/request-facts.js';
import { requestTimeMs } from '../facts/request-time.js';
import { searchedColumn } from '../facts/searched-column.js';
import {
  sortedExpression,
  sortedExpressionAdvice,
  sortedExpressionReason,
  sortedExpressionWritten,
} from '../facts/sorted-expression.js';
import { sqlShape } from '../facts/sql-shape.js';
import { joinScanAdvice, joinScanHint, joinScanIndex, sqliteJoins } from '../facts/sqlite-join-scans.js';
import {
  UNFILTERED_WRITE_WRITTEN,
  unfilteredWrite,
  unfilteredWriteAdvice,
  unfilteredWriteReason,
} from '../facts/unfiltered-write.js';
import { conversionAdvice, conversionReason, unusableKeyOn } from '../facts/unusable-key.js';
import { wildcardAdvice, wildcardColumns } from '../facts/wildcard-search.js';
import { unwrapSuggestion, wrappedReason } from '../facts/wrapped-columns.js';
import { noteQuerySite } from '../query-site.js';
import { type Rule, severityFor } from '../rule.js';
import type { TableDeclaration } from '../schema/declaration.js';
import { declaredIndexAdvice, declaredIndexHint, knownIndex } from '../schema/declared-index.js';
import { schemaPlace } from '../schema/schema-place.js';
import { settings } from '../settings.js';
import type { ReadSource } from '../snippets.js';
import { bytesPerRowSent, noLineReason } from './excess-rows.js';
import { keptShare, MIN_UNREAD_SHARE, UNSELECTIVE_ADVICE, unselectiveHint, unselectiveShare } from './kept-share.js';
import { planKey } from './scan-groups.js';
import {
  alsoScannedWords,
  capitalised,
  describeFilteredRead,
  indexedAdvice,
  listAdvice,
  MATERIALIZED_ADVICE,
  otherScans,
  SKIPPING_ADVICE,
  schemaLocation,
  skippingHint,
  slowEvidence,
  suggestionFor,
  walkedRead,
  whereToAdd,
} from './slow-query-words.js';
import { slowStatements } from './slow-statements.js';
import {
  callersOf,
  chainLine,
  comparedLine,
  LIKE,
  lineInFile,
  offsetLine,
  wrappedLine,
  wrappedOn,
  writtenLine,
} from './statement-lines.js';

/**
 * One statement that takes long by itself, in most runs of its endpoint
 * (a single outlier among three runs is noise, not a missing index). Blamed
 * where the statement is written, since the fix is the statement or an index;
 * when the fix is an index and the application declares the table's schema in
 * its code, blamed there (beside the table's other indexes), the statement's
 * line kept in the evidence.
 */
export const slowQuery: Rule = {
  id: 'slow-query',
  kind: 'cause',
  describe: `one statement takes >= ${settings.slowQueryMs} ms, or >= ${settings.slowQueryShare * 100}% of its request (>= ${settings.slowQueryMinMs} ms; >= ${settings.unindexedFilterShare * 100}% and >= ${settings.unindexedFilterMinMs} ms when its plan reads a whole table to filter it or to sort it for a LIMIT), in most runs`,
  run(facts) {
    return facts.requests.filter(answered).flatMap((request) => findingsFor(request, facts));
  },
};

function findingsFor(request: RequestFacts, facts: DiagnosisFacts): Finding[] {
  const profiled = facts.capture.profile?.functions;
  return slowStatements(request).map(({ query, perQuery, together }) =>
    describe(request, query, perQuery, facts.schema ?? [], facts.readSource, together, profiled),
  );
}

function describe(
  request: RequestFacts,
  query: QueryFact,
  perQuery: number,
  schema: readonly TableDeclaration[],
  readSource: ReadSource | undefined,
  /** Statements that need the same index, `query` among them: `perQuery` is then their sum. */
  together?: readonly QueryFact[],
  /** The app functions the profile saw run: where an awaited function returns the statement unawaited. */
  profiled?: readonly ProfileFunction[],
): Finding {
  const { request: record, endpoint } = request;
  const requestMs = requestTimeMs(record);
  const shape = sqlShape(query.sql);
  // a builder's statement is written where the builder was made (Knex: the repository's chain), not awaited
  const queried = writtenAt(query, profiled, readSource);
  let savesMs = Math.min(requestMs, perQuery * query.count * 0.9);
  const rows = query.rowsKnown ? formatCount(query.rows / query.count) : 'unknown';
  const reading = query.plan ? readPlan(query.driver, query.plan, query.sql) : undefined;
  // a table read in full only to drive lookups of the filtered one is not where the index goes
  const driven = reading?.filteredReads?.find((read) => read.drivenBy !== undefined);
  // SQLite: a table read whole once per row of the join's outer table costs their product, more than any sort;
  // a table it indexes for the statement on every run is read whole once per run, for the index the schema lacks
  const joinScans = query.plan && !PLAN_DIALECT[query.driver] ? sqliteJoins(query.plan, query.sql) : [];
  // a page far from the start costs its skipped rows however the table is read: the read is not the fix
  const far = skipsFar(query.offsetRows, query.rows / query.count);
  // a subquery run once per outer row reads more than the outer table's small whole read: no index on it helps
  const perRow = query.plan ? perRowSubquery(query.driver, query.plan, query.sql, query.rows / query.count) : undefined;
  const skipsRead = far || perRow !== undefined;
  const scannedTable = skipsRead
    ? undefined
    : (joinScans[0]?.table ?? reading?.scanned.find((t) => t !== driven?.drivenBy));
  const filteredRead = scannedTable || skipsRead ? undefined : (driven ?? reading?.filteredReads?.[0]);
  const indexedTable = scannedTable ?? filteredRead?.table;
  const wildcards = wildcardColumns(query.driver, query.leadingWildcard, query.plan);
  const scan = reading?.scans?.find((s) => s.table === indexedTable);
  const kept = keptShare(query, shape.table, scannedTable, reading);
  // rows the statement returns are read and sent with or without an index: only the rest is saved
  if (kept !== undefined) savesMs *= Math.max(MIN_UNREAD_SHARE, 1 - kept);
  const joinKey = joinScans[0]?.column;
  const keyFromPlan = joinKey ? [joinKey] : indexedTable ? planKey(reading?.scans, indexedTable) : undefined;
  // a filter that wraps a column of the table read whole is fixed in the statement (no index on the column would
  // serve it), unless PostgreSQL's plan keys the scan by the expression itself: then the expression's index is one fix
  // so is one on a table read through an index whose rows a Filter then discards: the wrapped comparison is that
  // Filter (a range on the column itself would have gone into the index's condition)
  const wrappedTable = scannedTable ?? filteredRead?.table;
  const wrapped =
    wrappedTable && !keyFromPlan?.some((key) => key.includes('('))
      ? wrappedOn(wrappedTable, query.sql, shape.table)
      : undefined;
  // the statement's filter or page is on a table the plan joins after the full read: the join's start is the fix
  const late = scannedTable && query.plan ? lateJoin(query.plan, query.sql, scannedTable) : undefined;
  // a list naming a large share of the table's keys is read whole whatever its indexes: the list is the fix
  const listed = scannedTable && !wrapped && !late ? longInList(query.sql, scannedTable) : undefined;
  // a total counted over most of a table costs its rows whatever the indexes: counting less is the fix
  const counted = query.plan && !wrapped && !listed ? countedRows(query.driver, query.plan, query.sql) : undefined;
  // a distinct count through a LEFT JOIN nothing else uses reads the joined rows only to fold them back
  // so does a plain count over a LEFT JOIN PostgreSQL drops: the join's column keeps the count off its index
  const needless =
    needlessCountJoin(query.sql) ??
    (query.plan && PLAN_DIALECT[query.driver] === 'postgresql' ? droppedCountJoin(query.sql, query.plan) : undefined);
  // child tables crossed per row before a GROUP BY folds them back: their product is the cost, no read an index saves
  const multiplied = needless ? undefined : multipliedJoins(query.sql, query.plan, PLAN_DIALECT[query.driver]);
  // an index the server has but could not use: the statement compares its column with another type's value
  const converted = indexedTable && !wrapped ? unusableKeyOn(query.plan, indexedTable, query.sql) : undefined;
  // a join of columns the schema declares in two character sets: the narrower one is converted on every row
  const mismatched =
    indexedTable && !wrapped && !converted && PLAN_DIALECT[query.driver] === 'mysql'
      ? charsetMismatch(query.sql, indexedTable, schema)
      : undefined;
  // a random order sorts every row the filter keeps, however the filter is indexed
  const random = reading && (scannedTable || filteredRead) ? randomOrder(query.sql) : undefined;
  // so does an order by a function of columns: an index keeps the columns' order, not the function's
  const sortedBy =
    scannedTable && !random && !wrapped && (scan ? scan.sorted : reading?.sorted)
      ? sortedExpression(query.sql)
      : undefined;
  const countedTable = counted ? (indexedTable ?? shape.table) : undefined;
  // MariaDB ran the statement: a filter that keeps most of what it reads is narrowed by no index
  const unselective = scannedTable && !counted && !wrapped ? unselectiveShare(reading, scannedTable) : undefined;
  // an UPDATE or DELETE of the whole table, where the request changed a few rows: the missing WHERE is the fix
  const unfiltered = unfilteredWrite(query.sql);
  const proposed =
    needless || multiplied
      ? undefined
      : (joinScanIndex(joinScans[0]) ??
        (indexedTable &&
        !wrapped &&
        !late &&
        !listed &&
        !counted &&
        !converted &&
        !mismatched &&
        !random &&
        !sortedBy &&
        unselective === undefined
          ? suggestedIndex(indexedTable, query.sql, wildcards, keyFromPlan, scan?.containment)
          : undefined));
  const searchTable = indexedTable ?? shape.table;
  const wildcard =
    wildcards.length > 0 && searchTable ? wildcardAdvice(query.driver, searchTable, wildcards, query.sql) : undefined;
  // the index goes where the app declares the table; a leading wildcard is fixed in the statement (full-text search)
  const columns =
    indexedTable && proposed
      ? keyColumns(indexedTable, query.sql, keyFromPlan).filter((c) => !searchedColumn(c, wildcards))
      : [];
  // an index the app declares already is not one to add: the database lacks it, or the planner passes it over
  const declared = indexedTable && proposed && !wildcard ? knownIndex(indexedTable, columns, schema) : undefined;
  const index = declared ? undefined : proposed;
  const place = indexedTable && index && !wildcard ? schemaPlace(indexedTable, schema) : undefined;
  // a page far from the start, reached by walking and dropping every row before it: no index helps
  const skipping =
    !scannedTable && !filteredRead && (query.plan || far)
      ? deepOffset(query.driver, query.plan ?? [], query.sql, query.rows / query.count, query.offsetRows)
      : undefined;
  if (skipping?.walked) savesMs *= Math.max(MIN_UNREAD_SHARE, 1 - query.rows / query.count / skipping.walked);
  // a table the plan reads whole for a join, with nothing to index and no rewrite known: no saving can be claimed
  const noFix =
    scannedTable !== undefined &&
    !index &&
    !wildcard &&
    !(wrapped || late || listed || counted || converted || mismatched || random || sortedBy || multiplied) &&
    !(needless || unfiltered || declared) &&
    !(unselective !== undefined || joinScans.length > 0 || reading?.materialized?.includes(scannedTable));
  if (noFix) savesMs *= MIN_UNREAD_SHARE;
  const location =
    unfiltered && queried
      ? (writtenLine(UNFILTERED_WRITE_WRITTEN, queried, readSource, callersOf(query, queried)) ?? queried)
      : needless && queried
        ? (writtenLine(needlessJoinWritten(needless), queried, readSource, callersOf(query, queried)) ?? queried)
        : multiplied && queried
          ? (writtenLine(multipliedJoinWritten(multiplied), queried, readSource, callersOf(query, queried)) ??
            lineInFile(multipliedJoinWritten(multiplied), queried, readSource) ??
            queried)
          : skipping && queried
            ? (offsetLine(queried, readSource) ?? queried)
            : counted
              ? queried
              : random && queried
                ? (writtenLine(RANDOM_ORDER_WRITTEN, queried, readSource, callersOf(query, queried)) ?? queried)
                : sortedBy && queried
                  ? (writtenLine(sortedExpressionWritten(sortedBy), queried, readSource, callersOf(query, queried)) ??
                    lineInFile(sortedExpressionWritten(sortedBy), queried, readSource) ??
                    queried)
                  : converted && queried
                    ? (comparedLine(converted.column, queried, readSource, callersOf(query, queried)) ?? queried)
                    : mismatched
                      ? mismatched.declaredAt
                      : // the schema names where the index goes even when no app frame names where the statement runs
                        place
                        ? schemaLocation(place, queried, columns, readSource)
                        : wrapped && queried
                          ? (wrappedLine(wrapped, queried, readSource, callersOf(query, queried)) ?? queried)
                          : ((wildcard ? chainLine(query, wildcards, false, readSource, LIKE) : undefined) ??
                            chainLine(query, columns, Boolean(scan ? scan.sorted : reading?.sorted), readSource) ??
                            queried);
  // PostgreSQL says which scan a Sort orders: a sort of a few joined rows is not a sort of the scanned table
  // MySQL sorts at the join's first table: the rows of a table joined after it are not sorted by themselves
  const sortsJoined = reading?.sortedTable !== undefined && reading.sortedTable !== scannedTable;
  const sorts = (scan ? scan.sorted : reading?.sorted && !sortsJoined) ? ' and sorts it' : '';
  // the other tables the plan reads in full to filter or to match a join: each wants its own index
  const others = otherScans(reading?.scans ?? [], scannedTable, query.sql, wildcards, schema);
  const alsoScanned = alsoScannedWords(others);
  const materialized = scannedTable !== undefined && (reading?.materialized ?? []).includes(scannedTable);
  const hint = unfiltered
    ? unfilteredWriteReason(unfiltered, rows, query.sql)
    : perRow
      ? perRowHint(perRow)
      : needless
        ? needlessJoinHint(needless, query.plan && pgCounted(query.plan))
        : multiplied
          ? multipliedJoinsHint(multiplied)
          : countedTable && counted
            ? countedHint(countedTable, counted)
            : random
              ? randomOrderReason(
                  random,
                  scannedTable
                    ? `all of ${scannedTable}`
                    : `${filteredRead?.readRows === undefined ? 'a range' : `≈${formatCount(filteredRead.readRows)} rows`} of ${filteredRead?.table}`,
                )
              : scannedTable
                ? joinScans.length > 0
                  ? joinScanHint(joinScans, index)
                  : materialized
                    ? `: the plan builds the nested join over all of ${scannedTable} whole (MATERIALIZE) before the outer rows meet it, so the statement's filter never narrows it`
                    : late
                      ? lateJoinHint(scannedTable, sorts, late)
                      : listed
                        ? `: the plan reads all of ${scannedTable}${sorts}, since the statement lists ${formatCount(listed.values)} values of ${listed.column}, a share of its rows no index on ${listed.column} narrows`
                        : unselective !== undefined
                          ? unselectiveHint(scannedTable, sorts, unselective)
                          : sortedBy
                            ? `: the plan reads all of ${scannedTable}${sorts}, since ${sortedExpressionReason(sortedBy)}${alsoScanned}`
                            : wrapped || converted || mismatched
                              ? `: the plan reads all of ${scannedTable}${sorts}, since ${converted ? conversionReason(converted) : mismatched ? charsetMismatchReason(mismatched) : wrapped ? wrappedReason(wrapped) : ''}${alsoScanned}`
                              : `: the plan reads ${scan?.walkedIndex ? walkedRead(scan) : `all of ${scannedTable}`}${sorts}${scan?.probes && index ? ` to match ≈${formatCount(scan.probes.hashedRows)} rows of the join by ${scan.probes.columns.join(', ')}` : ''}${index ? ` (${index})` : ''}${alsoScanned}${wildcard ? `; ${wildcard}` : ''}`
                : filteredRead
                  ? `: ${describeFilteredRead(filteredRead, converted ? conversionReason(converted) : wrapped && wrappedReason(wrapped))}${filteredRead.sortedForPage ? '' : sorts}${index ? ` (${index})` : ''}${wildcard ? `; ${wildcard}` : ''}`
                  : wildcard
                    ? `: ${wildcard}`
                    : skipping
                      ? skippingHint(skipping)
                      : reading && reading.scanned.length === 0
                        ? `: its plan reads through indexes, ${plural(Math.round(query.rows / query.count), 'row')} a statement`
                        : shape.filtered || /\border\s+by\b/i.test(query.sql)
                          ? ': check its plan for a scan of a filtered or sorted column'
                          : '';
  // A plan that reads through an index, for rows the response carries, is as fast as that answer gets here;
  // an ORM's eager join returns a few child rows per item (an event's ticket types), a GraphQL batch the nested
  // lists of every item (a course's lessons): still the answer's rows, short of what excess-rows calls too many.
  const perStatement = query.rows / query.count;
  const items = Math.max(request.items, 1);
  const servedByIndex =
    reading !== undefined &&
    reading.scanned.length === 0 &&
    !filteredRead &&
    !perRow &&
    !counted &&
    !needless &&
    !multiplied &&
    // a response that carries the rows (a CSV export, a page of wide items) needs them read, however fast
    (record.bytes >= perStatement * bytesPerRowSent(query.sql) ||
      perStatement <= ROWS_PER_ITEM_SERVED * items ||
      perStatement < settings.excessRowsMin ||
      perStatement < settings.excessRowsPerItem * items);
  const finding: Finding = {
    endpoint,
    rule: slowQuery.id,
    severity: servedByIndex && !skipping ? 'info' : severityFor(savesMs, requestMs),
    title: `${endpoint} spends ${formatMs(perQuery)} in ${together ? `${together.length} queries` : 'one query'}${shape.table ? ` on ${shape.table}` : ''} at ${formatPlace(queried)}${hint}${place && indexedTable ? `; ${whereToAdd(place, indexedTable, location)}` : ''}${declared ? declaredIndexHint(declared, columns) : ''}`,
    impact: clampShare(savesMs / Math.max(requestMs, 1e-9)),
    savesMs,
    evidence: slowEvidence(request, query, perQuery, place ? queried : null, together),
    suggestion: unfiltered
      ? unfilteredWriteAdvice(unfiltered, formatPlace(location))
      : perRow
        ? perRowAdvice(perRow)
        : declared && indexedTable
          ? declaredIndexAdvice(declared, indexedTable, columns)
          : needless
            ? needlessJoinAdvice(needless, formatPlace(location))
            : multiplied
              ? multipliedJoinsAdvice(multiplied, formatPlace(location))
              : countedTable
                ? countedAdvice(countedTable)
                : random
                  ? randomOrderAdvice(formatPlace(location))
                  : sortedBy && scannedTable
                    ? sortedExpressionAdvice(
                        sortedBy,
                        scannedTable,
                        query.sql,
                        PLAN_DIALECT[query.driver],
                        formatPlace(location),
                      )
                    : skipping
                      ? SKIPPING_ADVICE
                      : joinScans.length > 0
                        ? joinScanAdvice(
                            joinScans,
                            index,
                            place ? `${capitalised(whereToAdd(place, joinScans[0]?.table ?? '', location))}: ` : '',
                          )
                        : late && scannedTable
                          ? lateJoinAdvice(scannedTable, late)
                          : materialized
                            ? MATERIALIZED_ADVICE
                            : listed && scannedTable
                              ? listAdvice(scannedTable, listed.column)
                              : converted
                                ? conversionAdvice(converted, formatPlace(location))
                                : mismatched
                                  ? charsetMismatchAdvice(mismatched)
                                  : unselective !== undefined
                                    ? UNSELECTIVE_ADVICE
                                    : wrapped
                                      ? unwrapSuggestion(wrapped, formatPlace(location))
                                      : !index && !wildcard && reading?.scanned.length === 0 && !filteredRead
                                        ? indexedAdvice(query.count)
                                        : `${place && indexedTable ? `${capitalised(whereToAdd(place, indexedTable, location))}: ` : ''}${suggestionFor(index && [index, ...others.filter((other) => !other.declared).map((other) => other.index)].join('; '), wildcard, scannedTable)}`,
  };
  if (location) finding.location = location;
  else finding.noAppLine = noLineReason(query);
  if (place && queried) noteQuerySite(finding, queried);
  return finding;
}

/** Rows per response item a statement read through indexes may return and still be the answer's own. */
const ROWS_PER_ITEM_SERVED = 5;
