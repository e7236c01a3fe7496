export * from './bench/index.js';
export type {
  CallTreeNode,
  Capture,
  Construction,
  Finding,
  FindingSeverity,
  FunctionCategory,
  LogpointHit,
  ProfileData,
  ProfileFunction,
  QueryRecord,
  RequestRecord,
  SourceLocation,
  StackCapture,
  StackFrame,
  TargetInfo,
} from './capture/types.js';
export { CAPTURE_SCHEMA } from './capture/types.js';
export { diagnose, rules } from './diagnose/diagnose.js';
export type { Rule } from './diagnose/rule.js';
export type { ErrorCode } from './errors/catalog.js';
export { CulpritError, isCulpritError } from './errors/culprit-error.js';
export * from './profile/index.js';
export { openTarget } from './target/open-target.js';
export type {
  ObservedRequest,
  ProbeControl,
  RunningTarget,
  TargetOptions,
  TargetRequest,
} from './target/types.js';
export { renderTrace } from './trace/render-trace.js';
export { runTrace, type TraceRun } from './trace/run-trace.js';
