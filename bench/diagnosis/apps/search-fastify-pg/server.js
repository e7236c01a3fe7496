import { buildApp } from './src/app.js';

const port = Number(process.env.PORT ?? 4726);
const app = buildApp({ logger: process.env.LOG_LEVEL ? { level: process.env.LOG_LEVEL } : false });

try {
  const address = await app.listen({ port, host: '127.0.0.1' });
  console.log(`product search listening on ${address}`);
} catch (err) {
  console.error(err);
  process.exit(1);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await app.close();
    process.exit(0);
  });
}
