import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createProgressLine, formatElapsed, renderBar } from './progress.js';

class FakeTty extends Writable {
  isTTY: boolean;
  columns = 30;
  chunks: string[] = [];
  constructor(isTTY: boolean) {
    super();
    this.isTTY = isTTY;
  }
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.chunks.push(chunk.toString());
    cb();
  }
}

test('draws nothing when the stream is not a TTY', () => {
  const stream = new FakeTty(false);
  const line = createProgressLine({ stream, now: () => 0 });
  line.update('hello', true);
  line.done();
  assert.equal(line.active, false);
  assert.deepEqual(stream.chunks, []);
});

test('draws nothing when disabled (e.g. --json) even on a TTY', () => {
  const stream = new FakeTty(true);
  const line = createProgressLine({ stream, enabled: false });
  line.update('hello', true);
  assert.deepEqual(stream.chunks, []);
});

test('throttles redraws with the injected clock, clips to the width, erases when done', () => {
  const stream = new FakeTty(true);
  let t = 0;
  const line = createProgressLine({ stream, now: () => t, intervalMs: 100 });
  line.update('one');
  t = 50;
  line.update('two');
  t = 150;
  line.update('x'.repeat(100));
  line.done();
  line.update('after done', true);
  assert.equal(stream.chunks.length, 3);
  assert.match(stream.chunks[0] ?? '', /one$/);
  assert.equal((stream.chunks[1] ?? '').replace('\x1b[2K\r', '').length, 29);
  assert.equal(stream.chunks[2], '\x1b[2K\r');
});

test('renders bars and elapsed times', () => {
  assert.equal(renderBar(0.5, 10), '[#####-----]');
  assert.equal(renderBar(2, 4), '[####]');
  assert.equal(renderBar(Number.NaN, 4), '[----]');
  assert.equal(formatElapsed(1234), '1.2s');
  assert.equal(formatElapsed(125_000), '2m05s');
});
