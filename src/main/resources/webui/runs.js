// A project's run table: server-side sort, filters and paging, with the table's state in the URL
// (?search=&state=&tag=&group=&sort=&order=&cols=) so that a link shows the same table. Chosen
// config and summary values are extra columns; selected runs open the comparison. The table
// refreshes itself when the live bridge says a run of the project was created or changed state.

import { api, projectApi } from '/ui/api.js';
import { h, clear } from '/ui/dom.js';
import { count, duration, localTime, runSeconds, value } from '/ui/format.js';
import { navigate, paths, replaceQuery } from '/ui/nav.js';

const PAGE = 50;
const MAX_PAGE = 200;
const STATES = ['running', 'finished', 'failed', 'crashed', 'preempted'];
const TYPE_DELAY_MS = 300;
const REFRESH_GAP_MS = 1000;

/** The columns every table has; the name links to the run's page in this project. */
function baseColumns(entity, project) {
  const nameCell = (run) => {
    const shown = run.displayName || run.name;
    return [
      h('a', { href: paths.run(entity, project, run.name), 'data-nav': true, title: run.name }, shown),
      shown !== run.name ? h('span', { class: 'run-id' }, run.name) : null,
    ];
  };
  return [
    { label: 'Name', sort: 'name', cls: 'name', cell: nameCell },
    { label: 'State', sort: 'state', cell: (run) => h('span', { class: `badge state-${run.state}` }, run.state) },
    { label: 'Created', sort: 'created', cell: (run) => localTime(run.createdAt) },
    { label: 'Duration', sort: 'summary._runtime', cls: 'num', cell: (run) => duration(runSeconds(run)) },
    { label: 'Tags', cell: (run) => (run.tags || []).map((t) => h('span', { class: 'tag' }, t)) },
    { label: 'Group', cell: (run) => run.group || '' },
  ];
}

/** A chosen column, "config.<key>" or "summary.<key>". */
function chosenColumn(id) {
  const dot = id.indexOf('.');
  const source = id.slice(0, dot);
  const key = id.slice(dot + 1);
  const read = source === 'config'
    ? (run) => (run.config && run.config[key] ? run.config[key].value : undefined)
    : (run) => (run.summary ? run.summary[key] : undefined);
  return {
    label: key,
    hint: source,
    sort: id,
    cls: 'num',
    cell: (run) => {
      const v = read(run);
      return typeof v === 'number' ? value(v) : h('span', { class: 'text' }, value(v));
    },
  };
}

function readState(query) {
  const order = query.get('order') === 'asc' ? 'asc' : 'desc';
  return {
    search: query.get('search') || '',
    state: STATES.includes(query.get('state')) ? query.get('state') : '',
    tag: query.get('tag') || '',
    group: query.get('group') || '',
    sort: query.get('sort') || 'created',
    order,
    cols: (query.get('cols') || '').split(',').filter((c) => /^(config|summary)\..+/.test(c)),
  };
}

function urlQuery(s) {
  const q = new URLSearchParams();
  for (const name of ['search', 'state', 'tag', 'group']) if (s[name]) q.set(name, s[name]);
  if (s.sort !== 'created') q.set('sort', s.sort);
  if (s.order !== 'desc') q.set('order', s.order);
  if (s.cols.length) q.set('cols', s.cols.join(','));
  return q;
}

