/**
 * What a slow-query finding says and where it places a missing index: the
 * wording of a plan's reads, of where to add the index, and of the fix. Pure.
 */
import type { Finding, SourceLocation } from '../../capture/types.js';
import { formatCount, formatMs, formatPlace } from '../evidence.js';
import type { DeepOffset } from '../facts/deep-offset.js';
import type { PgSeqScan } from '../facts/pg-seq-scans.js';
import { type FilteredRead, suggestedIndex } from '../facts/plan-facts.js';
import type { QueryFact } from '../facts/query-facts.js';
import type { RequestFacts } from '../facts/request-facts.js';
import type { TableDeclaration } from '../schema/declaration.js';
import { declaredIndex } from '../schema/declared-index.js';
import { entityColumnLine, propertyIndexLine } from '../schema/entity-column.js';
import type { SchemaPlace } from '../schema/schema-place.js';
import type { ReadSource } from '../snippets.js';
import { slowInRuns } from './slow-in-runs.js';

type Evidence = Finding['evidence'][number];

/** "all of posts_tag_post_unique on each lookup of post_tags, an index that does not lead with post". */
export function walkedRead(scan: PgSeqScan): string {
  return `all of ${scan.walkedIndex} on each lookup of ${scan.table}, an index that does not lead with ${scan.filterColumns.join(', ')}`;
}

/** A table besides the one a finding names that the plan also reads in full, with the index it wants. */
export interface OtherScan {
  scan: PgSeqScan;
  index: string;
  /** The app's own index on the filtered columns, which the plan passes over: no index to add. */
  declared?: TableDeclaration;
}

/**
 * The other tables the plan reads in full: to filter them (an ORM's lateral joins), or, unfiltered, to
 * match the few rows of a hash join's other side (a lookup's eager relation through a link table): each
 * wants its own index, the filter's columns or the join's.
 */
export function otherScans(
  scans: readonly PgSeqScan[],
  named: string | undefined,
  sql: string,
  wildcards: readonly string[],
  schema: readonly TableDeclaration[] = [],
): OtherScan[] {
  return scans.flatMap((other) => {
    if (other.table === named) return [];
    // an index the app declares on the filter, passed over by the planner: the filter keeps most of the rows
    const declared =
      other.filterColumns.length > 0 ? declaredIndex(other.table, other.filterColumns, schema) : undefined;
    if (declared) return [{ scan: other, index: '', declared }];
    // a join's match is found by its join column alone: the statement's ORDER BY is the other table's
    const joined = other.filterColumns.length > 0 ? undefined : (other.probes?.columns ?? other.hashedForPage?.columns);
    const index = joined?.length
      ? `CREATE INDEX ON ${other.table} (${joined.join(', ')})`
      : other.filterColumns.length > 0
        ? suggestedIndex(other.table, sql, wildcards, other.filterColumns, other.containment)
        : undefined;
    return index ? [{ scan: other, index }] : [];
  });
}

/** ", and all of post_tags to match ≈1 row of the join by post_id (CREATE INDEX ON post_tags (post_id))". */
export function alsoScannedWords(others: readonly OtherScan[]): string {
  return others
    .map(({ scan, index, declared }) =>
      declared
        ? `, and all of ${scan.table} to filter it, though the app declares an index on (${declared.columns?.join(', ')}) at ${formatPlace({ file: declared.file, line: declared.line, column: 1 })}: the planner reads the table instead, so its filter keeps most of the rows`
        : scan.walkedIndex
          ? `, and ${walkedRead(scan)} (${index})`
          : scan.filterColumns.length === 0 && scan.probes
            ? `, and all of ${scan.table} to match ≈${formatCount(scan.probes.hashedRows)} ${scan.probes.hashedRows === 1 ? 'row' : 'rows'} of the join by ${scan.probes.columns.join(', ')} (${index})`
            : scan.filterColumns.length === 0 && scan.hashedForPage
              ? `, and hashes all of ${scan.table} to join it by ${scan.hashedForPage.columns.join(', ')} before keeping a page of ${formatCount(scan.hashedForPage.pageRows)} (${index}: without it the sorted index is not walked)`
              : `, and all of ${scan.table} to filter it (${index})`,
    )
    .join('');
}

/**
 * The declaration's place, in the form the query's frames give files (a path, or a file URL; a path when
 * no frame names the query's line). An index
 * of one column on an entity class with no indexes yet is declared on that column's property, and so is one
 * beside an index the class declares on a property (`@Index()` above a column): on its leading column's.
 */
export function schemaLocation(
  place: SchemaPlace,
  queried: SourceLocation | undefined,
  columns: readonly string[],
  readSource: ReadSource | undefined,
): SourceLocation {
  const { file } = place.declaration;
  let { line } = place.declaration;
  const [column] = columns;
  if (place.beside === 'table' && columns.length === 1 && column) {
    const lines = readSource?.(file)?.split(/\r?\n/);
    line = (lines && entityColumnLine(lines, line, column)) ?? line;
  } else if (place.beside === 'index' && column) {
    // beside a property's own @Index(): the new one is written on the property of its leading column
    const lines = readSource?.(file)?.split(/\r?\n/);
    line = (lines && propertyIndexLine(lines, line, column)) ?? line;
  }
  return { file: queried?.file.startsWith('file://') ? `file://${file}` : file, line, column: 1 };
}

/** "add the index beside the other indexes of orders at src/schema.js:27". */
export function whereToAdd(place: SchemaPlace, table: string, at: SourceLocation | undefined): string {
  const where = formatPlace(at);
  if (place.beside === 'index') return `add the index beside the other indexes of ${table} at ${where}`;
  if (place.beside === 'block') return `add the index to the declaration of ${table} and its indexes at ${where}`;
  return `add the index where ${table} is declared, ${where}`;
}

