// What the workspace and compare pages share: the chart controls (x axis, smoothing, log scale,
// chart filter), panel sections grouped by key prefix, the x-axis choices a run offers, and page
// lifetime helpers.
import { replaceQuery } from './nav.js';

export const X_TIME_KEYS = [
  { value: '_step', label: 'Step' },
  { value: '_runtime', label: 'Relative time (s)' },
  { value: '_timestamp', label: 'Wall time' },
];

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child != null) node.append(child instanceof Node ? child : document.createTextNode(child));
  }
  return node;
}

let cssLoaded = false;
/** The workspace's own stylesheet, beside the app's. */
export function loadWorkspaceCss() {
  if (cssLoaded || document.querySelector('link[href="/ui/workspace.css"]')) return;
  cssLoaded = true;
  document.head.append(el('link', { rel: 'stylesheet', href: '/ui/workspace.css' }));
}

/**
 * The step metrics a run defined (W&B's define_metric(step_metric=...)), from config._wandb.m:
 * each entry's "5" is 1 + the index of its step metric in the list (field 4 is its name).
 */
export function stepMetrics(config) {
  const wandb = config && config._wandb;
  const m = wandb && (wandb.value !== undefined ? wandb.value : wandb).m;
  const out = new Set();
  if (!Array.isArray(m)) return [];
  for (const entry of m) {
    if (!entry || typeof entry !== 'object') continue;
    if (typeof entry['4'] === 'string') out.add(entry['4']);
    const index = entry['5'];
    if (Number.isInteger(index) && index >= 1 && m[index - 1] && typeof m[index - 1]['1'] === 'string') {
      out.add(m[index - 1]['1']);
    }
  }
  return [...out];
}

/**
 * The controls bar; onChange(view, what) after each change. view: {x, smoothing, logScale,
 * filter}; the filter starts from the page's ?filter= and is kept there, so a link shows the
 * same charts.
 */
export function chartControls(stepMetricKeys, otherKeys, onChange) {
  const view = { x: '_step', smoothing: 0, logScale: false,
    filter: new URLSearchParams(location.search).get('filter') || '' };
  const select = el('select', { id: 'x-axis', 'aria-label': 'X axis' },
    X_TIME_KEYS.map((o) => el('option', { value: o.value, text: o.label })));
  if (stepMetricKeys.length) {
    select.append(el('optgroup', { label: 'Step metrics' },
      stepMetricKeys.map((k) => el('option', { value: k, text: k }))));
  }
  const others = otherKeys.filter((k) => !stepMetricKeys.includes(k));
  if (others.length) {
    select.append(el('optgroup', { label: 'Other metrics' },
      others.map((k) => el('option', { value: k, text: k }))));
  }
  const readout = el('output', { class: 'smoothing-value', text: '0' });
  const slider = el('input', { id: 'smoothing', type: 'range', min: '0', max: '0.99', step: '0.01',
    value: '0', 'aria-label': 'Smoothing' });
  const log = el('input', { id: 'log-scale', type: 'checkbox' });
  let pending = null;
  select.addEventListener('change', () => { view.x = select.value; onChange({ ...view }, 'x'); });
  slider.addEventListener('input', () => {
    view.smoothing = Number(slider.value);
    readout.textContent = view.smoothing.toFixed(2);
    // redraw at most every 50 ms while the slider moves (a timer: frames may not run in a hidden tab)
    if (!pending) pending = setTimeout(() => { pending = null; onChange({ ...view }, 'smoothing'); }, 50);
  });
  log.addEventListener('change', () => { view.logScale = log.checked; onChange({ ...view }, 'log'); });
  const filter = el('input', { id: 'chart-filter', type: 'search', value: view.filter,
    placeholder: 'Filter charts (regex)', 'aria-label': 'Filter charts' });
  let typing = null;
  filter.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      if (filter.value.trim() === view.filter) return;
      view.filter = filter.value.trim();
      const query = new URLSearchParams(location.search);
      if (view.filter) query.set('filter', view.filter); else query.delete('filter');
      replaceQuery(query);
      onChange({ ...view }, 'filter');
    }, 250);
  });
  const bar = el('div', { class: 'chart-controls' },
    el('label', {}, 'X axis ', select),
    el('label', { class: 'smoothing' }, 'Smoothing ', slider, readout),
    el('label', { class: 'check' }, log, ' Log scale'),
    filter,
    el('span', { class: 'hint', text: 'Drag to zoom, double-click to reset' }));
  return { bar, view };
}

/** The prefix a key's chart is grouped under: the part before the first '/', '' without one. */
export function prefixOf(key) {
  const slash = key.indexOf('/');
  return slash > 0 ? key.slice(0, slash) : '';
}

/**
 * Collapsible sections, one per prefix ("Charts" for keys without one, first), each with a grid
 * of div.chart[data-key]. Returns Map key -> chart element.
 */
export function panelGroups(container, keys) {
  const byPrefix = new Map();
  for (const key of keys) {
    const prefix = prefixOf(key);
    if (!byPrefix.has(prefix)) byPrefix.set(prefix, []);
    byPrefix.get(prefix).push(key);
  }
  const prefixes = [...byPrefix.keys()].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)));
  const charts = new Map();
  for (const prefix of prefixes) {
    const grid = el('div', { class: 'chart-grid' });
    for (const key of byPrefix.get(prefix)) {
      const chart = el('div', { class: 'chart', 'data-key': key });
      charts.set(key, chart);
      grid.append(chart);
    }
    container.append(section(prefix === '' ? 'Charts' : prefix, byPrefix.get(prefix).length, grid,
      { class: 'panel-group', 'data-prefix': prefix }));
  }
  return charts;
}

/** A collapsible section with a title and a count. */
export function section(title, count, body, attrs = {}) {
  const node = el('section', attrs);
  const toggle = el('button', { class: 'group-toggle', type: 'button', 'aria-expanded': 'true' },
    el('span', { class: 'caret' }), title, count == null ? null : el('span', { class: 'count', text: String(count) }));
  toggle.addEventListener('click', () => {
    const collapsed = node.classList.toggle('collapsed');
    toggle.setAttribute('aria-expanded', String(!collapsed));
  });
  node.append(el('h3', { class: 'group-title' }, toggle), body);
  return node;
}

/** The width a chart will have in a grid of this container (measured with a probe chart). */
export function chartWidth(container) {
  const grid = el('div', { class: 'chart-grid probe' }, el('div', { class: 'chart' }));
  container.append(grid);
  const width = grid.firstChild.clientWidth;
  grid.remove();
  return width || 400;
}

/** Calls dispose once the page leaves this path or the root loses the element. */
export function watchLifetime(node, dispose) {
  const path = location.pathname;
  const check = () => {
    if (!node.isConnected || location.pathname !== path) stop();
  };
  const timer = setInterval(check, 1000);
  window.addEventListener('popstate', check);
  let stopped = false;
  function stop() {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    window.removeEventListener('popstate', check);
    dispose();
  }
  return stop;
}
