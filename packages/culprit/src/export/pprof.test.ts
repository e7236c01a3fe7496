import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { frame, sampledProfile } from '../profile/test-support/sampled.js';
import { exporters } from './registry.js';

test('pprof counts neither (idle) nor (program) as CPU; (garbage collector) is work and counts', () => {
  const profile = sampledProfile(
    [
      { id: 1, callFrame: frame('(root)'), children: [2, 3, 4, 5] },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('(program)') },
      { id: 4, callFrame: frame('(garbage collector)') },
      { id: 5, callFrame: frame('handler', 'file:///app/src/routes.js') },
    ],
    // 5 ms idle, 2 ms program, 1 ms GC, 2 ms handler
    [2, 2, 2, 2, 2, 3, 3, 4, 5, 5],
  );
  const decoded = Profile.decode(gunzipSync(exporters.pprof.encode(profile, { name: 'GET /' }) as Uint8Array));
  const strings = decoded.stringTable.strings;
  const nameOf = (locationId: unknown) => {
    const fn = decoded.function.find((f) => Number(f.id) === Number(locationId));
    return strings[Number(fn?.name)];
  };
  const byLeaf = new Map(decoded.sample.map((s) => [nameOf(s.locationId[0]), Number(s.value[1]) / 1e6]));
  assert.deepEqual([...byLeaf.keys()].sort(), ['(garbage collector)', 'handler']);
  assert.equal(byLeaf.get('handler'), 2);
  assert.equal(byLeaf.get('(garbage collector)'), 1);
});
