/**
 * Mutual authentication on the probe socket. The socket path alone proves
 * nothing (another local user may reach it, or listen in its place), so the
 * CLI puts a random secret in the target's environment and each end proves it
 * holds that secret by answering the other's fresh nonce with an HMAC; the
 * secret itself never crosses the socket, and a recorded answer is useless
 * for the next connection. Until both proofs check, neither end sends
 * anything else (the CLI: no calls; the probe: no hello, no records).
 *
 *   CLI → probe   {"type":"challenge","nonce":Nc}
 *   probe → CLI   {"type":"auth","proof":HMAC(secret,"probe\nNc"),"nonce":Np}
 *   CLI → probe   {"type":"welcome","proof":HMAC(secret,"cli\nNp")}
 */

// node:crypto is loaded at the first handshake, not with this module: it is ~11 M instructions (≈3 ms) of
// a probed server's start on Node 20, and a process whose environment names no secret never connects
const crypto = (): typeof import('node:crypto') => process.getBuiltinModule('node:crypto');

/** Environment variable holding the shared secret (hex), set by the CLI for the target's tree only. */
export const SECRET_ENV = 'CULPRIT_PROBE_SECRET';

/** How long an unauthenticated connection may stay open before it is dropped. */
export const HANDSHAKE_TIMEOUT_MS = 5000;

export interface ChallengeMessage {
  type: 'challenge';
  nonce: string;
}

export interface AuthMessage {
  type: 'auth';
  proof: string;
  nonce: string;
}

export interface WelcomeMessage {
  type: 'welcome';
  proof: string;
}

export type Role = 'probe' | 'cli';

/** A fresh secret or nonce: 32 random bytes, hex. */
export function randomToken(): string {
  return crypto().randomBytes(32).toString('hex');
}

/** What `role` answers to `nonce`: bound to the role so one side's answer cannot be replayed as the other's. */
export function proofFor(secret: string, role: Role, nonce: string): string {
  return crypto().createHmac('sha256', secret).update(`${role}\n${nonce}`).digest('hex');
}

/** True when `given` is the proof `role` owes for `nonce` (constant-time compare). */
export function proofMatches(secret: string, role: Role, nonce: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(proofFor(secret, role, nonce), 'utf8');
  const actual = Buffer.from(given, 'utf8');
  return actual.length === expected.length && crypto().timingSafeEqual(actual, expected);
}

/** Parses one handshake line into a record, or undefined when it is not a JSON object. */
export function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
