/**
 * The capture `culprit profile --save` writes: the profile and the timing
 * pass's requests, query values redacted unless kept.
 */
import {
  CAPTURE_SCHEMA,
  type Capture,
  type ProfileData,
  type RequestRecord,
  type TargetInfo,
} from '../capture/types.js';

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
    requests: input.requests.map((request, i) => ({
      ...request,
      id: i + 1,
      url: input.keepParams ? request.url : redactQuery(request.url),
    })),
    profile: input.profile,
  };
  if (input.notes.length) capture.notes = input.notes;
  return capture;
}

/** `/a?x=1&y=two` → `/a?x=?&y=?`: query names stay (they explain the request), values go. */
export function redactQuery(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? pair : `${pair.slice(0, eq)}=?`;
    })
    .join('&');
  return `${url.slice(0, at)}?${query}`;
}
