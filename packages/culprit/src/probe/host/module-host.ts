/**
 * Module mode's process entry: `node --import tsx --import <probe> module-host.js`
 * with CULPRIT_MODULE naming the user's module. It imports the module, finds an
 * export an adapter accepts, and serves the CLI's `inject` calls in-process
 * over in-memory connections. It lives as long as the CLI's connection.
 */
import { pathToFileURL } from 'node:url';
import { onDisconnect, registerMethod, send } from '../connection.js';
import { startProbe } from '../index.js';
import type { InjectParams } from '../protocol.js';
import { MODULE_ENV } from '../protocol.js';
import { ACCEPTED, appAdapters, describeExport } from './adapters.js';
import { injectRequest } from './memory-connection.js';

const PREFERRED = ['default', 'app', 'server', 'handler', 'fetch'];

/** Export names in the order they are tried: default and the usual names first. */
function orderedExports(namespace: Record<string, unknown>): Array<[string, unknown]> {
  const names = Object.keys(namespace).sort((a, b) => {
    const rank = (n: string): number => (PREFERRED.includes(n) ? PREFERRED.indexOf(n) : PREFERRED.length);
    return rank(a) - rank(b) || a.localeCompare(b);
  });
  const entries: Array<[string, unknown]> = names.map((name) => [name, namespace[name]]);
  // CommonJS through ESM: `default` is module.exports, whose own keys are exports too
  const cjs = namespace.default;
  if (cjs && typeof cjs === 'object' && !Array.isArray(cjs)) {
    for (const [name, value] of Object.entries(cjs)) entries.push([`default.${name}`, value]);
  }
  return entries;
}

/** An import failure in one line: the message and where it was thrown (the app's frame, not ours). */
function oneLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const message = error.message.split('\n')[0] ?? '';
  const frame = (error.stack ?? '')
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line.startsWith('at ') && !line.includes('node:internal') && !line.includes('/culprit/dist/'));
  return frame ? `${message} (${frame})` : message;
}

/** Names that say "I make an app": buildApp, createServer, makeHandler, … */
const FACTORY = /^(build|create|make|init|get)[A-Z_]?\w*$/;

function isFactory(name: string, value: unknown): (() => unknown) | undefined {
  if (typeof value !== 'function' || value.length > 1) return undefined;
  const fnName = (value as { name?: unknown }).name;
  const exportName = name.replace(/^default\./, '');
  if (!FACTORY.test(exportName) && !(typeof fnName === 'string' && FACTORY.test(fnName))) return undefined;
  return value as () => unknown;
}

async function load(): Promise<void> {
  const modulePath = process.env[MODULE_ENV] ?? '';
  const namespace = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  const found: string[] = [];
  for (const [name, raw] of orderedExports(namespace)) {
    let value = raw instanceof Promise ? await (raw as Promise<unknown>) : raw;
    // `export async function buildApp()`: a factory is called (no arguments) and its result served
    const factory = isFactory(name, value);
    if (factory) value = await factory();
    const adapter = appAdapters.find((candidate) => candidate.detect(value));
    if (!adapter) {
      found.push(describeExport(name, value));
      continue;
    }
    const server = await adapter.toServer(value);
    registerMethod('inject', (params) => injectRequest(server, params as InjectParams));
    send({ type: 'host.ready', framework: adapter.id, exportName: factory ? `${name}()` : name });
    return;
  }
  send({
    type: 'host.failed',
    nothingUsable: true,
    message: `${modulePath} exports nothing culprit can serve (found: ${found.join('; ') || 'no exports'}); expected ${ACCEPTED}`,
  });
}

const connected = await startProbe({ keepAlive: true });
if (!connected) {
  process.stderr.write('culprit module host: no CLI socket to talk to (run it through culprit)\n');
  process.exit(1);
}
onDisconnect(() => process.exit(0));
try {
  await load();
} catch (error) {
  send({ type: 'host.failed', nothingUsable: false, message: oneLine(error) });
}
