/**
 * The export worker thread `culprit/register` starts: everything heavy of
 * production export runs here, off the app's event loop — loading the OTLP
 * serializer, diagnosing each sampled request, encoding, and the HTTP sends.
 * The main thread only hands over plain records, and stops handing them over
 * when this thread falls behind (messages.ts: one `done` per request).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerCounts, WorkerSettings } from './messages.js';
import { spanEncoder } from './otlp-encode.js';
import { OtlpSender, senderLimits } from './otlp-sender.js';
import { ProfileExport } from './profile-export.js';
import { newId } from './random-ids.js';
import { sampledSpans } from './sampled-spans.js';

const { config, version } = workerData as WorkerSettings;
const port = parentPort;

const sender = config.tracesEndpoint
  ? new OtlpSender({
      endpoint: config.tracesEndpoint,
      headers: config.headers,
      timeoutMs: config.exportTimeoutMs,
      ...senderLimits,
      encode: spanEncoder({
        resourceAttributes: {
          ...config.resourceAttributes,
          'service.name': config.serviceName,
          'telemetry.sdk.name': 'culprit',
          'telemetry.sdk.language': 'nodejs',
          'telemetry.sdk.version': version,
          'process.pid': String(process.pid),
          'process.runtime.name': 'nodejs',
          'process.runtime.version': process.versions.node,
        },
        scopeVersion: version,
      }),
    })
  : undefined;

const profiles = config.pyroscopeUrl
  ? new ProfileExport({ url: config.pyroscopeUrl, appName: config.serviceName, timeoutMs: config.exportTimeoutMs })
  : undefined;

let requests = 0;
let faults = 0;

function counts(): WorkerCounts {
  return {
    requests,
    exportedSpans: sender?.counts.exportedSpans ?? 0,
    droppedSpans: sender?.counts.droppedSpans ?? 0,
    queuedSpans: sender?.queued ?? 0,
    failures: { ...(sender?.counts.failures ?? {}) },
    faults,
    ...(profiles ? { profiles: profiles.counts } : {}),
  };
}

function answer(message: FromWorker): void {
  port?.postMessage(message);
}

port?.on('message', (message: ToWorker) => {
  if (message.type === 'requests') {
    for (const request of message.requests) {
      requests += 1;
      try {
        sender?.add(sampledSpans(request, requests, newId));
      } catch {
        faults += 1;
      }
    }
    answer({ type: 'done', count: message.requests.length });
  } else if (message.type === 'profile-cut') {
    void profiles?.cut(message);
  } else if (message.type === 'flush') {
    void Promise.all([sender?.flush(), profiles?.flush()]).then(() => answer({ type: 'flushed', id: message.id }));
  } else if (message.type === 'flush-sync') {
    const done = new Int32Array(message.done);
    const wake = (): void => {
      Atomics.store(done, 0, 1);
      Atomics.notify(done, 0);
    };
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, message.timeoutMs).unref());
    profiles?.disconnect(); // the app's thread is on its way out: no more samples to take
    void Promise.race([Promise.all([sender?.flush(), profiles?.flush()]), deadline]).then(wake, wake);
  } else if (message.type === 'counts') {
    answer({ type: 'counts', id: message.id, counts: counts() });
  }
});
