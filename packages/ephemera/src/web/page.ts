// The small web page (search, browse, view a postcard), served at `/`, and
// placeholder scans for the seeded archive's image URLs.
import type { FastifyInstance } from 'fastify';
import { PAGE_HTML } from './page-html.js';

/** A drawn stand-in for a scan: the seeded archive has URLs, not images. */
function placeholderScan(id: string, name: string): string {
  const back = name.startsWith('back');
  const label = `${back ? 'reverse' : 'view'} of item ${id}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 500 320"><rect width="500" height="320" fill="${back ? '#f3ead6' : '#c9b99a'}"/><rect x="12" y="12" width="476" height="296" fill="none" stroke="#6b5d45" stroke-width="2"/>${back ? '<line x1="250" y1="30" x2="250" y2="290" stroke="#6b5d45"/>' : ''}<text x="250" y="170" font-family="Georgia" font-size="22" text-anchor="middle" fill="#2b2418">${label}</text></svg>`;
}

export function registerWebPage(app: FastifyInstance): void {
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE_HTML));
  app.get('/media/ephemera/:id/:name', async (request, reply) => {
    const { id, name } = request.params as { id: string; name: string };
    if (!/^\d{1,10}$/.test(id) || !/^(front|back)-\d{1,5}\.jpg$/.test(name)) {
      return reply.code(404).send({ error: { code: 'not_found', message: 'no such scan' } });
    }
    return reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(placeholderScan(id, name));
  });
}