export function render(root, { entity, project, query }) {
  const s = readState(query);
  const selected = new Set();
  let runs = [];
  let total = 0;
  let nextCursor = null;
  let loading = null;
  let sequence = 0;
  let disposed = false;
  let unsubscribe = null;
  let refreshTimer = null;
  let lastRefresh = 0;
  let knownKeys = null;
  const base = baseColumns(entity, project);

  // ---- the page's elements ----
  const runCount = h('span', { id: 'run-count', class: 'count' }, '');
  const search = h('input', { id: 'search', type: 'search', placeholder: 'Search runs by name', value: s.search, 'aria-label': 'Search runs' });
  const stateFilter = h('select', { id: 'state-filter', 'aria-label': 'State' },
    h('option', { value: '' }, 'All states'),
    STATES.map((st) => h('option', { value: st, selected: st === s.state }, st)));
  const tagFilter = h('input', { id: 'tag-filter', type: 'text', placeholder: 'Tag', value: s.tag, 'aria-label': 'Tag' });
  const groupFilter = h('input', { id: 'group-filter', type: 'text', placeholder: 'Group', value: s.group, 'aria-label': 'Group' });
  const compare = h('button', { id: 'compare', type: 'button', class: 'button primary', disabled: true }, 'Compare');
  const columnsButton = h('button', { id: 'columns', type: 'button', class: 'button' }, 'Columns');
  const pickerPanel = h('div', { id: 'column-picker', class: 'picker-panel', hidden: true });
  const table = h('table', { id: 'runs', class: 'data' });
  const loadMore = h('button', { id: 'load-more', type: 'button', class: 'button', hidden: true }, 'Load more');
  const shown = h('span', { class: 'shown' });

  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, project), runCount),
    h('div', { class: 'toolbar' },
      search, stateFilter, tagFilter, groupFilter,
      h('span', { class: 'grow' }),
      h('div', { class: 'picker' }, columnsButton, pickerPanel),
      compare),
    h('div', { class: 'card' },
      h('div', { class: 'table-wrap' }, table),
      h('div', { class: 'table-foot' }, shown, loadMore)));

  function columns() {
    return [...base, ...s.cols.map(chosenColumn)];
  }

  // ---- drawing ----
  function drawHead() {
    const cells = [h('th', { class: 'check' }, '')];
    for (const col of columns()) {
      const attrs = { class: col.cls || '' };
      if (col.sort) {
        attrs['data-sort'] = col.sort;
        attrs.title = col.hint ? `${col.hint}.${col.label}` : `Sort by ${col.label.toLowerCase()}`;
        if (col.sort === s.sort) attrs['aria-sort'] = s.order === 'asc' ? 'ascending' : 'descending';
      }
      cells.push(h('th', attrs, col.hint ? [h('span', { class: 'muted small' }, col.hint + ' '), col.label] : col.label));
    }
    return h('thead', {}, h('tr', {}, cells));
  }

  function drawRow(run) {
    const box = h('input', { type: 'checkbox', class: 'select-run', 'aria-label': `Select ${run.name}`, checked: selected.has(run.name) });
    const row = h('tr', { 'data-run': run.name, class: selected.has(run.name) ? 'selected' : '' },
      h('td', { class: 'check' }, box),
      columns().map((col) => h('td', { class: col.cls || '' }, col.cell(run))));
    box.addEventListener('change', () => {
      if (box.checked) selected.add(run.name); else selected.delete(run.name);
      row.classList.toggle('selected', box.checked);
      updateCompare();
    });
    return row;
  }

  function draw() {
    clear(table);
    table.append(drawHead());
    const body = h('tbody', {}, runs.map(drawRow));
    if (runs.length === 0 && !loading) {
      body.append(h('tr', {}, h('td', { class: 'empty', colspan: columns().length + 1 }, 'No runs match.')));
    }
    table.append(body);
    runCount.textContent = count(total, 'run', 'runs');
    shown.textContent = runs.length < total ? `Showing ${runs.length} of ${total}` : '';
    loadMore.hidden = nextCursor === null || nextCursor === undefined;
    updateCompare();
  }

  function updateCompare() {
    compare.disabled = selected.size < 2;
    compare.textContent = selected.size >= 2 ? `Compare ${selected.size}` : 'Compare';
  }

  // ---- loading ----
  function apiQuery(limit, cursor) {
    const q = new URLSearchParams();
    for (const name of ['search', 'state', 'tag', 'group']) if (s[name]) q.set(name, s[name]);
    q.set('sort', s.sort);
    q.set('order', s.order);
    q.set('limit', String(limit));
    if (cursor !== null && cursor !== undefined) q.set('cursor', String(cursor));
    return q;
  }

  /** Loads the first page (or, on a refresh, as many runs as are shown, at most 200). */
  async function load({ keepCount = false } = {}) {
    const mine = ++sequence;
    if (loading) loading.abort();
    loading = new AbortController();
    table.setAttribute('aria-busy', 'true');
    const limit = keepCount ? Math.min(MAX_PAGE, Math.max(PAGE, Math.ceil(runs.length / PAGE) * PAGE)) : PAGE;
    try {
      const page = await api(`${projectApi(entity, project)}/runs?${apiQuery(limit, null)}`, { signal: loading.signal });
      if (mine !== sequence || disposed) return;
      runs = page.runs || [];
      total = page.total || 0;
      nextCursor = page.nextCursor;
      loading = null;
      draw();
      table.setAttribute('aria-busy', 'false');
    } catch (e) {
      if (e.name !== 'AbortError' && mine === sequence) {
        loading = null;
        draw();
        table.setAttribute('aria-busy', 'false');
      }
    }
  }

  async function more() {
    if (nextCursor === null || nextCursor === undefined) return;
    const mine = sequence;
    loadMore.disabled = true;
    try {
      const page = await api(`${projectApi(entity, project)}/runs?${apiQuery(PAGE, nextCursor)}`);
      if (mine !== sequence || disposed) return;
      const seen = new Set(runs.map((r) => r.name));
      runs = runs.concat((page.runs || []).filter((r) => !seen.has(r.name)));
      total = page.total || total;
      nextCursor = page.nextCursor;
      draw();
    } finally {
      loadMore.disabled = false;
    }
  }

  function changed() {
    replaceQuery(urlQuery(s));
    load();
  }

  // ---- controls ----
  let typing = null;
  function debounce(fn) {
    clearTimeout(typing);
    typing = setTimeout(fn, TYPE_DELAY_MS);
  }
  search.addEventListener('input', () => debounce(() => { s.search = search.value.trim(); changed(); }));
  tagFilter.addEventListener('input', () => debounce(() => { s.tag = tagFilter.value.trim(); changed(); }));
  groupFilter.addEventListener('input', () => debounce(() => { s.group = groupFilter.value.trim(); changed(); }));
  stateFilter.addEventListener('change', () => { s.state = stateFilter.value; changed(); });
  loadMore.addEventListener('click', () => more());
  compare.addEventListener('click', () => {
    if (selected.size >= 2) navigate(paths.compare(entity, project, [...selected]));
  });
  table.addEventListener('click', (event) => {
    const th = event.target.closest('th[data-sort]');
    if (!th) return;
    const key = th.getAttribute('data-sort');
    if (s.sort === key) {
      s.order = s.order === 'asc' ? 'desc' : 'asc';
    } else {
      s.sort = key;
      s.order = key === 'name' ? 'asc' : 'desc';
    }
    changed();
  });

  // ---- column picker ----
  function keysFromRuns() {
    const config = new Set();
    const summary = new Set();
    for (const run of runs) {
      for (const k of Object.keys(run.config || {})) if (k !== '_wandb') config.add(k);
      for (const k of Object.keys(run.summary || {})) if (!k.startsWith('_') || k === '_runtime' || k === '_step') summary.add(k);
    }
    return { config: [...config].sort(), summary: [...summary].sort() };
  }

  async function keys() {
    if (knownKeys) return knownKeys;
    try {
      knownKeys = await api(`${projectApi(entity, project)}/keys`, { quiet: true });
    } catch (e) {
      // a server without the keys endpoint: offer the keys of the runs on screen
      return keysFromRuns();
    }
    return knownKeys;
  }

  async function drawPicker() {
    clear(pickerPanel);
    const filter = h('input', { type: 'search', placeholder: 'Filter keys', 'aria-label': 'Filter keys' });
    const lists = h('div');
    pickerPanel.append(filter, lists);
    const found = await keys();
    const drawLists = () => {
      clear(lists);
      const text = filter.value.trim().toLowerCase();
      for (const source of ['config', 'summary']) {
        const names = (found[source] || []).filter((k) => k.toLowerCase().includes(text));
        lists.append(h('h3', {}, source === 'config' ? 'Config' : 'Summary'));
        if (names.length === 0) lists.append(h('div', { class: 'muted small' }, 'none'));
        for (const name of names.slice(0, 300)) {
          const id = `${source}.${name}`;
          const box = h('input', { type: 'checkbox', checked: s.cols.includes(id), 'data-column': id });
          box.addEventListener('change', () => {
            s.cols = box.checked ? [...s.cols, id] : s.cols.filter((c) => c !== id);
            if (!box.checked && s.sort === id) {
              s.sort = 'created';
              s.order = 'desc';
              changed();
            } else {
              replaceQuery(urlQuery(s));
              draw();
            }
          });
          lists.append(h('label', { title: id }, box, name));
        }
      }
    };
    filter.addEventListener('input', drawLists);
    drawLists();
    filter.focus();
  }

  columnsButton.addEventListener('click', () => {
    pickerPanel.hidden = !pickerPanel.hidden;
    if (!pickerPanel.hidden) drawPicker();
  });
  const closePicker = (event) => {
    if (!pickerPanel.hidden && !event.target.closest('.picker')) pickerPanel.hidden = true;
  };
  document.addEventListener('click', closePicker);

  // ---- live: a notice for this project refreshes the table (at most once a second) ----
  function scheduleRefresh() {
    if (disposed || refreshTimer) return;
    const wait = Math.max(0, lastRefresh + REFRESH_GAP_MS - Date.now());
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      lastRefresh = Date.now();
      load({ keepCount: true });
    }, wait);
  }
  import('/ui/bus.js')
    .then((bus) => {
      if (disposed || typeof bus.subscribe !== 'function') return;
      unsubscribe = bus.subscribe(`rb.ui.project.${entity}/${project}`, scheduleRefresh);
    })
    .catch(() => { /* no live bridge: the table shows what it loaded */ });

  load();
  draw();

  return () => {
    disposed = true;
    if (loading) loading.abort();
    clearTimeout(typing);
    clearTimeout(refreshTimer);
    document.removeEventListener('click', closePicker);
    if (typeof unsubscribe === 'function') unsubscribe();
  };
}