export const capitalised = (text: string): string => `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;

/** "the plan reads tickets through tickets_status_idx (≈66,907 rows) and filters out all but ≈237". */
export function describeFilteredRead(read: FilteredRead, reason?: string): string {
  const why = reason ?? `no index serves the filter on ${read.table}`;
  if (read.drivenBy)
    return `the plan reads all of ${read.drivenBy} and, for each of its rows, ${read.table} through ${read.index}${read.readRows === undefined ? '' : ` (≈${formatCount(read.readRows)} rows in all)`}, filtering them row by row: ${why}`;
  if (read.sortedForPage)
    return `the plan finds ≈${formatCount(read.readRows ?? 0)} rows of ${read.table} through ${read.index} and sorts them all to return one page (ORDER BY … LIMIT): the index does not hold the sort's columns after the filter's`;
  const kept = read.keptRows === undefined ? 'filters them' : `filters out all but ≈${formatCount(read.keptRows)}`;
  const rows = read.readRows === undefined ? ' (a range of it)' : ` (≈${formatCount(read.readRows)} rows)`;
  return `the plan reads ${read.table} through ${read.index}${rows} and ${kept} row by row: ${reason ?? 'the index does not cover the filter'}`;
}

export function suggestionFor(index: string | undefined, wildcard: string | undefined, scanned?: string): string {
  const then = 'then check the plan again (EXPLAIN) and the request time (culprit compare).';
  if (wildcard)
    return `${wildcard[0]?.toUpperCase()}${wildcard.slice(1)}${index ? `; for the other columns, ${index}` : ''}; ${then}`;
  if (index) return `${index}; ${then}`;
  // the plan was read already: it scans a table the statement does not filter, so no index can help
  if (scanned)
    return `No filter of the statement narrows ${scanned}, so no index serves it: make it read less (join only what the answer needs: a count needs none of the joined rows; a page of the rows; or keep the figure up to date elsewhere), ${then}`;
  return 'Run EXPLAIN on it: a sequential scan on a filtered or sorted column wants an index (CREATE INDEX … ON table (filtered column, sorted column)).';
}

/** A long IN list read the table whole: ask for fewer keys at once. */
export function listAdvice(table: string, column: string): string {
  return `Ask for the ${table} rows of fewer ${column} values at once: page the list the values come from, or join ${table} to that list's own query so the database filters it; an index on ${column} is not what is missing. Then check the plan again (EXPLAIN) and the request time (culprit compare).`;
}

/** ": the plan walks ≈150,000 entries of PRIMARY to reach the page (OFFSET) and drops them". */
export function skippingHint(skipping: DeepOffset): string {
  if (skipping.skipped !== undefined && !skipping.index)
    return `: it skips ${formatCount(skipping.skipped)} rows (OFFSET) to reach the page, which the database reads in order and drops, so each deeper page reads more`;
  const walked = skipping.walked ? `≈${formatCount(skipping.walked)} entries` : 'every row before the page';
  return `: the plan walks ${walked}${skipping.index ? ` of ${skipping.index}` : ''} to reach the page (OFFSET) and drops them, so each deeper page reads more`;
}

/** The plan was read and every table is read through an index: what is left is how often it runs and what it returns. */
export function indexedAdvice(runs: number): string {
  const often = runs > 1 ? `it ran ${formatCount(runs)} times: run it once for all of them, or ` : '';
  return `Its plan already reads through indexes, so another index is not the fix: ${often}ask for fewer rows or columns; then check the request time (culprit compare).`;
}

export const SKIPPING_ADVICE =
  "Ask for the page by the last row's sort key instead of an OFFSET (keyset pagination: WHERE id < :lastId ORDER BY id DESC LIMIT n, the client passing the last key it got), so the database starts at the page, on an index that leads with the sort columns; no index makes skipping rows cheaper. Then check the plan again (EXPLAIN) and the request time (culprit compare).";

/** A slow statement's evidence: the statement, where it ran (when the finding is placed elsewhere), rows, share, plan. */
export function slowEvidence(
  request: RequestFacts,
  query: QueryFact,
  perQuery: number,
  /** Where the statement ran, said when the finding is placed elsewhere (the schema): `null` when it is not. */
  queriedAt: SourceLocation | undefined | null,
  together: readonly QueryFact[] | undefined,
): Evidence[] {
  const record = request.request;
  return [
    { label: 'query', value: query.sql },
    ...(queriedAt !== null ? [{ label: 'queried at', value: formatPlace(queriedAt) }] : []),
    { label: 'rows', value: query.rowsKnown ? formatCount(query.rows / query.count) : 'unknown' },
    {
      label: 'share of request',
      value: `${((perQuery / Math.max(record.wallMs, 1e-9)) * 100).toFixed(0)}% of ${formatMs(record.wallMs)}`,
    },
    ...(together
      ? together
          .filter((other) => other !== query)
          .map((other) => ({
            label: 'same scan',
            value: `${formatMs(other.durationMs)} at ${formatPlace(other.builtAt ?? other.statementLine)}: ${other.sql}`,
          }))
      : [{ label: 'slow in', value: `${slowInRuns(request, query)} of ${request.runs.length} runs` }]),
    ...(query.plan ? [{ label: 'plan', value: query.plan.map((line) => line.trim()).join(' | ') }] : []),
  ];
}

/** A nested join built whole before the outer rows meet it: read the nested rows apart, by the outer keys. */
export const MATERIALIZED_ADVICE = `Read the nested rows in a query of their own, filtered by the outer rows' keys (an ORM loads a nested relation so with its select-in or separate-query strategy), or join them without the parentheses so the filter reaches them; then check the plan again (EXPLAIN) and the request time (culprit compare).`;
