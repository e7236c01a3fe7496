'use strict';

const { getCurrentUser } = require('../auth/currentUser');

async function formatContact(req, contact) {
  const me = await getCurrentUser(req);
  return {
    id: contact.id,
    name: `${contact.first_name} ${contact.last_name}`,
    email: contact.email,
    phone: contact.phone,
    title: contact.job_title,
    company: contact.company_id ? { id: contact.company_id, name: contact.company_name } : null,
    stage: contact.lifecycle_stage,
    owner: { id: contact.owner_id, name: contact.owner_name },
    ownedByMe: Boolean(me) && contact.owner_id === me.id,
    lastContactedAt: contact.last_contacted_at,
    createdAt: contact.created_at,
  };
}

function formatContacts(req, contacts) {
  return Promise.all(contacts.map((contact) => formatContact(req, contact)));
}

module.exports = { formatContact, formatContacts };
