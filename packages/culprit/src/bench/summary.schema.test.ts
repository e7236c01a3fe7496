import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { countError, countStatus, createStats, recordPhase } from './stats.js';
import { summarize } from './summary.js';
import { loadOptions } from './test-support/load-options.js';

const schema: unknown = JSON.parse(readFileSync(new URL('./summary.schema.json', import.meta.url), 'utf8'));
const load = loadOptions({ requests: 3, rate: 10 });

test('--json output matches its published JSON Schema (full and empty runs)', () => {
  const validate = new Ajv({ strict: false }).compile(schema as object);
  const stats = createStats();
  stats.latencyUs.recordValue(1234);
  stats.requests = 1;
  countStatus(stats, 200);
  countError(stats, 'refused');
  recordPhase(stats.phases.wait, 1.2);
  stats.durationMs = 100;
  for (const summary of [summarize(load, stats), summarize({ ...load, rate: undefined }, createStats())]) {
    const json: unknown = JSON.parse(JSON.stringify(summary));
    assert.equal(validate(json), true, JSON.stringify(validate.errors));
  }
});
