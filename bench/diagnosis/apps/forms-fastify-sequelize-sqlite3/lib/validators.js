'use strict';

const EMAIL_PATTERN = /^([a-zA-Z0-9]+[._-]?)*[a-zA-Z0-9]+@([a-zA-Z0-9-]+\.)+[a-zA-Z]{2,}$/;

function isValidEmail(value) {
  if (typeof value !== 'string') return false;
  return EMAIL_PATTERN.test(value);
}

function normalizeWhitespace(value) {
  return typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
}

module.exports = { isValidEmail, normalizeWhitespace };
