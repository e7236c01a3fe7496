// register's turning of channels alone: at one request every 50 ms, Fastify's route channel and mysql2's
// TracingChannels (start, end, asyncStart) get a subscriber until that response's close (their prototype flips).
import dc from 'node:diagnostics_channel';

const channels = [dc.channel('tracing:fastify.request.handler:start')];
for (const name of ['mysql2:query', 'mysql2:execute']) {
  const traced = dc.tracingChannel(name);
  channels.push(traced.start, traced.end, traced.asyncStart);
}
const noop = () => {};
let last = 0;
dc.subscribe('http.server.request.start', (message) => {
  const now = Date.now();
  if (now - last < 50) return;
  last = now;
  for (const channel of channels) channel.subscribe(noop);
  message.response.once('close', () => {
    for (const channel of channels) channel.unsubscribe(noop);
  });
});
