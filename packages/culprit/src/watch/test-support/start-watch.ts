/** Test helpers for `culprit watch`: start it in-process, find a free port, read the saved capture's routes. */
import assert from 'node:assert/strict';
import { type AddressInfo, createServer } from 'node:net';
import type { Capture } from '../../capture/types.js';
import { main } from '../../cli/main.js';
import { recordingIo } from '../../cli/test-support/recording-io.js';

export interface RunningWatch {
  url: string;
  stop(): Promise<{ code: number; stdout: string; stderr: string }>;
}

function answering(url: string): Promise<string | undefined> {
  return fetch(`${url}/health`).then(
    () => url,
    () => undefined,
  );
}

/** Starts `culprit watch`, waits for the URL it records at (or, given `port`, until that port answers). */
export async function startWatch(
  args: string[],
  cwd: string,
  port?: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningWatch> {
  const controller = new AbortController();
  const io = recordingIo(cwd, { signal: controller.signal, env });
  const running = main(['watch', ...args], io);
  let url: string | undefined;
  while (!url) {
    const settled = await Promise.race([running.then(() => 'ended'), new Promise((r) => setTimeout(r, 100, 'wait'))]);
    if (settled === 'ended') assert.fail(`watch ended before listening: ${io.err()}`);
    // --json keeps stderr quiet: then the test named the port, and waits until it answers
    url = port ? await answering(`http://127.0.0.1:${port}`) : /recording every request to (\S+)/.exec(io.err())?.[1];
  }
  return {
    url,
    async stop() {
      controller.abort();
      const code = await running;
      return { code, stdout: io.out(), stderr: io.err() };
    },
  };
}

/** A port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `METHOD route from count` per route of a watch capture, sorted, for one readable assertion. */
export function routeLines(capture: Capture): string[] {
  return (capture.watch?.routes ?? []).map((r) => `${r.method} ${r.route} ${r.from} ${r.count}`).sort();
}
