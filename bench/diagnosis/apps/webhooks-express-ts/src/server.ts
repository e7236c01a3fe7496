import { createApp } from './app.js';
import { migrate } from './db.js';

const port = Number(process.env.PORT ?? 4633);

migrate();
createApp().listen(port, '127.0.0.1', () => {
  console.log(`webhook receiver listening on http://127.0.0.1:${port}`);
});
