// register's turning of its AsyncLocalStorage alone (Node 20: async and promise hooks on while a recorded request is
// open): one request every 50 ms enters a store, and the storage is disabled again at its response's close.
import { AsyncLocalStorage } from 'node:async_hooks';
import dc from 'node:diagnostics_channel';

const storage = new AsyncLocalStorage();
let last = 0;
dc.subscribe('http.server.request.start', (message) => {
  const now = Date.now();
  if (now - last < 50) return;
  last = now;
  storage.enterWith({ now });
  message.response.once('close', () => storage.disable());
});
