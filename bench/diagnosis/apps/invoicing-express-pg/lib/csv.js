'use strict';

const LOCALE = process.env.EXPORT_LOCALE || 'de-DE';

function escapeCsv(text) {
  if (/[";\n\r]/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

function formatDate(value) {
  const d = value instanceof Date ? value : new Date(value);
  return d.toISOString().slice(0, 10);
}

function formatCell(value, type) {
  const numberFormat = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (value === null || value === undefined) return '';
  switch (type) {
    case 'money':
    case 'decimal':
      return escapeCsv(numberFormat.format(Number(value)));
    case 'percent':
      return escapeCsv(`${numberFormat.format(Number(value) * 100)} %`);
    case 'date':
      return formatDate(value);
    default:
      return escapeCsv(String(value));
  }
}

function toCsvRow(record, columns) {
  return columns.map((col) => formatCell(record[col.key], col.type)).join(';');
}

module.exports = { escapeCsv, formatCell, toCsvRow };
