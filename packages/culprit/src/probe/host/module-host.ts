/**
 * Module mode's process entry: `node --import tsx --import <probe> module-host.js`
 * with CULPRIT_MODULE naming the user's module. It imports the module, finds an
 * export an adapter accepts, and serves the CLI's `inject` calls in-process
 * over in-memory connections. It lives as long as the CLI's connection.
 */
import { spawnSync } from 'node:child_process';
import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { onDisconnect, registerMethod, send } from '../connection.js';
import { loadDriverHooks } from '../hook-loading.js';
import { startProbe } from '../index.js';
import type { InjectParams } from '../protocol.js';
import { MODULE_ENV, MODULE_EXPORT_ENV } from '../protocol.js';
import { ACCEPTED, appAdapters, describeExport } from './adapters.js';
import { chooseExport, orderedExports } from './choose-export.js';
import { injectRequest } from './memory-connection.js';
import { exportsNothing, firstListeningServer } from './started-servers.js';

/** Where V8 put a SyntaxError of an ES module: not in its stack, only in what `node --check` prints. */
function syntaxErrorPlace(modulePath: string): string | undefined {
  const check = spawnSync(process.execPath, ['--check', modulePath], { encoding: 'utf8', timeout: 10_000 });
  const first = check.stderr?.split('\n')[0]?.trim() ?? '';
  return /^(?:file:\/\/)?\/\S+:\d+$/.test(first) ? first : undefined;
}

/**
 * An import failure as the user needs it: the whole message (esbuild's names
 * file:line:column on its second line) and where it was thrown: the app's
 * frame, not Node's, a dependency's or culprit's.
 */
function importFailure(error: unknown, modulePath: string): string {
  if (!(error instanceof Error)) return String(error);
  const message = error.message.trim();
  const frame = (error.stack ?? '')
    .split('\n')
    .map((line) => line.trim())
    .find(
      (line) =>
        line.startsWith('at ') &&
        !line.includes('node:internal') &&
        !line.includes('(node:') &&
        !line.includes('/culprit/dist/') &&
        !line.includes('/node_modules/'),
    );
  if (frame) return `${message} (${frame})`;
  const place = error instanceof SyntaxError ? syntaxErrorPlace(modulePath) : undefined;
  return place ? `${message} (at ${place})` : message;
}

async function settled(entries: Array<[string, unknown]>): Promise<Array<[string, unknown]>> {
  return Promise.all(
    entries.map(
      async ([name, value]): Promise<[string, unknown]> => [
        name,
        value instanceof Promise ? await (value as Promise<unknown>) : value,
      ],
    ),
  );
}

/**
 * `culprit watch --app`: real traffic (a browser, replay, the app's tests)
 * reaches the module's app over HTTP, on loopback only. Resolves with the port.
 */
function listenOnLoopback(server: Server, params: unknown): Promise<number> {
  const asked = (params as { port?: unknown } | undefined)?.port;
  const port = typeof asked === 'number' && Number.isInteger(asked) && asked >= 0 && asked < 65536 ? asked : 0;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

async function load(): Promise<void> {
  const modulePath = process.env[MODULE_ENV] ?? '';
  const wanted = process.env[MODULE_EXPORT_ENV] || undefined;
  const started = firstListeningServer();
  const namespace = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  if (!wanted && exportsNothing(namespace)) {
    // a script that serves by itself: its server, once listening (the CLI's --ready-timeout bounds the wait)
    const server = await started;
    const port = (server.address() as { port?: number } | null)?.port;
    registerMethod('inject', (params) => injectRequest(server, params as InjectParams));
    send({ type: 'host.ready', framework: 'server', exportName: '', ...(port ? { startedPort: port } : {}) });
    return;
  }
  const choice = chooseExport(await settled(orderedExports(namespace)), wanted, modulePath);
  if (choice.kind === 'none') {
    send({ type: 'host.failed', nothingUsable: true, message: choice.message });
    return;
  }
  let name = choice.name;
  let value = choice.kind === 'serve' ? choice.value : undefined;
  let adapter = choice.kind === 'serve' ? choice.adapter : undefined;
  if (choice.kind === 'call') {
    name = `${choice.name}()`;
    value = await choice.factory();
    adapter = appAdapters.find((candidate) => candidate.detect(value));
  }
  if (!adapter) {
    const got = describeExport(name, value);
    send({ type: 'host.failed', nothingUsable: true, message: `${modulePath}: ${got}; expected ${ACCEPTED}` });
    return;
  }
  const server = await adapter.toServer(value, modulePath);
  registerMethod('inject', (params) => injectRequest(server, params as InjectParams));
  registerMethod('host.listen', (params) => listenOnLoopback(server, params));
  send({ type: 'host.ready', framework: adapter.id, exportName: name });
}

const connected = await startProbe({ keepAlive: true });
if (!connected) {
  process.stderr.write('culprit module host: no CLI socket to talk to (run it through culprit)\n');
  process.exit(1);
}
onDisconnect(() => process.exit(0));
// every driver hook in place before the app loads: its driver files would load them too, but under tsx a
// few ticks late (hook-loading.ts), after Prisma's runtime or got's Request was handed to the app unpatched
await loadDriverHooks();
try {
  await load();
} catch (error) {
  send({ type: 'host.failed', nothingUsable: false, message: importFailure(error, process.env[MODULE_ENV] ?? '') });
}
