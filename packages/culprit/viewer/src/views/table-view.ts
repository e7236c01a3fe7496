import type { ProfileFunction } from '../../../src/capture/types.js';
import { locationOf, type ProfileModel } from '../model/profile-model.js';
import { fmtCount, h, replace, text } from '../ui/dom.js';
import type { Store } from '../ui/store.js';
import type { View } from './view.js';

interface Column {
  key: string;
  label: string;
  title: string;
  value(f: ProfileFunction): number | string;
  show(f: ProfileFunction): string;
}

const ms = (v: number): string => v.toFixed(3);
const per = (time: number, calls: number | null): number => (calls ? time / calls : Number.NaN);
const showPer = (v: number): string => (Number.isNaN(v) ? '–' : v.toFixed(4));

/** cProfile's pstats columns, times in milliseconds. */
const columns: Column[] = [
  {
    key: 'ncalls',
    label: 'ncalls',
    title: 'exact calls (count pass)',
    value: (f) => f.calls ?? -1,
    show: (f) => fmtCount(f.calls),
  },
  { key: 'tottime', label: 'tottime', title: 'self time, ms', value: (f) => f.selfMs, show: (f) => ms(f.selfMs) },
  {
    key: 'tpercall',
    label: 'percall',
    title: 'self ms per call',
    value: (f) => per(f.selfMs, f.calls),
    show: (f) => showPer(per(f.selfMs, f.calls)),
  },
  {
    key: 'cumtime',
    label: 'cumtime',
    title: 'inclusive time, ms',
    value: (f) => f.totalMs,
    show: (f) => ms(f.totalMs),
  },
  {
    key: 'cpercall',
    label: 'percall',
    title: 'inclusive ms per call',
    value: (f) => per(f.totalMs, f.calls),
    show: (f) => showPer(per(f.totalMs, f.calls)),
  },
  {
    key: 'where',
    label: 'filename:lineno(function)',
    title: 'location',
    value: (f) => `${locationOf(f)}(${text(f.name)})`,
    show: (f) => `${text(locationOf(f)) || '~'}(${text(f.name)})`,
  },
  {
    key: 'package',
    label: 'package',
    title: 'npm package or category',
    value: (f) => text(f.package ?? f.category),
    show: (f) => text(f.package ?? f.category),
  },
];

const MAX_ROWS = 500;

/** Sortable, filterable pstats table; clicking a row selects the function in every chart. */
export function tableView(model: ProfileModel, store: Store, openSandwich: () => void): View {
  let sortKey = 'tottime';
  let descending = true;
  const filter = h('input', {
    attrs: {
      type: 'search',
      placeholder: 'filter by name, file or package',
      'aria-label': 'filter table',
      name: 'filter',
    },
    on: { input: () => render() },
  });
  const count = h('span', { class: 'muted' });
  const headRow = h('tr');
  const body = h('tbody');
  const rows = model.functions.map((f, i) => ({ f, i })).filter(({ f }) => f.category !== 'root');

  // Keyboard: arrows move the selection row by row, Enter opens the sandwich.
  const onRowKey = (e: KeyboardEvent, fn: number): void => {
    const row = e.currentTarget as HTMLElement;
    const next =
      e.key === 'ArrowDown' ? row.nextElementSibling : e.key === 'ArrowUp' ? row.previousElementSibling : null;
    if (e.key === 'Enter') {
      store.select(fn);
      openSandwich();
    } else if (next instanceof HTMLElement) {
      next.focus();
      store.select(Number(next.dataset.fn));
    } else return;
    e.preventDefault();
  };
  const render = (): void => {
    const column = columns.find((c) => c.key === sortKey)!;
    const needle = filter.value.trim().toLowerCase();
    const shown = rows.filter(
      ({ f }) => !needle || `${text(f.name)} ${text(f.file)} ${text(f.package)}`.toLowerCase().includes(needle),
    );
    shown.sort((a, b) => {
      const x = column.value(a.f);
      const y = column.value(b.f);
      const order =
        typeof x === 'number' && typeof y === 'number'
          ? (Number.isNaN(x) ? -1 : x) - (Number.isNaN(y) ? -1 : y)
          : String(x).localeCompare(String(y));
      return descending ? -order : order;
    });
    count.textContent =
      shown.length > MAX_ROWS ? `showing ${MAX_ROWS} of ${shown.length} functions` : `${shown.length} functions`;
    replace(
      headRow,
      ...columns.map((c) =>
        h(
          'th',
          {
            title: `${c.title}; click to sort`,
            class: `${c.key === 'where' || c.key === 'package' ? '' : 'num'} ${c.key === sortKey ? `sorted ${descending ? 'desc' : 'asc'}` : ''}`,
            attrs: {
              'data-key': c.key,
              'aria-sort': c.key === sortKey ? (descending ? 'descending' : 'ascending') : 'none',
            },
            on: {
              click: () => {
                descending = c.key === sortKey ? !descending : c.key !== 'where' && c.key !== 'package';
                sortKey = c.key;
                render();
              },
            },
          },
          c.label,
        ),
      ),
    );
    replace(
      body,
      ...withSelected(shown, store.state.selectedFn).map(({ f, i }) =>
        h(
          'tr',
          {
            class: i === store.state.selectedFn ? 'selected' : '',
            attrs: { 'data-fn': String(i), tabindex: '0' },
            on: {
              click: () => store.select(i),
              dblclick: () => openSandwich(),
              keydown: (e) => onRowKey(e as KeyboardEvent, i),
            },
          },
          ...columns.map((c) =>
            h('td', { class: c.key === 'where' || c.key === 'package' ? 'text' : 'num' }, c.show(f)),
          ),
        ),
      ),
    );
  };
  store.subscribe(() => {
    if (rendered && !body.querySelector(`tr[data-fn="${store.state.selectedFn}"]`)) render();
    for (const row of body.querySelectorAll('tr')) {
      row.classList.toggle('selected', row.getAttribute('data-fn') === String(store.state.selectedFn));
    }
  });
  let rendered = false; // first render on first show: hundreds of rows are wasted work if the table is never opened
  const el = h(
    'section',
    { class: 'view', attrs: { 'data-view': 'table' } },
    h(
      'div',
      { class: 'view-head controls' },
      filter,
      count,
      h('span', { class: 'hint' }, 'click a row to select it in the charts, double-click for its sandwich'),
    ),
    h('div', { class: 'table-wrap' }, h('table', { class: 'pstats' }, h('thead', {}, headRow), body)),
  );
  return {
    id: 'table',
    label: 'Table',
    el,
    show: () => {
      if (!rendered) render();
      rendered = true;
      body.querySelector('tr.selected')?.scrollIntoView({ block: 'center' });
    },
  };
}

/** The first MAX_ROWS rows, plus the selected function's row when it is further down (so a click in a chart always shows here). */
function withSelected<T extends { i: number }>(rows: T[], selected: number): T[] {
  const head = rows.slice(0, MAX_ROWS);
  if (selected < 0 || head.some((r) => r.i === selected)) return head;
  const row = rows.find((r) => r.i === selected);
  return row ? [row, ...head] : head;
}
