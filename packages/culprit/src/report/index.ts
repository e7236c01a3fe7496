/** The HTML report: what other commands (`profile --html`, `diagnose --html`) import. */
export { type ReportInput, type ReportOptions, renderHtmlReport, writeHtmlReport } from './html-report.js';
export { readCaptureFile } from './read-capture.js';
export { validateCapture } from './validate-capture.js';
