// Several runs' curves overlaid (/<entity>/<project>/compare?runs=a,b,c): the union of their
// numeric keys, one chart per key with one series per run, the workspace's controls. A running
// run's curves grow by themselves: its notices (or a poll while the bridge is down) re-sample it.
import { bus } from './bus.js';
import { COLORS, LineChart, loadUplot, samplesFor } from './charts.js';
import { chartableKeys, sampleHistory } from './history.js';
import { chartedKeys } from './keyfilter.js';
import { chartControls, chartWidth, el, loadWorkspaceCss, panelGroups, stepMetrics, watchLifetime } from './panels.js';
import { RunApi } from './runapi.js';

const MAX_RUNS = 20;
const MAX_CHARTS = 500;
/** A running run is re-sampled at most this often, however often its notices come. */
const REFRESH_MS = 1000;
const POLL_MS = 2000;

export function compareParams(params) {
  const parts = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const entity = (params && params.entity) || parts[0];
  const project = (params && params.project) || parts[1];
  const listed = (params && params.runs) || new URLSearchParams(location.search).get('runs') || '';
  const runs = [...new Set((Array.isArray(listed) ? listed : listed.split(',')).map((r) => r.trim()).filter(Boolean))];
  return { entity, project, runs: runs.slice(0, MAX_RUNS), dropped: Math.max(0, runs.length - MAX_RUNS) };
}

export async function render(root, params) {
  const page = new Compare(root, compareParams(params));
  await page.start();
  return () => page.dispose();
}

class Compare {
  constructor(root, { entity, project, runs, dropped }) {
    this.root = root;
    this.entity = entity;
    this.project = project;
    this.names = runs;
    this.dropped = dropped;
    this.charts = new Map();
    this.disposed = false;
    this.queue = Promise.resolve();
    this.unsubscribers = [];
  }

  async start() {
    loadWorkspaceCss();
    this.node = el('div', { class: 'workspace compare' }, el('p', { class: 'muted', text: 'Loading runs…' }));
    this.root.replaceChildren(this.node);
    this.stopWatching = watchLifetime(this.node, () => this.dispose());
    await loadUplot();
    const projectPath = `/${encodeURIComponent(this.entity)}/${encodeURIComponent(this.project)}`;
    const loaded = await Promise.all(this.names.map(async (name, i) => {
      const api = new RunApi(this.entity, this.project, name);
      const run = await api.run();
      if (!run) return { name, missing: true };
      const keys = await api.historyKeys();
      return { name, api, run, keys: chartableKeys(keys.keys || []), color: COLORS[i % COLORS.length] };
    }));
    this.runs = loaded.filter((r) => !r.missing);
    const missing = loaded.filter((r) => r.missing).map((r) => r.name);
    const union = this.unionOfKeys();
    const steps = [...new Set(this.runs.flatMap((r) => stepMetrics(r.run.config)))];
    const { bar, view } = chartControls(steps, union, (v, what) => this.changed(v, what));
    this.view = view;
    this.chooseKeys();
    this.chartNote = el('p', { class: 'muted chart-note-global' });
    this.panels = el('div', { class: 'panels' });
    const notes = [];
    if (missing.length) notes.push(`Not found: ${missing.join(', ')}.`);
    if (this.dropped) notes.push(`Only the first ${MAX_RUNS} runs are compared.`);
    if (this.runs.length < 2) notes.push('Choose at least two runs in the run table to compare them.');
    this.node.replaceChildren(...[
      el('header', { class: 'run-header' },
        el('div', { class: 'run-title' },
          el('a', { class: 'project-link', href: projectPath, text: `${this.entity} / ${this.project}` }),
          el('h1', {}, `Compare ${this.runs.length} runs`))),
      el('div', { class: 'compare-legend', id: 'compare-legend' }, this.runs.map((r) =>
        el('a', { class: 'legend-run', href: `${projectPath}/runs/${encodeURIComponent(r.name)}` },
          el('span', { class: 'swatch', style: `background:${r.color}` }),
          r.run.displayName || r.name,
          r.badge = el('span', { class: `badge state-badge state-${r.run.state}`, text: r.run.state })))),
      notes.length ? el('p', { class: 'muted', text: notes.join(' ') }) : null,
      el('div', { class: 'sticky-controls' }, bar),
      this.chartNote,
      this.panels].filter(Boolean));
    await this.load();
    this.startLive();
  }

