/**
 * Wires `culprit/register` together: settings from the environment, the
 * driver hooks, the sampled recorder, and the export worker. Every failure
 * here is reported in one stderr line and leaves the app running untouched.
 */
import { culpritVersion } from '../cli/version.js';
import { readRegisterConfig } from '../otel/config.js';
import { noteFault } from '../probe/faults.js';
import { loadDriverHooksNow, requireBeside, watchDriverLoads } from '../probe/hook-loading.js';
import { watchRouters } from '../probe/routes/index.js';
import { flushOnExit } from './exit-flush.js';
import { ExportLink, type LinkCounts } from './export-link.js';
import { enableRecording } from './recording.js';
import { RouteWindows } from './route-windows.js';
import { type RecorderOptions, recordSampledRequests } from './sampled-recorder.js';

export interface Registration {
  flush(): Promise<void>;
  counts(): Promise<LinkCounts>;
}

const EXIT_FLUSH_MS = 1000;

function warn(line: string): void {
  process.stderr.write(`culprit/register: ${line}\n`);
}

/**
 * scope-record.js and what only it imports (the frame mapper, source maps, the remote-call tables: ~17 KB
 * of the start bundle) load at the first sampled request's end, not at every process's start: an entry of
 * its own in the build (scripts/bundle-register.mjs), required beside this file.
 */
function recordsOnDemand(): RecorderOptions['toRecord'] {
  let toRecord: RecorderOptions['toRecord'] | undefined;
  return (scope, facts) => {
    toRecord ??= (requireBeside(import.meta.url, 'scope-record') as typeof import('./scope-record.js')).scopeRecord;
    return toRecord(scope, facts);
  };
}

/** Every request's window (route, start, end), handed to the worker at the end of each profile interval. */
function profileByRoute(link: ExportLink, seconds: number): void {
  watchRouters(true);
  const windows = new RouteWindows();
  windows.listen();
  link.setProfiling();
  setInterval(() => link.cutProfile(windows.take()), seconds * 1000).unref();
}

export function startRegistration(env: NodeJS.ProcessEnv): Registration | undefined {
  try {
    const { config, problems } = readRegisterConfig(env);
    for (const problem of problems) warn(problem);
    if (!config.tracesEndpoint && !config.pyroscopeUrl) {
      warn(
        'neither OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) nor CULPRIT_PYROSCOPE_URL is set: recording nothing',
      );
      return undefined;
    }
    const link = new ExportLink({ config, version: culpritVersion() }, config.maxPending, (reason) =>
      warn(`export stopped: ${reason}`),
    );
    // the longest the app's exit waits for the last export
    flushOnExit(link, EXIT_FLUSH_MS);
    if (config.tracesEndpoint) {
      // the driver hooks load with the first driver file, or at the first recorded request (node:sqlite)
      enableRecording(watchDriverLoads);
      recordSampledRequests({
        toRecord: recordsOnDemand(),
        beforeRecord: loadDriverHooksNow,
        sampleRate: config.sampleRate,
        maxPerSecond: config.maxSampledPerSecond,
        deliver: (request) => link.post(request),
      });
    }
    if (config.pyroscopeUrl) profileByRoute(link, config.profileSeconds);
    return { flush: () => link.flush(), counts: () => link.counts() };
  } catch (error) {
    noteFault('register', error);
    warn(`not started: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
