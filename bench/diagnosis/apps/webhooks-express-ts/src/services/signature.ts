import crypto from 'node:crypto';
import type { WebhookSource } from './sourceStore.js';

// Secrets are stored as passphrases; the HMAC key is derived from them.
export function signingKey(source: WebhookSource): Buffer {
  return crypto.pbkdf2Sync(source.secret, source.salt, 200000, 64, 'sha512');
}

export function sign(source: WebhookSource, payload: Buffer): string {
  const mac = crypto.createHmac('sha256', signingKey(source)).update(payload).digest('hex');
  return `sha256=${mac}`;
}

export function verifySignature(source: WebhookSource, payload: Buffer, header: string | undefined): boolean {
  if (!header || !header.startsWith('sha256=')) return false;
  const expected = Buffer.from(sign(source, payload));
  const received = Buffer.from(header);
  return expected.length === received.length && crypto.timingSafeEqual(expected, received);
}
