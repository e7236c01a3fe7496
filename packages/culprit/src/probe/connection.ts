/**
 * The probe's side of the unix socket: one connection per process, opened
 * lazily (only the listening server, or the module host, ever connects), unref'd
 * so it never keeps the app alive, speaking JSON lines. Methods are a registry
 * (name → handler) that other probe modules and the module host fill.
 */
import { createConnection, type Socket } from 'node:net';
import { noteFault } from './faults.js';
import { HANDSHAKE_TIMEOUT_MS, parseLine, proofFor, proofMatches, randomToken, SECRET_ENV } from './handshake.js';
import { markOwnSocket } from './network/socket-writes.js';
import type { CallMessage, ProbeMessage } from './protocol.js';
import { SOCKET_ENV } from './protocol.js';

type Handler = (params: unknown) => unknown;

const methods = new Map<string, Handler>();
/** Loads the methods not registered yet (the server side's record side), at the first call of one. */
let loadMoreMethods: (() => void) | undefined;
const onConnect: Array<() => void> = [];
let socket: Socket | undefined;
let connecting: Promise<boolean> | undefined;
// A cluster worker can be handed its first request while its connection is still proving itself
// (the primary shares the port as soon as the worker listens): what it records meanwhile waits here,
// bounded, and goes out right after the hello; a connection that fails drops it.
const heldUntilConnected: ProbeMessage[] = [];
const HELD_LIMIT = 256;
let connectFailed = false;

/** Adds an RPC method the CLI may call. */
export function registerMethod(name: string, handler: Handler): void {
  methods.set(name, handler);
}

/** `load` registers more methods; it runs (once) when the CLI calls a method not registered yet. */
export function onUnknownMethod(load: () => void): void {
  loadMoreMethods = load;
}

/** Runs `fn` once the connection is up (now if it already is). */
export function whenConnected(fn: () => void): void {
  if (socket) fn();
  else onConnect.push(fn);
}

/** Sends one message; held while the connection is being made, dropped when there is none. */
export function send(message: ProbeMessage): void {
  if (!socket) {
    if (connecting && !connectFailed && heldUntilConnected.length < HELD_LIMIT) heldUntilConnected.push(message);
    return;
  }
  try {
    socket.write(`${JSON.stringify(message)}\n`);
  } catch (error) {
    noteFault('send', error);
  }
}

/** Connects to the CLI's socket once; resolves false when no CLI listens (the env is absent or stale) or it fails to prove itself. */
export function connectToCli(options: { keepAlive: boolean }): Promise<boolean> {
  const path = process.env[SOCKET_ENV];
  const secret = process.env[SECRET_ENV];
  if (!path || !secret) return Promise.resolve(false);
  connecting ??= new Promise<boolean>((resolve) => {
    const client = createConnection(path);
    markOwnSocket(client);
    const fail = (): void => {
      connectFailed = true;
      heldUntilConnected.length = 0;
      resolve(false);
    };
    client.once('error', (error) => {
      noteFault('connect', error);
      fail();
    });
    client.once('connect', () => {
      if (!options.keepAlive) client.unref();
      client.setEncoding('utf8');
      void handshake(client, secret).then((rest) => {
        if (rest === undefined) {
          noteFault('connect', new Error('the socket did not prove it is culprit; nothing was sent'));
          client.destroy();
          fail();
          return;
        }
        socket = client;
        listen(client, rest);
        send({
          type: 'hello',
          pid: process.pid,
          ppid: process.ppid,
          argv: process.argv,
          nodeVersion: process.version,
          platform: process.platform,
        });
        for (const held of heldUntilConnected.splice(0)) send(held);
        for (const fn of onConnect.splice(0)) fn();
        resolve(true);
      });
    });
  });
  return connecting;
}

/**
 * Answers the CLI's challenge and checks its answer to ours (handshake.ts).
 * Resolves with what followed the welcome (the CLI's first calls) once the
 * peer proved it holds the secret, else undefined; until then the probe says
 * nothing but its proof, so a stranger on the socket learns nothing.
 */
function handshake(client: Socket, secret: string): Promise<string | undefined> {
  const nonce = randomToken();
  return new Promise<string | undefined>((resolve) => {
    let buffer = '';
    let step: 'challenge' | 'welcome' = 'challenge';
    const finish = (rest: string | undefined): void => {
      clearTimeout(deadline);
      client.off('data', onData);
      client.off('close', onClose);
      resolve(rest);
    };
    const onClose = (): void => finish(undefined);
    const onData = (chunk: string): void => {
      buffer += chunk;
      if (buffer.length > 4096) {
        finish(undefined);
        return;
      }
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        const message = parseLine(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        if (step === 'challenge') {
          if (message?.type !== 'challenge' || typeof message.nonce !== 'string') {
            finish(undefined);
            return;
          }
          client.write(`${JSON.stringify({ type: 'auth', proof: proofFor(secret, 'probe', message.nonce), nonce })}\n`);
          step = 'welcome';
        } else {
          const ok = message?.type === 'welcome' && proofMatches(secret, 'cli', nonce, message.proof);
          finish(ok ? buffer : undefined);
          return;
        }
      }
    };
    const deadline = setTimeout(() => finish(undefined), HANDSHAKE_TIMEOUT_MS);
    deadline.unref();
    client.on('data', onData);
    client.once('close', onClose);
  });
}

/** Calls `fn` once when the CLI goes away (the module host exits then). */
export function onDisconnect(fn: () => void): void {
  let called = false;
  whenConnected(() =>
    socket?.once('close', () => {
      if (called) return;
      called = true;
      fn();
    }),
  );
}

function listen(client: Socket, rest: string): void {
  let buffer = '';
  const onData = (chunk: string): void => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.trim()) void dispatch(line);
      newline = buffer.indexOf('\n');
    }
  };
  client.on('data', onData);
  client.on('error', (error) => noteFault('socket', error));
  if (rest) onData(rest);
}

async function dispatch(line: string): Promise<void> {
  let call: CallMessage;
  try {
    call = JSON.parse(line) as CallMessage;
  } catch (error) {
    noteFault('parse', error);
    return;
  }
  let handler = methods.get(call.method);
  if (!handler && loadMoreMethods) {
    const load = loadMoreMethods;
    loadMoreMethods = undefined;
    try {
      load();
    } catch (error) {
      noteFault('methods', error);
    }
    handler = methods.get(call.method);
  }
  if (!handler) {
    send({ type: 'error', id: call.id, message: `the probe has no method '${call.method}'` });
    return;
  }
  try {
    const result = await handler(call.params);
    send({ type: 'result', id: call.id, result: result ?? null });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    send({
      type: 'error',
      id: call.id,
      message: error instanceof Error ? error.message : String(error),
      ...(typeof code === 'string' ? { code } : {}),
    });
  }
}
