// Run by Jest (from ../../matchers.test.ts): `import postgres` under Jest gets postgres.js's ES-module
// build through Jest's own module loader, which culprit's hooks never see. Its queries then count 0:
// a budget on SQL must fail, naming the socket the driver wrote to, never pass on that 0.
import net from 'node:net';
import { measure } from 'culprit/budget';
import 'culprit/budget/jest';
import postgres from 'postgres';

const PG = { host: '127.0.0.1', port: 5432, user: process.env.PGUSER ?? 'postgres', database: 'test' };

const reachable = await new Promise((resolve) => {
  const socket = net.connect(PG.port, PG.host, () => socket.end(() => resolve(true)));
  socket.on('error', () => resolve(false));
});
if (!reachable) console.warn(`skipped: no PostgreSQL on ${PG.host}:${PG.port}`);

(reachable ? test : test.skip)('a driver no hook saw: budgets on SQL fail, naming where it wrote', async () => {
  const sql = postgres({ ...PG, max: 1, onnotice: () => {} });
  try {
    const measured = await measure(() => sql`SELECT generate_series(1, 3) AS n`);
    expect(measured.value).toHaveLength(3);
    expect(() => expect(measured).toStayWithin({ queries: 5 })).toThrow(
      /queries not recorded: the SQL limits cannot be checked\n {4}wrote to 127\.0\.0\.1:5432 \(\d+ writes, \d+ bytes\) but no driver hook recorded a query/,
    );
    expect(measured).toStayWithin({ httpCalls: 0 }); // a limit on something else still holds
  } finally {
    await sql.end();
  }
});
