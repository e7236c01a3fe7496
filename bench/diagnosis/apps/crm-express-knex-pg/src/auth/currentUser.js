'use strict';

const { db } = require('../db');

const DEMO_USER_ID = Number(process.env.CRM_DEMO_USER_ID || 1);

function userIdFrom(req) {
  const header = req.get('x-user-id');
  const id = header ? Number(header) : DEMO_USER_ID;
  return Number.isInteger(id) && id > 0 ? id : null;
}

async function getCurrentUser(req) {
  const id = userIdFrom(req);
  if (!id) return null;
  const user = await db('users')
    .select('id', 'email', 'full_name', 'role', 'team_id', 'active')
    .where({ id })
    .first();
  return user && user.active ? user : null;
}

module.exports = { getCurrentUser };
