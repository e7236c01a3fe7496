import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { patchGotRequest, publishesEntry } from './got-entry.js';

const root = new URL('../../../../../', import.meta.url);
/** got 14.6.6 names `got:request:create` in core/diagnostics-channel.js only; got 14.4 publishes no channel. */
const GOT_146 = new URL('node_modules/got/dist/source/core/index.js', root).href;
const GOT_144 = new URL('fixtures/got-14-4/node_modules/got/dist/source/core/index.js', root).href;

const dir = mkdtempSync(join(tmpdir(), 'culprit-got-entry-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A got-like Request file in its own directory, with `channels` as its diagnostics-channel.js when given. */
function requestFile(name: string, text: string, channels?: string): string {
  const core = join(dir, name, 'core');
  mkdirSync(core, { recursive: true });
  writeFileSync(join(core, 'index.js'), text);
  if (channels !== undefined) writeFileSync(join(core, 'diagnostics-channel.js'), channels);
  return pathToFileURL(join(core, 'index.js')).href;
}

test("got's Request publishes its entry when the channel is named in it or in the channels module it imports", () => {
  assert.equal(publishesEntry(GOT_146), true, 'got 14.6.6 (the channel named in diagnostics-channel.js)');
  assert.equal(publishesEntry(GOT_144), false, 'got 14.4: no channel, the entry is taken at flush');
  const imports = "import { publishRequestCreate } from './diagnostics-channel.js';\npublishRequestCreate({});";
  assert.equal(publishesEntry(requestFile('inline', "channel('got:request:create')")), true);
  assert.equal(publishesEntry(requestFile('imported', imports, "channel('got:request:create')")), true);
  assert.equal(publishesEntry(requestFile('other', imports, "channel('got:request:start')")), false);
  assert.equal(publishesEntry(requestFile('missing', imports)), false, 'no channels module: no entry channel');
});

test("a got whose Request publishes the entry keeps its flush as it is (one stack per call, not the flush's too)", () => {
  const flush = () => undefined;
  class Request {}
  Object.assign(Request.prototype, { flush });
  patchGotRequest({ default: Request }, GOT_146);
  assert.equal((Request.prototype as { flush?: unknown }).flush, flush);

  class OlderRequest {}
  Object.assign(OlderRequest.prototype, { flush });
  patchGotRequest({ default: OlderRequest }, GOT_144);
  assert.notEqual(
    (OlderRequest.prototype as { flush?: unknown }).flush,
    flush,
    'got 14.4: the entry is taken at flush',
  );
});
