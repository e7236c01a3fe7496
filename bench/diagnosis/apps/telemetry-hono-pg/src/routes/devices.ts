import { Hono } from 'hono';
import { listDevices } from '../repositories/deviceRepository.js';
import { DeviceNotFound, getDeviceReadings, getDeviceStatus } from '../services/telemetryService.js';

export const devices = new Hono();

function parseId(raw: string): number | null {
  const id = Number.parseInt(raw, 10);
  return Number.isInteger(id) && id > 0 ? id : null;
}

devices.get('/', async (c) => {
  const site = c.req.query('site');
  return c.json({ devices: await listDevices(site) });
});

devices.get('/:id/status', async (c) => {
  const id = parseId(c.req.param('id'));
  if (!id) return c.json({ error: 'invalid device id' }, 400);
  return c.json(await getDeviceStatus(id));
});

devices.get('/:id/readings', async (c) => {
  const id = parseId(c.req.param('id'));
  if (!id) return c.json({ error: 'invalid device id' }, 400);
  return c.json(await getDeviceReadings(id));
});

devices.onError((err, c) => {
  if (err instanceof DeviceNotFound) return c.json({ error: err.message }, 404);
  console.error(err);
  return c.json({ error: 'internal error' }, 500);
});
