'use strict';

const { db } = require('../db');

const STAGES = ['lead', 'qualified', 'opportunity', 'customer', 'churned'];

function baseQuery() {
  return db('contacts as c')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .join('users as u', 'u.id', 'c.owner_id');
}

function applyFilters(query, { stage, ownerId, q }) {
  if (stage) query.where('c.lifecycle_stage', stage);
  if (ownerId) query.where('c.owner_id', ownerId);
  if (q) query.whereILike('c.last_name', `${q}%`);
  return query;
}

async function listContacts(filters, { limit, offset }) {
  const rows = await applyFilters(baseQuery(), filters)
    .select(
      'c.id', 'c.first_name', 'c.last_name', 'c.email', 'c.phone', 'c.job_title', 'c.company_id',
      'co.name as company_name', 'c.lifecycle_stage', 'c.owner_id', 'u.full_name as owner_name',
      'c.last_contacted_at', 'c.created_at'
    )
    .orderBy([{ column: 'c.updated_at', order: 'desc' }, { column: 'c.id', order: 'desc' }])
    .limit(limit)
    .offset(offset);
  const [{ count }] = await applyFilters(db('contacts as c'), filters).count({ count: '*' });
  return { rows, total: Number(count) };
}

async function getContact(id) {
  return baseQuery()
    .select('c.*', 'co.name as company_name', 'u.full_name as owner_name')
    .where('c.id', id)
    .first();
}

async function updateStage(id, stage) {
  const updated = await db('contacts')
    .where({ id })
    .update({ lifecycle_stage: stage, updated_at: db.fn.now() });
  return updated > 0;
}

module.exports = { STAGES, listContacts, getContact, updateStage };
