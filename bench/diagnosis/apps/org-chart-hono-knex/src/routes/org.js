import { Hono } from 'hono';
import { employeeWithReports, orgTree } from '../services/orgService.js';

export const org = new Hono();

org.get('/tree', async (c) => c.json(await orgTree()));

org.get('/employees/:id', async (c) => {
  const id = Number.parseInt(c.req.param('id'), 10);
  if (!Number.isInteger(id) || id < 1) return c.json({ error: 'invalid id' }, 400);
  const employee = await employeeWithReports(id);
  return employee ? c.json(employee) : c.json({ error: 'employee not found' }, 404);
});
