/** One request read from a recorded file, ready to send again. */
export interface ReplayEntry {
  /** When it was made, ms from the file's first request (0 when the file has no times). */
  atMs: number;
  method: string;
  /** Path and query, e.g. `/api/items?page=2`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A file's requests, and how many of its lines or entries could not be read. */
export interface ReplayFile {
  format: string;
  entries: ReplayEntry[];
  unreadable: number;
}
