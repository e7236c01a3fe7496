import { createApp } from './app.js';
import { migrate } from './db.js';

const port = Number(process.env.PORT ?? 4635);

migrate();
createApp().listen(port, '127.0.0.1', () => {
  console.log(`feed aggregator listening on http://127.0.0.1:${port}`);
});
