import './style.css';
import { unpackCapture } from '../../src/report/pack-nodes.js';
import { PAYLOAD_ELEMENT_ID, type ViewerPayload } from '../../src/report/payload.js';
import { mountApp } from './app.js';
import { h } from './ui/dom.js';

/** Entry point: reads the inert JSON block the report embedded, then builds the UI. */
function start(): void {
  const root = document.getElementById('app');
  const data = document.getElementById(PAYLOAD_ELEMENT_ID);
  if (!root) return;
  performance.mark('culprit-start');
  try {
    const payload = JSON.parse(data?.textContent ?? 'null') as ViewerPayload | null;
    performance.mark('culprit-parsed');
    if (!payload || (payload.kind !== 'single' && payload.kind !== 'diff'))
      throw new Error('no capture embedded in this report');
    // A diff merges node objects, so it gets them back; a single capture is read from its columns.
    mountApp(
      root,
      payload.kind === 'single'
        ? payload
        : { ...payload, before: unpackCapture(payload.before), after: unpackCapture(payload.after) },
    );
    performance.mark('culprit-ready');
    document.body.dataset.ready = 'true';
  } catch (error) {
    root.replaceChildren(
      h('p', { class: 'error' }, `culprit viewer: ${error instanceof Error ? error.message : String(error)}`),
    );
    document.body.dataset.ready = 'error';
  }
}

start();
