// Module-mode target for the attribution bench: GET /work runs the burners.
import { work } from './burners.mjs';

export default function handler(_req, res) {
  const value = work();
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ value }));
}
