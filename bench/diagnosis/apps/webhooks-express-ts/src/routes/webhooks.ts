import { Router } from 'express';
import { rawJson } from '../middleware/rawJson.js';
import { getSource } from '../services/sourceStore.js';
import { verifySignature } from '../services/signature.js';
import { recentDeliveries, recordDelivery, type GithubPayload } from '../services/deliveryService.js';

export const webhooks = Router();

webhooks.post('/github', rawJson, (req, res) => {
  const source = getSource('github');
  if (!source || !source.enabled) {
    res.status(404).json({ error: 'github webhooks are not configured' });
    return;
  }
  const signature = req.get('x-hub-signature-256');
  if (!verifySignature(source, req.rawBody ?? Buffer.alloc(0), signature)) {
    res.status(401).json({ error: 'invalid signature' });
    return;
  }
  const event = req.get('x-github-event') ?? 'unknown';
  const id = recordDelivery('github', req.get('x-github-delivery'), event, req.body as GithubPayload);
  res.status(202).json({ accepted: true, id, event });
});

webhooks.get('/github/deliveries', (req, res) => {
  const limit = Math.min(Number(req.query.limit) || 20, 100);
  res.json({ deliveries: recentDeliveries('github', limit) });
});
