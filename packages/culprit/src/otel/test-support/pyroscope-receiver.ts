/**
 * A Pyroscope-compatible ingest endpoint of the tests' own, on 127.0.0.1:
 * keeps each `POST /ingest` with its query and the pprof body decoded
 * (gunzipped, then `pprof-format`), as CPU time per stack. It can also
 * answer 500, to play a failing server.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';

export interface ReceivedProfile {
  name: string;
  query: URLSearchParams;
  /** Sample types as `type/unit`. */
  sampleTypes: string[];
  /** One entry per sample: its stack (function names, leaf first) and values. */
  samples: Array<{ stack: string[]; values: number[] }>;
}

export interface PyroscopeReceiver {
  url: string;
  profiles: ReceivedProfile[];
  /** Uploads received, decodable or not. */
  uploads: number;
  close(): Promise<void>;
}

export function decodeProfile(body: Buffer): Omit<ReceivedProfile, 'name' | 'query'> {
  const profile = Profile.decode(body[0] === 0x1f ? gunzipSync(body) : body);
  const strings = profile.stringTable.strings;
  const text = (index: unknown): string => strings[Number(index)] ?? '';
  const functions = new Map(profile.function.map((fn) => [Number(fn.id), text(fn.name)]));
  const locations = new Map(
    profile.location.map((location) => [
      Number(location.id),
      functions.get(Number(location.line[0]?.functionId)) ?? '?',
    ]),
  );
  return {
    sampleTypes: profile.sampleType.map((type) => `${text(type.type)}/${text(type.unit)}`),
    samples: profile.sample.map((sample) => ({
      stack: sample.locationId.map((id) => locations.get(Number(id)) ?? '?'),
      values: sample.value.map(Number),
    })),
  };
}

export async function startPyroscope(mode: 'ok' | 'error500' = 'ok'): Promise<PyroscopeReceiver> {
  const profiles: ReceivedProfile[] = [];
  const receiver = { profiles, uploads: 0 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      receiver.uploads += 1;
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (mode === 'error500' || url.pathname !== '/ingest') {
        response.writeHead(500).end('ingest failed');
        return;
      }
      profiles.push({
        name: url.searchParams.get('name') ?? '',
        query: url.searchParams,
        ...decodeProfile(Buffer.concat(chunks)),
      });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
