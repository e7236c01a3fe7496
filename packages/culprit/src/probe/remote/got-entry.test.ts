import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { runInScope, setQueriesWanted } from '../request-context.js';
import { listenClientEntries } from './client-entry.js';
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

/** Error.captureStackTrace calls made while `body` runs. */
function capturesIn(body: () => void): number {
  const capture = Error.captureStackTrace;
  let calls = 0;
  Error.captureStackTrace = (target: object, below?: (...args: never[]) => unknown) => {
    calls += 1;
    capture(target, below);
  };
  try {
    body();
  } finally {
    Error.captureStackTrace = capture;
  }
  return calls;
}

const ENTRY = Symbol.for('culprit.got-entry');
type Internals = Record<symbol, unknown>;

test("got's entry lands on the request's options: one stack per call, taken at flush, after the channel named the request when got publishes it", () => {
  setQueriesWanted(true);
  listenClientEntries(true);
  const scope = { requestId: 1, startedAt: 0, queries: [], closed: false };
  const created = dc.channel('got:request:create');
  let ids = 0;
  class Request {
    options = { _internals: {} as Internals };
    _requestId = `r${++ids}`;
    constructor(publish: boolean) {
      if (publish) created.publish({ requestId: this._requestId });
    }
  }
  Object.assign(Request.prototype, { flush: () => undefined });
  // got 14.4 publishes no channel
  class OlderRequest {
    options = { _internals: {} as Internals };
    _requestId = `r${++ids}`;
  }
  Object.assign(OlderRequest.prototype, { flush: () => undefined });
  patchGotRequest({ default: Request }, GOT_146);
  patchGotRequest({ default: OlderRequest }, GOT_144);
  try {
    for (const [label, make] of [
      ['got 14.6.6: at flush, the channel named the request', () => new Request(true)],
      ['got 14.4: at flush', () => new OlderRequest()],
    ] as const) {
      let request: Request | OlderRequest | undefined;
      const captures = capturesIn(() =>
        runInScope(scope, () => {
          request = make();
          (request as unknown as { flush(): void }).flush();
        }),
      );
      assert.equal(captures, 1, label);
      assert.ok(request?.options._internals[ENTRY], `${label}: the entry is on the options`);
    }
    // a request whose flush comes after another request's entry (an asynchronous handler) does not take it
    const late = new Request(false);
    runInScope(scope, () => new Request(true));
    runInScope(scope, () => (late as unknown as { flush(): void }).flush());
    assert.equal(late.options._internals[ENTRY], undefined);
  } finally {
    listenClientEntries(false);
    setQueriesWanted(false);
  }
});
