#!/usr/bin/env node
// The trivial server the comparisons drive: answers every request with 11
// bytes, after `delayMs` (argument, default 0). Prints its port on stdout.
import http from 'node:http';

const delayMs = Number(process.argv[2] ?? 0);
const server = http.createServer({ keepAliveTimeout: 60_000 }, (_req, res) => {
  if (delayMs > 0) setTimeout(() => res.end('hello world'), delayMs);
  else res.end('hello world');
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
