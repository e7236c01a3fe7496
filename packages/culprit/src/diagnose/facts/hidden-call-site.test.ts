import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProfileFunction, SourceLocation } from '../../capture/types.js';
import { hiddenCallSite } from './hidden-call-site.js';

const routes = [
  "import { db } from '../db.js';",
  'export async function register(app) {',
  "  app.get('/', async (request) => {",
  '    const { items } = await db.post.list(request.query);',
  '    return { items };',
  '  });',
  "  app.get('/:slug', async (request) => {",
  '    const { slug } = request.params;',
  "    return db.post.findOneOrFail({ slug }, { populate: ['comments.author'] });",
  '  });',
  '}',
].join('\n');
const hooks = [
  'export function auth(app) {',
  "  app.addHook('onRequest', async (request) => {",
  '    const token = await request.jwtVerify();',
  '    request.user = await db.member.findOneOrFail(token.id);',
  '  });',
  '}',
].join('\n');
const files: Record<string, string> = { '/app/src/routes.js': routes, '/app/src/hooks.js': hooks };
const read = (file: string): string | undefined => files[file];

const fn = (file: string, line: number, calls: number | null): ProfileFunction => ({
  name: `(anonymous ${file.split('/').pop()}:${line})`,
  file,
  line,
  column: 24,
  category: 'app',
  calls,
  selfMs: 0,
  totalMs: 0.4,
});
const entry: SourceLocation = {
  file: '/app/node_modules/orm/EntityManager.js',
  line: 630,
  column: 5,
  functionName: 'findOneOrFail',
  package: 'orm',
};

test('a handler that returns the library promise unawaited: the line in the functions that ran that calls it', () => {
  const ran = [fn('/app/src/routes.js', 7, 2)];
  assert.deepEqual(hiddenCallSite(entry, ran, read), {
    file: '/app/src/routes.js',
    line: 9,
    column: 1,
    functionName: '(anonymous routes.js:7)',
  });
  // the list handler did not run: its body is not searched, nor are other entry points matched
  assert.equal(hiddenCallSite({ ...entry, functionName: 'list' }, ran, read), undefined);
});

test('two functions that ran call it: the one naming the statement table, else unknown', () => {
  const ran = [fn('/app/src/hooks.js', 2, 2), fn('/app/src/routes.js', 7, 2)];
  assert.equal(hiddenCallSite(entry, ran, read), undefined, 'ambiguous without the table');
  assert.equal(hiddenCallSite(entry, ran, read, 'post')?.line, 9);
  assert.equal(hiddenCallSite(entry, ran, read, 'member')?.file, '/app/src/hooks.js');
  assert.equal(hiddenCallSite(entry, ran, read, 'tag'), undefined);
});

test('a function the profile never saw run, or no sources, gives no line', () => {
  assert.equal(hiddenCallSite(entry, [{ ...fn('/app/src/routes.js', 7, 0), totalMs: 0 }], read), undefined);
  assert.equal(
    hiddenCallSite(entry, [fn('/app/src/routes.js', 7, 2)], () => undefined),
    undefined,
  );
});
