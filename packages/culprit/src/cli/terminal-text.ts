/**
 * What culprit prints may carry text it does not control: a capture's URLs
 * and notes, a target's error body, stderr and exception messages. Raw
 * control characters there would drive the user's terminal (clear the
 * screen, set the title, write the clipboard with OSC 52). So every byte of
 * stdout and stderr passes through `escapeControls`; only culprit's own
 * progress line draws through the raw stream.
 */
import { Writable } from 'node:stream';

/** C0 controls but newline and tab, DEL, and C1 controls (8-bit CSI/OSC): shown as `\u001b`, which stays valid JSON. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this module's job
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Text with every control character but newline and tab written out as a `\uXXXX` escape. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export type TerminalStream = Writable & { isTTY?: boolean; columns?: number };

/** A stream that escapes what goes through it; `raw` reaches the terminal as is (for the progress line). */
export type SafeStream = TerminalStream & { raw: TerminalStream };

/** Wraps `target` so everything written to it is escaped; order is kept (each write passes straight on). */
export function safeStream(target: TerminalStream): SafeStream {
  const safe = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      target.write(escapeControls(typeof chunk === 'string' ? chunk : chunk.toString('utf8')));
      callback();
    },
  }) as SafeStream;
  safe.raw = target;
  if (target.isTTY !== undefined) safe.isTTY = target.isTTY;
  Object.defineProperty(safe, 'columns', { get: () => target.columns });
  return safe;
}

/** The stream culprit's own drawing goes to: the raw terminal behind a safe stream. */
export function rawStream(stream: TerminalStream): TerminalStream {
  return 'raw' in stream ? (stream as SafeStream).raw : stream;
}
