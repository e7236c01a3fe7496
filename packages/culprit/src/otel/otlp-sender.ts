/**
 * Sends spans to an OTLP/HTTP endpoint in batches, one export at a time,
 * from a queue of bounded size: when the endpoint is slow or down, spans
 * past the bound are dropped and counted, never held, and an export that
 * takes longer than the timeout is abandoned. Failures are counted by kind
 * (the app is never told: this runs in the export worker thread).
 */
import { failureOf, postBody } from './post-body.js';
import type { OtelSpan } from './span-model.js';

/** The worker's bounds: a few MB of spans at most, whatever the endpoint does. */
export const senderLimits = { maxQueuedSpans: 4096, maxBatchSpans: 512, flushDelayMs: 1000 } as const;

export interface SenderOptions {
  endpoint: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Spans held while waiting for an export; more are dropped. */
  maxQueuedSpans: number;
  /** Spans per export request. */
  maxBatchSpans: number;
  /** How long spans wait for companions before they are sent. */
  flushDelayMs: number;
  encode: (spans: readonly OtelSpan[]) => Uint8Array;
}

export interface SenderCounts {
  exportedSpans: number;
  droppedSpans: number;
  /** Export requests that failed, by kind: `http 500`, `timeout`, `network`. */
  failures: Record<string, number>;
}

export class OtlpSender {
  readonly counts: SenderCounts = { exportedSpans: 0, droppedSpans: 0, failures: {} };
  private queue: OtelSpan[] = [];
  private sending: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SenderOptions) {}

  /** Spans waiting for an export. */
  get queued(): number {
    return this.queue.length;
  }

  /** Queues one request's spans (all or none, so a trace is never cut in half). */
  add(spans: readonly OtelSpan[]): void {
    if (this.queue.length + spans.length > this.options.maxQueuedSpans) {
      this.counts.droppedSpans += spans.length;
      return;
    }
    this.queue.push(...spans);
    if (this.queue.length >= this.options.maxBatchSpans) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.options.flushDelayMs);
  }

  /** Sends what is queued now (batch after batch) and resolves when done. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.sending) {
      this.kick();
      await this.sending;
    }
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.sending || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.options.maxBatchSpans);
    this.sending = this.send(batch).finally(() => {
      this.sending = undefined;
      if (this.queue.length > 0) this.timer ??= setTimeout(() => this.kick(), this.options.flushDelayMs);
    });
  }

  private fail(kind: string, spans: number): void {
    this.counts.failures[kind] = (this.counts.failures[kind] ?? 0) + 1;
    this.counts.droppedSpans += spans;
  }

  private async send(batch: OtelSpan[]): Promise<void> {
    let body: Uint8Array;
    try {
      body = this.options.encode(batch);
    } catch {
      this.fail('encode', batch.length);
      return;
    }
    const failure = failureOf(
      await postBody(
        this.options.endpoint,
        { ...this.options.headers, 'content-type': 'application/x-protobuf' },
        body,
        this.options.timeoutMs,
      ),
    );
    if (failure === undefined) this.counts.exportedSpans += batch.length;
    else this.fail(failure, batch.length);
  }
}
