/**
 * Every threshold the diagnosis rules use, in one table, each with the reason
 * for its value. Rules read them from here so a change is made (and judged
 * against bench/diagnosis) in one place.
 */
export const settings = {
  /** A query returning fewer rows than this is never an over-fetch, whatever the item count. */
  excessRowsMin: 1_000,
  /** Rows per item returned above which a query loads far more than the answer needs. */
  excessRowsPerItem: 20,
  /**
   * A response with at least this many bytes per row loaded carries the rows'
   * data (a tree, a report built from them): the rows were needed, however
   * few top-level items it has. The story's table load is 0.1 byte per row.
   */
  bytesPerLoadedRow: 5,
  /**
   * The same for a statement with two or more joins: their rows multiply (10 recipes × 8 ingredients × 4
   * tags × 20 reviews: 6,400 rows), while the tree sent from them holds the sum (320 children, 33 KB, 5.2
   * bytes a row). A joined row's columns take 20 bytes or more of JSON wherever the rows are each sent.
   */
  bytesPerJoinedRow: 20,
  /** Queries of one shape from one line per request at which repetition is N+1 whatever the item count. */
  repeatAbsolute: 10,
  /** ... and at which a query per item is N+1 (3 items, 3 queries) when the response is a list. */
  repeatPerItemMin: 3,
  /** Identical statements (same values) per request from which the repeats are plain waste. */
  duplicateMin: 3,
  /** One query this slow (median over the endpoint's runs) is worth an index or a narrower shape. */
  slowQueryMs: 100,
  /** ... or one taking this share of its request, when it takes at least slowQueryMinMs. */
  slowQueryShare: 0.5,
  slowQueryMinMs: 5,
  /**
   * A query whose plan reads a whole table only to filter it (facts/plan-facts.ts filteredScans), or
   * to sort it for the first rows of a LIMIT, is
   * slow from this share of its request, when it takes at least unindexedFilterMinMs: the index is
   * certain to help, and a few such lookups each under slowQueryShare made most of a request. The
   * floor is slowQueryMinMs: such a read grows with its table, so 10 ms of a list's 40 ms today is
   * the page's time tomorrow; severity (warningMinMs) keeps what it saves now in proportion.
   */
  unindexedFilterShare: 0.25,
  unindexedFilterMinMs: 5,
  /** Response bodies from this size are large enough to cost serialization and transfer time. */
  largePayloadBytes: 1_000_000,
  /**
   * ... and items of this size each carry a blob (an inline image, a whole
   * document), not a row's fields: what each item carries is the first fix,
   * made where the rows are shaped into the response's items. Smaller items
   * are many rows, paged in the query (a list row is a few hundred bytes).
   */
  largeItemBytes: 4_000,
  /**
   * Bytes of wide columns (>= 1 KB a value, probe/queries/rows-read.ts) one
   * statement shape from one line reads per request, from which selecting
   * them is worth a finding: PostgreSQL detoasts, sends and the driver decodes
   * on the order of 100 MB/s, so 1 MB is ~10 ms of the request; less is noise
   * beside a list's other costs.
   */
  wideReadMinBytes: 1_000_000,
  /**
   * ... and this many times the response's bytes: a response that carried
   * those columns would be at least their size (JSON only adds escapes), or
   * about a fifth of it compressed (text and HTML compress 3-5x), so at 10x
   * it cannot carry them; a document download (1x) is never reported.
   */
  wideReadPerResponseByte: 10,
  /** A synchronous stretch this long delays every other request the process serves. */
  blockingMs: 50,
  /** Share of a request's sampled CPU that one application line must spend to be a hotspot. */
  hotShare: 0.2,
  /** ... and time per request below which a hotspot is not worth a finding. */
  hotMinMs: 5,
  /** Calls of one function per request at which the count itself is the clue (the story's 231,590). */
  callStormPerRequest: 10_000,
  /** Independent operations awaited one after another, from this many, could overlap (Promise.all). */
  sequentialMin: 3,
  /** Two operations closer than this overlap in time (timer precision): they already ran together. */
  overlapToleranceMs: 0.5,
  /** One remote host taking this share of a request's time is the request's wait … */
  slowDownstreamShare: 0.5,
  /** … when one of its calls takes at least this long (ten 30 ms calls are the app's pattern, not a slow host) … */
  slowDownstreamMinMs: 100,
  /**
   * … and that call is this share of the wait on the host, or takes clearlySlowMs: a chain of three
   * 30 ms calls, each 100 ms on a loaded machine, is the app's sequence, not one slow call.
   */
  slowDownstreamDominantShare: 0.5,
  slowDownstreamClearlySlowMs: 300,
  /** A request waiting this long with no query seen gets a note that something is not recorded. */
  unseenWaitMs: 100,
  /** Severity: a cause that would save this share of the request and at least criticalMinMs is critical. */
  criticalShare: 0.5,
  criticalMinMs: 50,
  /** ... warning from this share and warningMinMs (a few ms in a 20 ms request is not worth a warning). */
  warningShare: 0.1,
  warningMinMs: 20,
} as const;
