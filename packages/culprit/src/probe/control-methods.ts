/**
 * The RPC methods behind ProbeControl (src/target/types.ts): CPU profile,
 * call counts, scripts and sources, location mapping, trace configuration.
 */
import type { RawScriptCoverage } from '../target/types.js';
import { registerMethod } from './connection.js';
import { startCounting, stopCounting, takeCoverage } from './constructions.js';
import { startCpuRecording, startCpuWindow, stopCpuRecording } from './cpu-window.js';
import { faultLines } from './faults.js';
import type { TraceConfig } from './protocol.js';
import { explainStatements } from './queries/explain-registry.js';
import { configureTrace, holdRecords, setProfiling } from './request-recorder.js';
import { enableScripts, listScripts, loadedFiles, scriptHashes, scriptSource } from './scripts.js';
import { type GeneratedPosition, mapPosition } from './source-map.js';

function field<T>(params: unknown, name: string, guard: (v: unknown) => v is T): T {
  const value: unknown =
    typeof params === 'object' && params !== null ? (params as Record<string, unknown>)[name] : undefined;
  if (!guard(value)) throw new Error(`parameter '${name}' is missing or has the wrong type`);
  return value;
}
const isNumber = (v: unknown): v is number => typeof v === 'number';
const isString = (v: unknown): v is string => typeof v === 'string';
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Registers every control method on the probe's connection. */
export function registerControlMethods(): void {
  registerMethod('cpu.start', async (params) => {
    await startCpuRecording(field(params, 'intervalUs', isNumber));
    setProfiling(true);
  });
  registerMethod('cpu.window', () => {
    startCpuWindow();
    holdRecords();
  });
  registerMethod('cpu.stop', async () => {
    setProfiling(false);
    return stopCpuRecording();
  });
  registerMethod('counts.start', () => startCounting());
  registerMethod('counts.take', (): RawScriptCoverage[] => takeCoverage());
  registerMethod('counts.stop', () => stopCounting());
  registerMethod('scripts', () => listScripts());
  // early, while culprit waits for more listening ports (CommandTargetOptions.enableScriptsEarly)
  registerMethod('scripts.enable', () => enableScripts());
  registerMethod('scripts.files', () => loadedFiles());
  registerMethod('scriptSource', (params) => scriptSource(field(params, 'scriptId', isString)));
  registerMethod('scripts.hashes', (params) =>
    scriptHashes(field(params, 'scriptIds', isArray).filter((id): id is string => typeof id === 'string')),
  );
  registerMethod('mapLocations', (params) =>
    field(params, 'positions', isArray).map((p) =>
      isObject(p) ? mapPosition(p as unknown as GeneratedPosition) : null,
    ),
  );
  registerMethod('trace.configure', (params) =>
    configureTrace(isObject(params) ? (params as Partial<TraceConfig>) : {}),
  );
  registerMethod('faults', () => faultLines());
  registerMethod('explain', (params) =>
    explainStatements(field(params, 'sqls', isArray).filter((sql): sql is string => typeof sql === 'string')),
  );
}
