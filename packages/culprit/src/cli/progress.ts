import type { Writable } from 'node:stream';
import { escapeControls, rawStream } from './terminal-text.js';

/** Where a progress line draws, and the clock it throttles with (tests inject both). */
export interface ProgressOptions {
  stream: Writable & { isTTY?: boolean; columns?: number };
  /** Milliseconds, monotonic; defaults to performance.now. */
  now?: () => number;
  /** Minimum time between two redraws; redraws asked sooner are dropped. */
  intervalMs?: number;
  /** Force off (e.g. under --json); a progress line is only ever drawn on a TTY. */
  enabled?: boolean;
}

/**
 * One self-overwriting status line for long-running commands. It draws only on
 * a TTY (never into files, pipes or --json output), redraws at most every
 * `intervalMs`, clips to the terminal width, and erases itself when done so
 * the report that follows starts on a clean line.
 */
export interface ProgressLine {
  /** True when the line is actually drawn; callers may skip building text otherwise. */
  readonly active: boolean;
  /** Redraws with `text` if the last redraw is older than the interval (or `force`). */
  update(text: string, force?: boolean): void;
  /** Erases the line; later updates are ignored. */
  done(): void;
}

const ERASE_LINE = '\x1b[2K\r';

/** Makes a progress line; inactive (all no-ops) unless the stream is a TTY. */
export function createProgressLine(options: ProgressOptions): ProgressLine {
  const { stream } = options;
  const now = options.now ?? (() => performance.now());
  const intervalMs = options.intervalMs ?? 100;
  let active = options.enabled !== false && stream.isTTY === true;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    get active() {
      return active;
    },
    update(text, force = false) {
      if (!active) return;
      const t = now();
      if (!force && t - lastDraw < intervalMs) return;
      lastDraw = t;
      const width = Math.max(10, (stream.columns ?? 80) - 1);
      const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
      // the text is escaped (it may quote a URL or a target's output); the erase code is culprit's own
      rawStream(stream).write(`${ERASE_LINE}${escapeControls(line)}`);
      drawn = true;
    },
    done() {
      if (active && drawn) rawStream(stream).write(ERASE_LINE);
      active = false;
    },
  };
}

/** A fixed-width bar such as `[#####-----]` for a fraction in 0..1 (clamped). */
export function renderBar(fraction: number, width = 20): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`;
}

/** Elapsed time as `12.3s` or `2m05s`, for progress lines. */
export function formatElapsed(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.floor(s - m * 60)).padStart(2, '0')}s`;
}