  /** Every compared run's numeric keys, once each, sorted. */
  unionOfKeys() {
    return [...new Set(this.runs.flatMap((r) => r.keys))].sort();
  }

  /** The keys charted: the union's that match the filter, within the cap. */
  chooseKeys() {
    const { keys, note } = chartedKeys(this.unionOfKeys(), this.view.filter, MAX_CHARTS);
    this.keys = keys;
    this.keysNote = note;
  }

  async load() {
    const samples = samplesFor(chartWidth(this.panels));
    await Promise.all(this.runs.map(async (r) => {
      const keys = r.keys.filter((k) => this.keys.includes(k));
      r.byKey = (await sampleHistory(r.api, keys, samples, this.view.x)).byKey;
    }));
    if (this.disposed) return;
    for (const chart of this.charts.values()) chart.destroy();
    this.charts.clear();
    this.panels.replaceChildren();
    const keys = this.keys.filter((k) => this.runs.some((r) => r.byKey.has(k)));
    this.chartNote.textContent = this.keysNote;
    if (this.unionOfKeys().length === 0) {
      this.panels.append(el('p', { class: 'muted', text: 'These runs have no numeric metrics.' }));
    }
    for (const [key, div] of panelGroups(this.panels, keys)) {
      div.dataset.samples = String(samples);
      this.charts.set(key, new LineChart(div, { title: key, syncKey: 'runbus-compare' }));
    }
    this.draw();
  }

  draw() {
    const x = this.view.x;
    const xLabel = x === '_step' ? 'step' : x === '_runtime' ? 'seconds' : x === '_timestamp' ? 'time' : x;
    for (const [key, chart] of this.charts) {
      const series = this.runs.filter((r) => r.byKey.has(key)).map((r) => ({
        label: r.run.displayName || r.name, color: r.color, x: r.byKey.get(key).x, y: r.byKey.get(key).y,
      }));
      chart.draw(series, { smoothing: this.view.smoothing, logScale: this.view.logScale, xLabel,
        xTime: x === '_timestamp' });
    }
  }

  changed(view, what) {
    this.view = view;
    if (what === 'filter') this.chooseKeys();
    if (what === 'x' || what === 'filter') this.load().catch((e) => console.error(e));
    else this.draw();
  }

  // ---- live

  startLive() {
    const running = this.runs.filter((r) => r.run.state === 'running');
    if (running.length === 0 || this.disposed) return;
    this.unsubscribers = running.map((r) =>
      bus().subscribe(`rb.ui.run.${this.entity}/${this.project}/${r.name}`, (body) => this.notice(r, body)));
    // the fallback when the bridge is missing or lost: poll the running runs
    this.poller = setInterval(() => {
      if (document.body.dataset.live === 'true') return;
      for (const r of this.runs) if (r.run.state === 'running') this.notice(r, null);
    }, POLL_MS);
  }

  notice(r, body) {
    r.latest = body;
    // coalesce: at most one refresh queued per run; it takes the latest notice
    if (r.queued) return;
    r.queued = true;
    this.queue = this.queue
      .then(() => (this.disposed ? null : this.refresh(r)))
      .catch((e) => console.error(e))
      .then(() => new Promise((done) => setTimeout(done, REFRESH_MS / this.runs.length)));
  }

  /** Re-samples one run; a key it logged for the first time redraws every chart. */
  async refresh(r) {
    r.queued = false;
    const notice = r.latest;
    if (!notice || (notice.state && notice.state !== r.run.state)) {
      r.run = (await r.api.run()) || r.run;
      r.badge.className = `badge state-badge state-${r.run.state}`;
      r.badge.textContent = r.run.state;
    }
    const keys = chartableKeys((await r.api.historyKeys()).keys || []);
    const fresh = keys.some((k) => !r.keys.includes(k));
    r.keys = keys;
    if (fresh) {
      this.chooseKeys();
      await this.load();
    } else {
      const samples = samplesFor(chartWidth(this.panels));
      const mine = r.keys.filter((k) => this.keys.includes(k));
      r.byKey = (await sampleHistory(r.api, mine, samples, this.view.x)).byKey;
      if (!this.disposed) this.draw();
    }
    if (this.runs.every((run) => run.run.state !== 'running')) this.stopLive();
  }

  stopLive() {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers = [];
    clearInterval(this.poller);
  }

  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    this.stopLive();
    if (this.stopWatching) this.stopWatching();
    for (const chart of this.charts.values()) chart.destroy();
  }
}
