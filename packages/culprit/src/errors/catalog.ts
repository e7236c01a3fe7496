/**
 * The one catalog of culprit's errors. Each code names a situation a user can
 * act on; `usage` errors exit 2 (the command line was wrong), the others exit 1
 * (the run failed). Add new codes here, never ad-hoc Error strings.
 */
export const errorCatalog = {
  CULPRIT_E_UNKNOWN_COMMAND: { usage: true },
  CULPRIT_E_UNKNOWN_FLAG: { usage: true },
  CULPRIT_E_MISSING_ARGUMENT: { usage: true },
  CULPRIT_E_BAD_FLAG_VALUE: { usage: true },
  CULPRIT_E_FLAG_CONFLICT: { usage: true },
  CULPRIT_E_BAD_URL: { usage: true },
  CULPRIT_E_BAD_HEADER: { usage: true },
  CULPRIT_E_BAD_THRESHOLD: { usage: true },
  CULPRIT_E_UNREADABLE_FILE: { usage: true },
  CULPRIT_E_BAD_CAPTURE: { usage: true },
  CULPRIT_E_INCOMPARABLE_RUNS: { usage: true },
  CULPRIT_E_UNWRITABLE_FILE: { usage: false },
  CULPRIT_E_RUN_FAILED: { usage: false },
  CULPRIT_E_BAD_LOG_SPEC: { usage: true },
  CULPRIT_E_UNKNOWN_LOG_TARGET: { usage: true },
  CULPRIT_E_AMBIGUOUS_LOG_TARGET: { usage: true },
  CULPRIT_E_VIEWER_MISSING: { usage: false },
  CULPRIT_E_MODULE_UNUSABLE: { usage: true },
  CULPRIT_E_TARGET_EXITED: { usage: false },
  CULPRIT_E_TARGET_TIMEOUT: { usage: false },
  CULPRIT_E_TARGET_FAILED: { usage: false },
  CULPRIT_E_REQUEST_FAILED: { usage: false },
  CULPRIT_E_INTERRUPTED: { usage: false },
  CULPRIT_E_NO_SAMPLES: { usage: false },
  CULPRIT_E_BAD_BUDGETS: { usage: true },
  CULPRIT_E_BAD_REPLAY_FILE: { usage: true },
  CULPRIT_E_DRIVER_UNSEEN: { usage: false },
} as const satisfies Record<string, { usage: boolean }>;

export type ErrorCode = keyof typeof errorCatalog;
