// The small web page (search, browse, view a postcard), served at `/`.
import type { FastifyInstance } from 'fastify';
import { PAGE_HTML } from './page-html.js';

export function registerWebPage(app: FastifyInstance): void {
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE_HTML));
}
