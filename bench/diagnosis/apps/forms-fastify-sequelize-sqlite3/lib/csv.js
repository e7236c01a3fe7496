'use strict';

function csvField(value) {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function toCsv(columns, records) {
  const lines = [columns.map((c) => csvField(c.header)).join(',')];
  for (const record of records) {
    lines.push(columns.map((c) => csvField(record[c.key])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

module.exports = { toCsv };
