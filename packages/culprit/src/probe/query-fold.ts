/**
 * Bounds what the probe keeps per request. The first QUERY_DETAIL_LIMIT
 * queries stay one by one (with their V8 stacks, read when the request ends);
 * the rest are folded at once into counts and sums per (driver, statement
 * shape, issuing position), and their stacks dropped. A held V8 stack costs
 * kilobytes, so keeping 1,000,000 of them is what took gigabytes; a fold costs
 * the same whether it stands for ten queries or a million.
 */
import type { RowsRead } from '../capture/types.js';
import { normalizeSql } from './queries/normalize-sql.js';
import { addRead } from './queries/rows-read.js';

/**
 * Queries kept one by one per request. Real pages issue tens to a few hundred;
 * 2,000 is enough to show any N+1 one by one and to hold a normal request
 * whole, while 2,000 stacks (40 frames each) stay a few MB in the app, on the
 * wire and in the capture.
 */
export const QUERY_DETAIL_LIMIT = 2_000;

/**
 * Distinct folds per request. Shapes come from the code, so a few dozen is
 * normal; past this (SQL built with varying identifiers) further shapes share
 * one overflow fold per driver, so memory stays bounded whatever the app does.
 */
export const MAX_FOLDS = 1_000;

/** SQL text of the overflow fold (shapes past MAX_FOLDS). */
export const OTHER_SHAPES_SQL = '(other statements: more shapes than culprit keeps apart)';

/** A position as V8 gives it (0-based), enough to map later. */
export interface FoldFrame {
  url: string;
  line: number;
  column: number;
  functionName?: string;
}

/** One fold while the request runs: raw positions, mapped when the record is sent. */
export interface Fold {
  driver: string;
  /** Normalized SQL (the shape). */
  sql: string;
  /** First application frame of the first query folded here. */
  frame?: FoldFrame;
  /** Stack of the first query folded here (raw frames, innermost first). */
  stack?: FoldFrame[];
  count: number;
  rows: number;
  durationMs: number;
  errors: number;
  /** Bytes read summed; wide columns as the first query that had them sampled them. */
  read?: RowsRead;
}

/** What the fold table needs of a query. */
export interface FoldInput {
  driver: string;
  sql: string;
  durationMs: number;
  rows: number | null;
  read?: RowsRead | undefined;
  error?: string | undefined;
}

/**
 * Prepared statements repeat the same text, so the shape of a text seen
 * before is a lookup, not a rescan. Bounded: when full it starts over.
 */
const SHAPE_CACHE_SIZE = 500;
const shapes = new Map<string, string>();

function shapeOf(sql: string): string {
  let shape = shapes.get(sql);
  if (shape === undefined) {
    shape = normalizeSql(sql);
    if (shapes.size >= SHAPE_CACHE_SIZE) shapes.clear();
    shapes.set(sql, shape);
  }
  return shape;
}

/** The folds of one request. */
export class QueryFolds {
  private readonly folds = new Map<string, Fold>();

  /**
   * Adds one query. `frame` is its first application frame; `stack` is read
   * (a thunk) only for the first query of a fold, and only when wanted.
   */
  add(query: FoldInput, frame: FoldFrame | undefined, stack: (() => FoldFrame[]) | undefined): void {
    let sql = shapeOf(query.sql);
    let key = `${query.driver}\0${sql}\0${frame ? `${frame.url}:${frame.line}:${frame.column}` : ''}`;
    let fold = this.folds.get(key);
    if (!fold && this.folds.size >= MAX_FOLDS) {
      sql = OTHER_SHAPES_SQL;
      key = `${query.driver}\0${sql}`;
      fold = this.folds.get(key);
      frame = undefined;
      stack = undefined;
    }
    if (!fold) {
      fold = { driver: query.driver, sql, count: 0, rows: 0, durationMs: 0, errors: 0 };
      if (frame) fold.frame = frame;
      if (stack) fold.stack = stack();
      this.folds.set(key, fold);
    }
    fold.count += 1;
    fold.rows += query.rows ?? 0;
    fold.durationMs += query.durationMs;
    if (query.error !== undefined) fold.errors += 1;
    const read = addRead(fold.read, query.read);
    if (read) fold.read = read;
  }

  get size(): number {
    return this.folds.size;
  }

  values(): IterableIterator<Fold> {
    return this.folds.values();
  }
}
