// node:sqlite is a built-in: no file of it ever loads, so nothing tells the probe's file watch to load the
// driver hooks. A probed server loads them as it connects when node:sqlite is already loaded, else with
// the first recorded request (hook-loading.ts `loadDriverHooksIfUsed`, request-recorder.ts): both ways,
// the first traced request's queries are recorded.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openTarget } from '../target/open-target.js';
import type { RunningTarget } from '../target/types.js';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const skip =
  major > 22 || (major === 22 && minor >= 13)
    ? undefined
    : `node:sqlite needs Node >= 22.13 (this is ${process.versions.node})`;

const dir = mkdtempSync(join(tmpdir(), 'culprit-node-sqlite-'));
const opened: RunningTarget[] = [];
after(async () => {
  await Promise.all(opened.map((target) => target.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** A server answering /items with 3 statements run on node:sqlite, loaded at start or by the first request. */
function server(name: string, loadAt: 'start' | 'first request'): string {
  const load = "process.getBuiltinModule('node:sqlite')";
  writeFileSync(
    join(dir, name),
    `import { createServer } from 'node:http';
let db;
function open() {
  const { DatabaseSync } = ${load};
  db = new DatabaseSync(':memory:');
  db.exec('CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)');
  db.exec("INSERT INTO item (name) VALUES ('a'), ('b'), ('c')");
}
${loadAt === 'start' ? 'open();' : ''}
const server = createServer((request, response) => {
  if (!db) open();
  const byId = db.prepare('SELECT * FROM item WHERE id = ?');
  const items = [1, 2, 3].map((id) => byId.get(id));
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(items));
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log('listening on ' + server.address().port));
`,
  );
  return name;
}

for (const loadAt of ['start', 'first request'] as const) {
  test(`node:sqlite loaded at ${loadAt}: the first traced request's queries are recorded (command mode)`, {
    skip,
  }, async () => {
    const file = server(`server-${loadAt.replace(' ', '-')}.mjs`, loadAt);
    const target = await openTarget({ mode: 'command', command: ['node', file], cwd: dir, readyTimeoutMs: 15_000 });
    opened.push(target);
    await target.probe.configureTrace({ queries: true, constructions: false, stacks: false });
    const record = await target.send({ method: 'GET', path: '/items' });
    assert.equal(record.status, 200);
    // at its first request the server also creates its table there: those statements are the request's too
    const selects = record.queries.filter((query) => query.sql.startsWith('SELECT'));
    assert.deepEqual(
      selects.map((query) => query.sql),
      Array(3).fill('SELECT * FROM item WHERE id = ?'),
    );
  });
}
