import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readRegisterConfig } from './config.js';

test('the base endpoint gets /v1/traces, a traces endpoint is used as given, headers and resource are decoded', () => {
  const { config, problems } = readRegisterConfig({
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
    OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc, x-tenant = team1',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,service.name=from-resource',
  });
  assert.deepEqual(problems, []);
  assert.equal(config.tracesEndpoint, 'http://collector:4318/v1/traces');
  assert.deepEqual(config.headers, { authorization: 'Bearer abc', 'x-tenant': 'team1' });
  assert.equal(config.serviceName, 'from-resource');
  assert.equal(config.sampleRate, 0.1);
  assert.equal(
    readRegisterConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://x/otlp/traces', OTEL_SERVICE_NAME: 'api' }).config
      .tracesEndpoint,
    'https://x/otlp/traces',
  );
  assert.equal(readRegisterConfig({}).config.tracesEndpoint, undefined);
  assert.equal(readRegisterConfig({}).config.serviceName, 'unknown_service:node');
});

test('bad values are ignored with a line naming the variable and what is expected', () => {
  const { config, problems } = readRegisterConfig({
    OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
    CULPRIT_SAMPLE_RATE: '2',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    OTEL_EXPORTER_OTLP_HEADERS: 'novalue',
  });
  assert.equal(config.tracesEndpoint, undefined);
  assert.equal(config.sampleRate, 0.1);
  assert.deepEqual(problems, [
    "OTEL_EXPORTER_OTLP_HEADERS: ignored 'novalue': expected key=value pairs separated by commas",
    "OTEL_EXPORTER_OTLP_PROTOCOL='grpc' ignored: culprit sends http/protobuf only",
    "CULPRIT_SAMPLE_RATE='2' ignored: expected a number from 0 to 1; using 0.1",
    "OTEL_EXPORTER_OTLP_ENDPOINT='collector:4318' ignored: expected an http:// or https:// URL",
  ]);
});
