// The two routes of the probe's overhead bench (issue 15), as a plain
// `http` request listener (module mode: `--app bench/probe/app.mjs`) that
// also listens when run (`node app.mjs`, port from PORT, 0 = any):
//   GET /json   a 130 KB JSON body: 600 records serialized per request;
//   GET /timer  waits on a 1 ms timer, then burns 2 ms of CPU;
//   GET /       a trivial reply (the idle probe's requests/s).
import http from 'node:http';

function records() {
  const out = [];
  for (let i = 0; i < 600; i++) {
    out.push({
      id: i,
      title: `Postcard ${i} from the seaside, hand-coloured`,
      kind: i % 3 === 0 ? 'postcard' : 'photograph',
      tags: ['seaside', 'summer', `batch-${i % 17}`],
      postmarked: new Date(Date.UTC(1900 + (i % 80), i % 12, 1 + (i % 28))).toISOString(),
      sender: { name: `Sender ${i % 41}`, town: 'Brighton' },
    });
  }
  return out;
}

function burn(ms) {
  const until = performance.now() + ms;
  let x = 0;
  while (performance.now() < until) x += Math.sqrt(x + 1);
  return x;
}

export default function listener(req, res) {
  if (req.url === '/json') {
    const body = JSON.stringify({ results: records() });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  } else if (req.url === '/timer') {
    setTimeout(() => {
      const x = burn(2);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: x > 0 }));
    }, 1);
  } else {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = http.createServer(listener);
  server.keepAliveTimeout = 60_000;
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    process.stdout.write(`listening ${server.address().port}\n`);
  });
}
