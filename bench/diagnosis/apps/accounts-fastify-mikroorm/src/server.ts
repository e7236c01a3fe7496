import { getOrm } from './db/orm';
import { buildApp } from './app';

async function main() {
  const orm = await getOrm();
  const app = await buildApp(orm);
  const port = Number(process.env.PORT || 4313);
  await app.listen({ port, host: '127.0.0.1' });
  console.log(`accounts service listening on http://127.0.0.1:${port}`);

  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
