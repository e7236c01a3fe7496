// Command mode end to end: the user's command spawned with the probe preloaded,
// real HTTP over loopback. Needs `npm run build` (the probe runs from dist).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isCulpritError } from '../errors/culprit-error.js';
import { choosePort, loopbackHost } from './command-target.js';
import { openTarget } from './open-target.js';
import type { RunningTarget } from './types.js';

const fixtures = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));
const opened: RunningTarget[] = [];
after(async () => {
  await Promise.all(opened.map((target) => target.close()));
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = http.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function open(
  cwd: string,
  command: string[],
  extra: { port?: number; readyTimeoutMs?: number; env?: NodeJS.ProcessEnv; enableScriptsEarly?: boolean } = {},
): Promise<RunningTarget> {
  const target = await openTarget({
    ...(extra.env ? { env: extra.env } : {}),
    ...(extra.enableScriptsEarly ? { enableScriptsEarly: true } : {}),
    mode: 'command',
    command,
    cwd: `${fixtures}${cwd}`,
    readyTimeoutMs: extra.readyTimeoutMs ?? 15_000,
    ...(extra.port === undefined ? {} : { port: extra.port }),
  });
  opened.push(target);
  return target;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function get(port: number, path: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      })
      .on('error', reject);
  });
}

/** Runs the fixture server without culprit and returns its port and a stop function. */
async function plainServer(): Promise<{ port: number; stop(): void }> {
  const child = spawn(process.execPath, ['server.js'], {
    cwd: `${fixtures}trace-express`,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (line: string) => {
      const match = /listening on (\d+)/.exec(line);
      if (match) resolve(Number(match[1]));
    });
  });
  return { port, stop: () => child.kill() };
}

describe('command mode', () => {
  test('node server.js: port learned from the probe, records per request, same responses as without the probe', async () => {
    const target = await open('trace-express', ['node', 'server.js']);
    await target.probe.configureTrace({ queries: true, constructions: true, stacks: false });
    const observed = await target.send({ method: 'GET', path: '/items?n=250' });
    assert.equal(observed.status, 200);
    assert.equal(observed.constructions.find((c) => c.className === 'Ephemeron')?.count, 250);
    assert.equal(observed.items, 250);
    const port = Number(new URL(target.info.baseUrl ?? '').port);
    const plain = await plainServer();
    try {
      for (const path of ['/items?n=40', '/block?ms=1', '/nope']) {
        const [withProbe, without] = await Promise.all([get(port, path), get(plain.port, path)]);
        assert.equal(withProbe.status, without.status, path);
        assert.equal(withProbe.body, without.body, path);
        const { date: _a, ...headersWith } = withProbe.headers;
        const { date: _b, ...headersWithout } = without.headers;
        assert.deepEqual(headersWith, headersWithout, path);
      }
    } finally {
      plain.stop();
    }
  });

  test('enableScriptsEarly (diagnose): the Debugger domain is on before the first call, counts and sources work', async () => {
    const target = await open('trace-express', ['node', 'server.js'], { enableScriptsEarly: true });
    // the wait for more ports (250 ms) asked for the domain; its hashes are there without another enable
    await target.probe.startCallCounts();
    await target.send({ method: 'GET', path: '/items?n=5' });
    const take = await target.probe.takeCallCounts();
    await target.probe.stopCallCounts();
    const app = take.find((script) => script.url.includes('/fixtures/trace-express/'));
    assert.ok(app, `the app's code was counted: ${take.map((script) => script.url).join(', ')}`);
    const [hash] = (await target.probe.scriptHashes?.([app.scriptId])) ?? [];
    assert.match(hash ?? '', /^[0-9a-f]{64}$/);
    assert.ok((await target.probe.scriptSource(app.scriptId)).length > 0);
  });

  test('npm start → npx tsx server.ts: the final server reports itself; .ts locations', async () => {
    const target = await open('trace-ts', ['npm', 'start']);
    await target.probe.configureTrace({ queries: false, constructions: true, stacks: false });
    const observed = await target.send({ method: 'GET', path: '/api/ephemera?n=9' });
    assert.equal(observed.status, 200);
    const ephemeron = observed.constructions.find((c) => c.className === 'Ephemeron');
    assert.equal(ephemeron?.count, 9);
    assert.match(ephemeron?.location?.file ?? '', /trace-ts\/app\.ts$/);
    const pid = target.info.pid ?? 0;
    assert.ok(alive(pid));
    await target.close();
    assert.equal(alive(pid), false, 'the whole process group is stopped: no orphan server');
  });

  test('several ports: the first by default (said in notes), --port picks another', async () => {
    const first = await open('trace-bad', ['node', 'two-ports.js']);
    assert.match(first.notes.join('\n'), /listens on ports \d+, \d+; using \d+/);
    assert.equal((await first.send({ method: 'GET', path: '/' })).bytes, 'admin'.length);
    await first.close();
    const appPort = await freePort();
    const picked = await open('trace-bad', ['node', 'two-ports.js'], {
      port: appPort,
      env: { ...process.env, APP_PORT: String(appPort) },
    });
    assert.equal(picked.info.baseUrl, `http://127.0.0.1:${appPort}`);
    assert.deepEqual(picked.notes, []);
    assert.equal((await picked.send({ method: 'GET', path: '/' })).bytes, 'app'.length);
  });

  test('the command exits before listening: its exit code and last stderr lines', async () => {
    await assert.rejects(open('trace-bad', ['node', 'exit-early.js']), (error: unknown) => {
      assert.ok(isCulpritError(error));
      assert.equal(error.code, 'CULPRIT_E_TARGET_EXITED');
      assert.match(error.message, /exited with code 3/);
      assert.match(error.message, /DATABASE_URL is not set/);
      return true;
    });
  });

  test('the command never listens: a timeout naming the command', async () => {
    await assert.rejects(
      open('trace-bad', ['node', 'never-listens.js'], { readyTimeoutMs: 1500 }),
      (error: unknown) => {
        assert.ok(isCulpritError(error));
        assert.equal(error.code, 'CULPRIT_E_TARGET_TIMEOUT');
        assert.match(error.message, /node never-listens\.js/);
        return true;
      },
    );
  });
});

describe('port choice', () => {
  test('loopback host for wildcard and IPv6 binds', () => {
    assert.equal(loopbackHost('::'), '127.0.0.1');
    assert.equal(loopbackHost('0.0.0.0'), '127.0.0.1');
    assert.equal(loopbackHost('::1'), '::1');
    assert.equal(loopbackHost('127.0.0.1'), '127.0.0.1');
  });
  test('choosePort: wanted port or first, with a note when there was a choice', () => {
    const link = {} as never;
    const seen = [
      { link, port: 9229, address: '127.0.0.1' },
      { link, port: 3000, address: '127.0.0.1' },
    ];
    assert.equal(choosePort(seen, 3000).chosen?.port, 3000);
    assert.equal(choosePort(seen, 3000).note, undefined);
    assert.equal(choosePort(seen, undefined).chosen?.port, 9229);
    assert.match(choosePort(seen, undefined).note ?? '', /9229, 3000; using 9229/);
    assert.equal(choosePort(seen, 1).chosen, undefined);
  });
});
