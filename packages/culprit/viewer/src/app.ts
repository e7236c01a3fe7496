import type { EmbeddedCapture } from '../../src/report/pack-nodes.js';
import type { ViewerPayload } from '../../src/report/payload.js';
import { buildBottomUp } from './model/derived-trees.js';
import { makeProfileModel } from './model/profile-model.js';
import { matchedShare } from './model/search.js';
import { assignPackageHues } from './ui/colors.js';
import { fmtMs, fmtPct, h, text } from './ui/dom.js';
import { Store } from './ui/store.js';
import { initTheme, toggleTheme } from './ui/theme.js';
import { diffView } from './views/diff-view.js';
import { frameView } from './views/frame-view.js';
import { overviewView } from './views/overview-view.js';
import { requestsView } from './views/requests-view.js';
import { routesView } from './views/routes-view.js';
import { sandwichView } from './views/sandwich-view.js';
import { stacksView } from './views/stacks-view.js';
import { sunburstView } from './views/sunburst-view.js';
import { tableView } from './views/table-view.js';
import type { View } from './views/view.js';
import { hasTimeline, waterfallView } from './views/waterfall-view.js';

/** Builds every view for a payload and wires tabs, search, theme and keys. Returns the root element. */
export function mountApp(root: HTMLElement, payload: ViewerPayload): void {
  initTheme();
  const capture: EmbeddedCapture = payload.kind === 'single' ? payload.capture : payload.after;
  const model = makeProfileModel(capture);
  const store = new Store(model);
  if (model) assignPackageHues(model.functions);
  const views: View[] = [];
  const open = (id: string): void => activate(id);
  if (payload.kind === 'diff') {
    views.push(diffView(payload.before, payload.after));
  }
  const waterfall = hasTimeline(capture) ? waterfallView(capture) : undefined;
  views.push(
    overviewView(
      capture,
      model,
      store,
      open,
      waterfall &&
        ((location, endpoint, lines) => {
          activate('waterfall');
          waterfall.focus(location, endpoint, lines);
        }),
    ),
  );
  if (model) {
    views.push(
      frameView(
        'icicle',
        'Icicle',
        'click a frame to zoom · Esc back · Ctrl+wheel zoom · drag to pan',
        model,
        () => model.tree,
        false,
        store,
      ),
    );
    views.push(
      frameView(
        'flame',
        'Flame graph',
        'click a frame to zoom · Esc back · arrows to walk',
        model,
        () => model.tree,
        true,
        store,
      ),
    );
    views.push(sunburstView(model, store));
    views.push(sandwichView(model, store));
    views.push(
      frameView(
        'bottom-up',
        'Bottom-up',
        'hot functions on top, their callers below',
        model,
        () => buildBottomUp(model),
        false,
        store,
      ),
    );
    views.push(tableView(model, store, () => open('sandwich')));
  }
  const requests = requestsView(capture, payload.benchQuantilesMs);
  // a watch capture opens on its routes: the question there is which endpoint is slow
  const routes = routesView(capture, (id) => {
    activate('requests');
    requests.selectRequest(id);
  });
  if (routes) views.unshift(routes);
  views.push(requests);
  if (waterfall) views.push(waterfall);
  const stacks = stacksView(capture);
  if (stacks) views.push(stacks);

  const tabs = h('nav', { class: 'tabs', attrs: { role: 'tablist' } });
  const searchInfo = h('span', { class: 'search-info', attrs: { 'aria-live': 'polite' } });
  const search = h('input', {
    attrs: {
      type: 'search',
      placeholder: 'search functions, files, packages ( / )',
      'aria-label': 'search',
      name: 'search',
    },
    on: { input: () => store.search(search.value) },
  });
  store.subscribe((state) => {
    if (!model || !state.matches) {
      searchInfo.textContent = '';
      return;
    }
    const { share, frames, ms } = matchedShare(model.tree, state.matches);
    searchInfo.textContent = `${frames.toLocaleString('en-US')} frames match · ${fmtPct(share)} of time (${fmtMs(ms)})`;
  });
  const main = h('main', {});

  function activate(id: string): void {
    const view = views.find((v) => v.id === id) ?? views[0]!;

    for (const v of views) v.el.hidden = v.id !== view.id;
    for (const b of tabs.querySelectorAll('button'))
      b.setAttribute('aria-selected', String(b.dataset.view === view.id));
    if (location.hash !== `#${view.id}`) history.replaceState(null, '', `#${view.id}`);
    view.show();
  }
  views.forEach((v, i) => {
    const button = h(
      'button',
      {
        attrs: { role: 'tab', 'data-view': v.id, title: `${v.label} (key ${i + 1})` },
        on: { click: () => activate(v.id) },
      },
      v.label,
    );
    tabs.appendChild(button);
    main.appendChild(v.el);
  });
  const first = capture.requests[0];
  root.append(
    h(
      'header',
      {},
      h(
        'div',
        { class: 'title' },
        h('strong', {}, 'culprit'),
        ' ',
        first ? `${text(first.method)} ${text(first.url)}` : text(capture.tool?.command),
        payload.kind === 'diff' ? ' (diff: views show the after capture)' : '',
      ),
      h('div', { class: 'search' }, search, searchInfo),
      h('button', { class: 'theme', title: 'dark / light (t)', on: { click: toggleTheme } }, '◐'),
    ),
    tabs,
    ...(payload.reductions ?? []).map((note) => h('p', { class: 'note reduction' }, text(note))),
    main,
  );
  document.addEventListener('keydown', (e) => {
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
    if (e.key === '/' && !typing) {
      e.preventDefault();
      search.focus();
    } else if (e.key === 'Escape' && e.target === search) {
      search.value = '';
      store.search('');
      search.blur();
    } else if (!typing && !e.ctrlKey && !e.metaKey && !e.altKey && /^[1-9]$/.test(e.key) && views[Number(e.key) - 1]) {
      activate(views[Number(e.key) - 1]!.id);
    } else if (!typing && e.key === 't') toggleTheme();
  });
  window.addEventListener('hashchange', () => activate(location.hash.slice(1)));
  const wanted = location.hash.slice(1);
  const defaultView = views.some((v) => v.id === wanted)
    ? wanted
    : payload.kind === 'diff'
      ? 'diff'
      : routes
        ? 'routes'
        : (capture.findings?.length ?? 0) > 0 || !model
          ? 'overview'
          : 'icicle';
  activate(defaultView);
}
