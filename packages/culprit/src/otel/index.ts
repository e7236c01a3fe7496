/**
 * `culprit/otel`: for apps that already run the OpenTelemetry SDK. The span
 * processor adds culprit's attributes and findings to the app's own spans.
 * (Apps without the SDK use the `culprit/register` preload instead.)
 */
export { CulpritSpanProcessor, type ProcessedSpan } from './span-processor.js';
