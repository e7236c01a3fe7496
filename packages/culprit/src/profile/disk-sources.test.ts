/**
 * A script's source is read from its file only when the file holds the text V8 ran: its bytes hash as the
 * Debugger domain's `scriptParsed.hash` (disk-sources.ts). Checked against this process's own inspector,
 * on the kinds of files a server loads: CommonJS with a BOM and characters beyond Latin-1, an ES module.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { sourceFromDisk } from './disk-sources.js';

const dir = mkdtempSync(join(tmpdir(), 'culprit-disk-sources-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Parsed {
  scriptId: string;
  url: string;
  hash: string;
}

/** Loads the files, then enables the Debugger as the probe does: each script's hash and V8's own source. */
async function loaded(load: () => Promise<void>): Promise<{ parsed: Parsed[]; source: (id: string) => string }> {
  await load();
  const session = new Session();
  session.connect();
  const parsed: Parsed[] = [];
  session.on('Debugger.scriptParsed', ({ params }) => parsed.push(params));
  session.post('Debugger.enable');
  const sources = new Map<string, string>();
  for (const { scriptId } of parsed) {
    session.post('Debugger.getScriptSource', { scriptId }, (error, result) => {
      if (!error) sources.set(scriptId, result.scriptSource);
    });
  }
  session.disconnect();
  return { parsed, source: (id) => sources.get(id) ?? '' };
}

test('the file is the source V8 ran: CommonJS with a BOM and non-Latin-1 text, an ES module, Latin-1 text', async () => {
  const cjs = join(dir, 'bom.cjs');
  writeFileSync(cjs, `\ufeff// → arrows, “quotes” and café\nmodule.exports = () => '✓';\n`);
  const latin = join(dir, 'latin.cjs');
  writeFileSync(latin, `module.exports = 'café crème';\n`);
  const esm = join(dir, 'module.mjs');
  writeFileSync(esm, `export const mark = '— ✓';\nexport function twice(x) {\n  return x * 2;\n}\n`);
  const require = createRequire(import.meta.url);
  const { parsed, source } = await loaded(async () => {
    require(cjs);
    require(latin);
    await import(pathToFileURL(esm).href);
  });
  for (const file of [cjs, latin, esm]) {
    const script = parsed.find((p) => p.url === file || p.url === pathToFileURL(file).href);
    assert.ok(script, `${file} was parsed`);
    const fromDisk = sourceFromDisk(script.url, script.hash);
    assert.equal(fromDisk, source(script.scriptId), file);
  }
});

test('anything but the same text is refused: a file changed since, a wrong hash, no file, not a file', () => {
  const file = join(dir, 'changed.cjs');
  writeFileSync(file, 'module.exports = 1;\n');
  const require = createRequire(import.meta.url);
  require(file);
  const session = new Session();
  session.connect();
  let hash = '';
  session.on('Debugger.scriptParsed', ({ params }) => {
    if (params.url.endsWith('changed.cjs')) hash = params.hash;
  });
  session.post('Debugger.enable');
  session.disconnect();
  assert.equal(sourceFromDisk(file, hash), 'module.exports = 1;\n');
  writeFileSync(file, 'module.exports = 2;\n'); // same length, other text: a loader's or an editor's
  assert.equal(sourceFromDisk(file, hash), undefined);
  assert.equal(sourceFromDisk(file, 'not a hash'), undefined);
  assert.equal(sourceFromDisk(join(dir, 'gone.js'), hash), undefined);
  assert.equal(sourceFromDisk('node:internal/x', hash), undefined);
  const folder = join(dir, 'a-folder.js');
  mkdirSync(folder);
  assert.equal(sourceFromDisk(pathToFileURL(folder).href, hash), undefined);
});
