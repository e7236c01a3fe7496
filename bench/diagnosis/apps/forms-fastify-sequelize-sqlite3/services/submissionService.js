'use strict';

const { Form, Submission } = require('../models');
const { isValidEmail, normalizeWhitespace } = require('../lib/validators');
const { toCsv } = require('../lib/csv');

const EXPORT_COLUMNS = [
  { key: 'id', header: 'Submission ID' },
  { key: 'submittedAt', header: 'Submitted at' },
  { key: 'name', header: 'Name' },
  { key: 'email', header: 'Email' },
  { key: 'emailValid', header: 'Email valid' },
  { key: 'company', header: 'Company' },
  { key: 'source', header: 'Source' },
  { key: 'message', header: 'Message' },
];

class FormNotFoundError extends Error {
  constructor(id) {
    super(`form ${id} not found`);
    this.statusCode = 404;
  }
}

async function getForm(formId) {
  const form = await Form.findByPk(formId, { raw: true });
  if (!form) throw new FormNotFoundError(formId);
  return form;
}

async function listSubmissions(formId, { limit = 50, offset = 0 } = {}) {
  await getForm(formId);
  const { rows, count } = await Submission.findAndCountAll({
    where: { formId },
    order: [['submittedAt', 'DESC']],
    limit,
    offset,
    raw: true,
  });
  return { total: count, items: rows };
}

function toExportRecord(submission) {
  const email = submission.email.trim();
  return {
    id: submission.id,
    submittedAt: new Date(submission.submittedAt),
    name: normalizeWhitespace(submission.name),
    email,
    emailValid: isValidEmail(email) ? 'yes' : 'no',
    company: submission.company,
    source: submission.source,
    message: normalizeWhitespace(submission.message),
  };
}

async function exportSubmissionsCsv(formId) {
  const form = await getForm(formId);
  const submissions = await Submission.findAll({
    where: { formId },
    order: [['submittedAt', 'ASC']],
    raw: true,
  });
  const csv = toCsv(EXPORT_COLUMNS, submissions.map(toExportRecord));
  return { filename: `${form.slug}-submissions.csv`, csv };
}

module.exports = { getForm, listSubmissions, exportSubmissionsCsv, FormNotFoundError };
