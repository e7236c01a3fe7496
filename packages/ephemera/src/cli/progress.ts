// A one-line progress bar on a TTY (stderr), silent elsewhere.
export interface ProgressLine {
  update(label: string, done: number, total: number): void;
  done(): void;
}

export function progressLine(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } = process.stderr,
): ProgressLine {
  if (!stream.isTTY) return { update() {}, done() {} };
  const started = performance.now();
  let last = 0;
  let shown = false;
  return {
    update(label, done, total) {
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const ratio = total === 0 ? 1 : done / total;
      const width = 30;
      const filled = Math.round(ratio * width);
      const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
      const seconds = ((now - started) / 1000).toFixed(1);
      const line = `${label} [${bar}] ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${seconds}s`;
      stream.write(`\r${line.padEnd(stream.columns ? stream.columns - 1 : 80)}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
