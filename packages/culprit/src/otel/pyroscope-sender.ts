/**
 * Sends pprof profiles to a Pyroscope-compatible server (`POST /ingest`,
 * `format=pprof`, the series named `app{label=value,…}`, the interval as
 * `from`/`until` Unix seconds, the gzipped protobuf as the body), one upload
 * at a time from a queue of bounded length: when the server is slow or down,
 * uploads past the bound are dropped and counted, never held. Runs in the
 * export worker; failures are counted by kind, never thrown.
 */
import { failureOf, postBody } from './post-body.js';

export interface ProfileUpload {
  labels: Record<string, string>;
  fromSec: number;
  untilSec: number;
  /** gzipped pprof. */
  body: Uint8Array;
}

export interface PyroscopeOptions {
  /** Server base URL (`http://host:4040`). */
  url: string;
  /** Application name, the series' prefix (Pyroscope appends the profile type: `app.cpu`). */
  appName: string;
  timeoutMs: number;
  /** Uploads held while one is on its way; more are dropped. */
  maxQueued: number;
}

export interface PyroscopeCounts {
  sentProfiles: number;
  droppedProfiles: number;
  failures: Record<string, number>;
}

/** Label names and values as Pyroscope's series names allow (no braces, commas or equals signs). */
function clean(text: string): string {
  return text.replace(/[{},=\s]/g, '_');
}

/** `app{route=/cards/:id,method=GET}`, the `name` query parameter. */
export function seriesName(appName: string, labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${clean(key)}=${clean(value)}`);
  return `${clean(appName)}{${pairs.join(',')}}`;
}

export class PyroscopeSender {
  readonly counts: PyroscopeCounts = { sentProfiles: 0, droppedProfiles: 0, failures: {} };
  private readonly queue: ProfileUpload[] = [];
  private sending: Promise<void> | undefined;

  constructor(private readonly options: PyroscopeOptions) {}

  add(upload: ProfileUpload): void {
    if (this.queue.length >= this.options.maxQueued) {
      this.counts.droppedProfiles += 1;
      return;
    }
    this.queue.push(upload);
    this.sending ??= this.drain().finally(() => {
      this.sending = undefined;
    });
  }

  /** Resolves once every queued upload was sent or failed. */
  async flush(): Promise<void> {
    while (this.sending) await this.sending;
  }

  private async drain(): Promise<void> {
    for (let upload = this.queue.shift(); upload; upload = this.queue.shift()) await this.send(upload);
  }

  private fail(kind: string): void {
    this.counts.failures[kind] = (this.counts.failures[kind] ?? 0) + 1;
    this.counts.droppedProfiles += 1;
  }

  private async send(upload: ProfileUpload): Promise<void> {
    const query = new URLSearchParams({
      name: seriesName(this.options.appName, upload.labels),
      from: String(upload.fromSec),
      until: String(upload.untilSec),
      format: 'pprof',
      spyName: 'nodespy',
    });
    const failure = failureOf(
      await postBody(
        `${this.options.url}/ingest?${query}`,
        { 'content-type': 'application/octet-stream' },
        upload.body,
        this.options.timeoutMs,
      ),
    );
    if (failure === undefined) this.counts.sentProfiles += 1;
    else this.fail(failure);
  }
}
