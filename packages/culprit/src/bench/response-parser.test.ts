import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BadResponseError, ResponseParser } from './response-parser.js';

/** Feeds `text` split at every position given, returns where the response ended. */
function parseIn(parts: string[], head = false): { parser: ResponseParser; end: number; total: number } {
  const parser = new ResponseParser();
  parser.reset(head);
  let end = -1;
  let total = 0;
  for (const part of parts) {
    const chunk = Buffer.from(part, 'latin1');
    end = parser.feed(chunk, 0);
    total += chunk.length;
  }
  return { parser, end, total };
}

const fixed = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX: y\r\n\r\nhello';
const chunked =
  'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nT: 1\r\n\r\n';

test('parses a content-length response in one piece and byte by byte', () => {
  const whole = parseIn([fixed]);
  assert.equal(whole.parser.done, true);
  assert.equal(whole.end, fixed.length);
  assert.equal(whole.parser.status, 200);
  assert.equal(whole.parser.bodyBytes, 5);
  const bytes = parseIn([...fixed]);
  assert.equal(bytes.parser.done, true);
  assert.equal(bytes.end, 1);
  assert.equal(bytes.parser.bodyBytes, 5);
});

test('parses chunked bodies with extensions and trailers, split anywhere', () => {
  for (let cut = 1; cut < chunked.length; cut++) {
    const { parser, end } = parseIn([chunked.slice(0, cut), chunked.slice(cut)]);
    assert.equal(parser.done, true, `cut at ${cut}`);
    assert.equal(parser.status, 201);
    assert.equal(parser.bodyBytes, 11);
    assert.equal(end, chunked.length - cut);
  }
});

test('reports where the response ends so following bytes are left alone', () => {
  const parser = new ResponseParser();
  parser.reset(false);
  const buf = Buffer.from(`${fixed}HTTP/1.1 204 No Content\r\n\r\n`);
  const end = parser.feed(buf, 0);
  assert.equal(end, fixed.length);
  parser.reset(false);
  assert.equal(parser.feed(buf, end), buf.length);
  assert.equal(parser.status, 204);
});

test('knows keep-alive, location, HEAD and read-until-close bodies', () => {
  const redirect = parseIn(['HTTP/1.1 302 Found\r\nlocation: /next\r\nConnection: close\r\ncontent-length: 0\r\n\r\n']);
  assert.equal(redirect.parser.location, '/next');
  assert.equal(redirect.parser.keepAlive, false);
  const head = parseIn(['HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n'], true);
  assert.equal(head.parser.done, true);
  const old = parseIn(['HTTP/1.0 200 OK\r\n\r\nabc', 'def']);
  assert.equal(old.parser.done, false);
  assert.equal(old.parser.keepAlive, false);
  assert.equal(old.parser.finishOnClose(), true);
  assert.equal(old.parser.bodyBytes, 6);
});

test('a truncated response is not complete at close', () => {
  const { parser } = parseIn(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc']);
  assert.equal(parser.finishOnClose(), false);
});

test('garbage is a BadResponseError', () => {
  assert.throws(() => parseIn(['garbage garbage\r\n\r\n']), BadResponseError);
  assert.throws(() => parseIn(['HTTP/1.1 abc OK\r\n\r\n']), BadResponseError);
  assert.throws(() => parseIn(['HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n']), BadResponseError);
  assert.throws(() => parseIn(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n']), BadResponseError);
  assert.throws(() => parseIn(['x'.repeat(70_000)]), BadResponseError);
});
