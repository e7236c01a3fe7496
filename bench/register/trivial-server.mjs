// The smallest server: what any per-request cost of a preload is measured against.
// CULPRIT_CLOSE_ON_LISTEN=1 (bench/probe/startup.mjs): it closes once listening and reports its CPU at
// exit, so a run is one start-up.
import { createServer } from 'node:http';

const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
  response.end('ok');
});
const startOnly = process.env.CULPRIT_CLOSE_ON_LISTEN === '1';
if (startOnly) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    process.stderr.write(`cpu-ms ${(user + system) / 1000}\n`);
  });
}
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
  if (startOnly) server.close();
});
