/**
 * Why a `--log` / `--when` target could not be placed, as the worker raises
 * it: each carries the catalog code the CLI exits with (both usage errors:
 * the command line names something the target does not have, or has twice).
 */
export class UnknownTargetError extends Error {
  readonly code: 'CULPRIT_E_UNKNOWN_LOG_TARGET' | 'CULPRIT_E_AMBIGUOUS_LOG_TARGET' = 'CULPRIT_E_UNKNOWN_LOG_TARGET';
}

/** A `FILE:LINE` whose FILE names several loaded files. */
export class AmbiguousTargetError extends UnknownTargetError {
  override readonly code = 'CULPRIT_E_AMBIGUOUS_LOG_TARGET';
}
