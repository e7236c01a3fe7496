/**
 * The capture `culprit profile --save` writes: the profile and the timing
 * pass's requests, under the redaction policy (trace/redact.ts) unless kept.
 */
import {
  CAPTURE_SCHEMA,
  type Capture,
  type ProfileData,
  type RequestRecord,
  type TargetInfo,
} from '../capture/types.js';
import { redactCapture, sanitizeRecord } from '../trace/redact.js';

export interface ProfileCaptureInput {
  version: string;
  target: TargetInfo;
  requests: RequestRecord[];
  profile: ProfileData;
  notes: string[];
  keepParams: boolean;
  /** ISO time; injected so tests are stable. */
  createdAt: string;
}

export function profileCapture(input: ProfileCaptureInput): Capture {
  const capture: Capture = {
    schema: CAPTURE_SCHEMA,
    createdAt: input.createdAt,
    tool: { name: 'culprit', version: input.version, command: 'profile' },
    target: input.target,
    requests: input.requests.map((request, i) => sanitizeRecord({ ...request, id: i + 1 }, input.keepParams)),
    profile: input.profile,
  };
  if (input.notes.length) capture.notes = input.notes;
  return redactCapture(capture, input.keepParams);
}
