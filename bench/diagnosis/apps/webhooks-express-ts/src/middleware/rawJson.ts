import express from 'express';
import type { Request } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    rawBody?: Buffer;
  }
}

// Keep the exact bytes for signature verification alongside the parsed body.
export const rawJson = express.json({
  limit: '1mb',
  verify: (req, _res, buf) => {
    (req as Request).rawBody = Buffer.from(buf);
  },
});
