/**
 * Command mode: the user's own command (`npm start`, `npx tsx src/server.ts`)
 * in its own process group, the probe preloaded through NODE_OPTIONS into
 * every node process of the tree. The process whose server listens on a TCP
 * port reports it; requests are real HTTP over loopback.
 */
import { LoopbackClient } from './http-client.js';
import { ProbeHub, type ProbeLink } from './probe-link.js';
import { nodeOptionsWithProbe } from './probe-paths.js';
import { spawnGroup } from './process-group.js';
import { waitReady } from './ready.js';
import { runningTarget } from './running-target.js';
import type { CommandTargetOptions, RunningTarget } from './types.js';

/** After the first port shows, how long to wait for others (a server may open several). */
const MORE_PORTS_MS = 250;

interface Listening {
  link: ProbeLink;
  port: number;
  address: string;
  secure?: boolean;
}

/** Grace before SIGKILL when the user pressed Ctrl-C: culprit must stop within a second. */
const INTERRUPTED_GRACE_MS = 300;

/** The loopback host to reach a server bound to `address`. */
export function loopbackHost(address: string): string {
  if (address === '::1') return '::1';
  if (address === '::' || address === '0.0.0.0' || address === '' || address === '::ffff:0.0.0.0') return '127.0.0.1';
  return address;
}

/** Picks the port to use and says why when there was a choice. */
export function choosePort(seen: Listening[], wanted: number | undefined): { chosen?: Listening; note?: string } {
  if (wanted !== undefined) {
    const chosen = seen.find((entry) => entry.port === wanted);
    return chosen ? { chosen } : {};
  }
  const chosen = seen[0];
  // a cluster's primary and workers all report the one port they share
  const distinct = [...new Set(seen.map((entry) => entry.port))];
  if (!chosen || distinct.length === 1) return chosen ? { chosen } : {};
  const ports = distinct.join(', ');
  return { chosen, note: `the target listens on ports ${ports}; using ${chosen.port} (pick another with --port)` };
}

export async function openCommandTarget(options: CommandTargetOptions): Promise<RunningTarget> {
  const hub = await ProbeHub.open();
  const baseEnv = options.env ?? process.env;
  const env = { ...baseEnv, NODE_OPTIONS: nodeOptionsWithProbe(baseEnv.NODE_OPTIONS), ...hub.env() };
  const group = spawnGroup(options.command, {
    cwd: options.cwd,
    env,
    ...(options.echoStderr ? { echo: options.echoStderr } : {}),
  });
  const what = `the command '${options.command.join(' ')}'`;
  const seen: Listening[] = [];
  let picked: { chosen?: Listening; note?: string };
  try {
    picked = await waitReady({
      group,
      what,
      readiness:
        options.port === undefined ? 'no server listening on a TCP port' : `nothing listening on port ${options.port}`,
      timeoutMs: options.readyTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      until: (resolve) => {
        let settling = false;
        hub.on('link', (link) =>
          link.on('message', (message) => {
            if (message.type !== 'listening') return;
            seen.push({ link, port: message.port, address: message.address, secure: message.secure === true });
            if (options.port !== undefined) {
              if (message.port === options.port) resolve(choosePort(seen, options.port));
            } else {
              if (!settling) {
                setTimeout(() => resolve(choosePort(seen, undefined)), MORE_PORTS_MS);
                // the wait for more ports is idle time: the Debugger domain's hashing fits in it
                if (options.enableScriptsEarly) link.call('scripts.enable').catch(() => undefined);
              }
              settling = true;
            }
          }),
        );
      },
    });
  } catch (error) {
    hub.close();
    throw error;
  }
  const { chosen } = picked;
  if (!chosen) throw new Error('unreachable: ready without a port');
  const link = chosen.link;
  const host = loopbackHost(chosen.address);
  const secure = chosen.secure === true || options.scheme === 'https';
  const client = new LoopbackClient(host, chosen.port, secure);
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const notes = picked.note ? [picked.note] : [];
  if (secure) notes.push(httpsNote(chosen.secure === true, options.scheme));
  return runningTarget({
    link,
    hub,
    ...(options.recordTimeoutMs === undefined ? {} : { recordTimeoutMs: options.recordTimeoutMs }),
    info: {
      mode: 'command',
      command: options.command,
      baseUrl: `${secure ? 'https' : 'http'}://${hostPart}:${chosen.port}`,
      ...(link.hello
        ? { pid: link.hello.pid, nodeVersion: link.hello.nodeVersion, platform: link.hello.platform }
        : {}),
    },
    notes,
    deliver: async (request, signal) => (await client.send(request, signal)).status,
    // the server already listens: that port is where traffic reaches it
    listen: async () => `${secure ? 'https' : 'http'}://${hostPart}:${chosen.port}`,
    exited: group.exited,
    stderrTail: group.stderrTail,
    stop: async () => {
      client.close();
      hub.close();
      await group.stop(options.signal?.aborted ? INTERRUPTED_GRACE_MS : undefined);
    },
  });
}

/** What culprit tells about HTTPS: that it is used, and that the certificate was not checked. */
function httpsNote(serverIsTls: boolean, scheme: 'http' | 'https' | undefined): string {
  const why = serverIsTls && scheme === 'http' ? 'the server speaks TLS although the URL said http://; ' : '';
  return `${why}sent over HTTPS without checking the server's certificate (self-signed certificates accepted; loopback only)`;
}
