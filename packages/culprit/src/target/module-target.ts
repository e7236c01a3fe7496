/**
 * Module mode: a child node process (tsx registered, probe preloaded) runs
 * the module host, which imports the user's module and serves `inject` calls
 * in-process over in-memory connections: no port, middleware included.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CulpritError } from '../errors/culprit-error.js';
import type { HostReadyMessage, InjectResult } from '../probe/protocol.js';
import { MODULE_ENV, MODULE_EXPORT_ENV } from '../probe/protocol.js';
import { splitAppSpec } from './app-spec.js';
import { ProbeHub, type ProbeLink } from './probe-link.js';
import { moduleHostUrl, probeEntryUrl, tsMetadataUrl, tsxLoaderUrl } from './probe-paths.js';
import { spawnGroup } from './process-group.js';
import { waitReady } from './ready.js';
import { runningTarget } from './running-target.js';
import type { ModuleTargetOptions, RunningTarget } from './types.js';

/** Grace before SIGKILL when the user pressed Ctrl-C: culprit must stop within a second. */
const INTERRUPTED_GRACE_MS = 300;

function readyNotes(modulePath: string, message: HostReadyMessage): string[] {
  if (message.exportName === '') {
    const port = message.startedPort
      ? ` (it listens on port ${message.startedPort}; culprit does not use the port)`
      : '';
    return [`${modulePath} exports nothing and started a server itself: requests go to that server in memory${port}`];
  }
  return message.exportName === 'default' ? [] : [`serving the module's export '${message.exportName}'`];
}

export async function openModuleTarget(options: ModuleTargetOptions): Promise<RunningTarget> {
  const spec = splitAppSpec(options.modulePath);
  const modulePath = isAbsolute(spec.modulePath) ? spec.modulePath : resolve(options.cwd, spec.modulePath);
  const hub = await ProbeHub.open();
  const argv = [
    process.execPath,
    `--import=${tsxLoaderUrl()}`,
    `--import=${tsMetadataUrl()}`,
    `--import=${probeEntryUrl()}`,
    fileURLToPath(moduleHostUrl()),
  ];
  // tsx would cache the compiled TypeScript in a world-readable /tmp/tsx-<uid>: off, compiled in memory only
  const env: NodeJS.ProcessEnv = {
    ...(options.env ?? process.env),
    ...hub.env(),
    [MODULE_ENV]: modulePath,
    [MODULE_EXPORT_ENV]: spec.exportName ?? '',
    TSX_DISABLE_CACHE: '1',
  };
  const group = spawnGroup(argv, {
    cwd: options.cwd,
    env,
    ...(options.echoStderr ? { echo: options.echoStderr } : {}),
  });
  const what = `the module host for ${options.modulePath}`;
  let ready: { link: ProbeLink; message: HostReadyMessage };
  try {
    ready = await waitReady({
      group,
      what,
      readiness: 'the module did not finish importing, or it exports nothing and started no server',
      timeoutMs: options.readyTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      until: (resolveReady, reject) => {
        hub.on('link', (link) =>
          link.on('message', (message) => {
            if (message.type === 'host.ready') resolveReady({ link, message });
            if (message.type === 'host.failed') {
              const code = message.nothingUsable ? 'CULPRIT_E_MODULE_UNUSABLE' : 'CULPRIT_E_TARGET_FAILED';
              const prefix = message.nothingUsable ? '' : `importing ${options.modulePath} failed: `;
              reject(new CulpritError(code, `${prefix}${message.message}`));
            }
          }),
        );
      },
    });
  } catch (error) {
    hub.close();
    throw error;
  }
  const { link, message } = ready;
  return runningTarget({
    link,
    hub,
    ...(options.recordTimeoutMs === undefined ? {} : { recordTimeoutMs: options.recordTimeoutMs }),
    info: {
      mode: 'module',
      module: options.modulePath,
      framework: message.framework,
      ...(link.hello
        ? { pid: link.hello.pid, nodeVersion: link.hello.nodeVersion, platform: link.hello.platform }
        : {}),
    },
    notes: readyNotes(options.modulePath, message),
    // an injection cannot be called back; on Ctrl-C the send gives up on it and close() stops the host
    deliver: async (request) => (await link.call<InjectResult>('inject', request)).status,
    listen: async (port) => `http://127.0.0.1:${await link.call<number>('host.listen', { port })}`,
    exited: group.exited,
    stderrTail: group.stderrTail,
    stop: async () => {
      hub.close();
      await group.stop(options.signal?.aborted ? INTERRUPTED_GRACE_MS : undefined);
    },
  });
}
