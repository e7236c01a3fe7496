import type { Capture, LogpointHit, StackCapture } from '../../../src/capture/types.js';
import { fmtCount, fmtMs, h, text } from '../ui/dom.js';
import { snippet, where } from './overview-view.js';
import type { View } from './view.js';

/**
 * What `--when` and `--log` saw: each captured stack frame by frame (source
 * and local variables, innermost first), then the logpoint hits. This is the
 * story's conditional breakpoint, readable after the fact.
 */
export function stacksView(capture: Capture): View | undefined {
  const stops = capture.stops ?? [];
  const logs = capture.logs ?? [];
  if (stops.length === 0 && logs.length === 0) return undefined;
  const el = h(
    'section',
    { class: 'view', attrs: { 'data-view': 'stacks' } },
    ...stops.map(stopCard),
    logs.length > 0 ? logTable(logs) : null,
  );
  return { id: 'stacks', label: 'Stacks', el, show: () => undefined };
}

function stopCard(stop: StackCapture): HTMLElement {
  const cost =
    stop.hitsBeforeMatch !== undefined
      ? ` · ${fmtCount(stop.hitsBeforeMatch)} hits before the condition held${stop.overheadMs !== undefined ? `, costing ${fmtMs(stop.overheadMs)}` : ''}`
      : '';
  return h(
    'article',
    { class: 'finding info' },
    h('div', { class: 'finding-head' }, h('strong', {}, `--when ${text(stop.spec)}`)),
    h(
      'div',
      { class: 'muted' },
      `${stop.requestId !== undefined ? `request #${stop.requestId}` : 'outside a request'}${cost}`,
    ),
    ...(stop.frames ?? []).map((frame, i) =>
      h(
        'details',
        { class: 'frame', attrs: i < 3 ? { open: '' } : {} },
        h('summary', {}, `#${i} ${where(frame)}`),
        Object.keys(frame.locals ?? {}).length > 0
          ? h(
              'dl',
              { class: 'evidence' },
              ...Object.entries(frame.locals).flatMap(([k, v]) => [h('dt', {}, text(k)), h('dd', {}, text(v))]),
            )
          : null,
        frame.snippet ? snippet(frame.snippet, frame.line) : null,
      ),
    ),
  );
}

function logTable(logs: LogpointHit[]): HTMLElement {
  const shown = logs.slice(0, 1000);
  return h(
    'div',
    {},
    h(
      'h2',
      {},
      `Logpoint hits (${fmtCount(logs.length)}${logs.length > shown.length ? `, first ${shown.length} shown` : ''})`,
    ),
    h(
      'div',
      { class: 'table-wrap short' },
      h(
        'table',
        { class: 'mini' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', {}, '--log'), h('th', {}, 'request'), h('th', {}, 'values'), h('th', {}, 'at')),
        ),
        h(
          'tbody',
          {},
          ...shown.map((hit) =>
            h(
              'tr',
              {},
              h('td', { class: 'text' }, text(hit.spec)),
              h('td', { class: 'num' }, hit.requestId !== undefined ? `#${hit.requestId}` : '–'),
              h('td', { class: 'text' }, (hit.values ?? []).map(text).join('  ')),
              h('td', { class: 'text' }, where(hit.location)),
            ),
          ),
        ),
      ),
    ),
  );
}
