import { EventsApp } from './app';
import { openDatabase } from './database';

const port = Number(process.env.PORT ?? 4723);
const app = new EventsApp(openDatabase());

app
  .listen(port)
  .then((address) => console.log(`events service listening on ${address}`))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    app.server.close().finally(() => process.exit(0));
  });
}
