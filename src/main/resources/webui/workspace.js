// A run's workspace (/<entity>/<project>/runs/<run>): header, charts of its history grouped by
// key prefix, system metrics, console, config, summary, metadata and files; live while it runs.
import { bus } from './bus.js';
import { LineChart, loadUplot, samplesFor } from './charts.js';
import { ConsolePanel } from './consolepanel.js';
import { duration, localTime, runSeconds } from './format.js';
import { appendHistory, chartableKeys, sampleHistory } from './history.js';
import { chartedKeys } from './keyfilter.js';
import { chartControls, chartWidth, el, loadWorkspaceCss, panelGroups, section, stepMetrics,
  watchLifetime } from './panels.js';
import { configTable, filesTable, metadataTable, summaryTable } from './rundetails.js';
import { runMetadata } from './runmetadata.js';
import { RunApi } from './runapi.js';
import { SystemMetrics } from './systemcharts.js';

const MAX_CHARTS = 500;
const RESAMPLE_AFTER_LINES = 5000; // appending more than this re-samples instead
const POLL_MS = 2000;

/** Route params, or the path's own parts (/<entity>/<project>/runs/<run>). */
export function runParams(params) {
  if (params && params.entity && params.project && params.run) return params;
  const parts = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  return { entity: parts[0], project: parts[1], run: parts[3] };
}

export async function render(root, params) {
  const page = new Workspace(root, runParams(params));
  await page.start();
  return () => page.dispose();
}

class Workspace {
  constructor(root, { entity, project, run }) {
    this.root = root;
    this.ids = { entity, project, run };
    this.api = new RunApi(entity, project, run);
    this.charts = new Map(); // key -> LineChart
    this.view = { x: '_step', smoothing: 0, logScale: false, filter: '' };
    this.queue = Promise.resolve();
    this.disposed = false;
  }

  async start() {
    loadWorkspaceCss();
    this.node = el('div', { class: 'workspace' }, el('p', { class: 'muted', text: 'Loading run…' }));
    this.root.replaceChildren(this.node);
    const [run] = await Promise.all([this.api.run(), loadUplot()]);
    if (!run) {
      const { entity, project } = this.ids;
      this.node.replaceChildren(el('p', { class: 'muted', text: `No run ${this.ids.run} in ${entity}/${project}.` }));
      return;
    }
    this.run = run;
    this.stopWatching = watchLifetime(this.node, () => this.dispose());
    this.header = el('header', { id: 'run-header', class: 'run-header' });
    this.renderHeader();
    const keys = (await this.api.historyKeys()).keys || [];
    this.keys = chartableKeys(keys);
    const { bar, view } = chartControls(stepMetrics(run.config), this.keys, (v, what) => this.changed(v, what));
    this.view = view;
    this.panels = el('div', { class: 'panels' });
    this.chartNote = el('p', { class: 'muted chart-note-global' });
    this.system = el('section', { id: 'system', class: 'system' });
    this.consolePanel = new ConsolePanel(this.api);
    this.node.replaceChildren(...[
      this.header,
      el('nav', { class: 'section-nav' }, ['Charts', 'System', 'Console', 'Config', 'Summary',
        'Metadata', 'Files'].map((n) => el('a', { href: `#ws-${n.toLowerCase()}`, text: n }))),
      el('div', { class: 'sticky-controls' }, bar),
      el('div', { id: 'ws-charts' }, this.chartNote, this.panels),
      el('h2', { id: 'ws-system', text: 'System' }), this.system,
      el('h2', { id: 'ws-console', text: 'Console' }), this.consolePanel.node,
      el('div', { class: 'details-grid' },
        el('div', {}, el('h2', { id: 'ws-config', text: 'Config' }), configTable(run.config)),
        el('div', {}, el('h2', { id: 'ws-summary', text: 'Summary' }), this.summaryNode = summaryTable(run.summary)),
        el('div', {}, el('h2', { id: 'ws-metadata', text: 'Metadata' }), this.metadataNode = el('p', { class: 'muted', text: 'Loading…' })),
        el('div', {}, el('h2', { id: 'ws-files', text: 'Files' }), this.filesNode = filesTable(run.files, (n) => this.api.fileUrl(n))))]);
    this.systemMetrics = new SystemMetrics(this.api, this.system, 'runbus-system');
    await Promise.all([
      this.loadCharts(),
      this.systemMetrics.load(run.eventsLineCount || 0).then(() => this.systemMetrics.draw(this.view)),
      this.consolePanel.load(run.logLineCount || 0),
      this.api.jsonFile('wandb-metadata.json').catch(() => null)
        .then((m) => this.metadataNode.replaceWith(
          this.metadataNode = metadataTable(runMetadata(m, run.config)))),
    ]);
    this.startLive();
  }

  renderHeader() {
    const r = this.run;
    const { entity, project } = this.ids;
    const projectPath = `/${encodeURIComponent(entity)}/${encodeURIComponent(project)}`;
    const facts = [
      ['Created', localTime(r.createdAt)],
      ['Duration', duration(runSeconds(r)) || '—'],
      ['Host', r.host],
      ['Program', r.program],
      ['Group', r.group],
      ['Job type', r.jobType],
    ].filter(([, v]) => v != null && v !== '');
    this.header.replaceChildren(...[
      el('div', { class: 'run-title' },
        el('a', { class: 'project-link', href: projectPath, text: `${entity} / ${project}` }),
        el('h1', {}, el('span', { class: 'run-name', text: r.displayName || r.name }),
          el('span', { class: `badge state-badge state-${r.state}`, text: r.state })),
        el('span', { class: 'run-id', text: `id ${r.name}` })),
      el('dl', { class: 'run-facts' }, facts.map(([k, v]) => [el('dt', { text: k }), el('dd', { text: String(v) })])),
      this.stopControl(),
      (r.tags && r.tags.length) ? el('div', { class: 'tags' }, r.tags.map((t) => el('span', { class: 'tag', text: t }))) : null,
      r.notes ? el('p', { class: 'notes', text: r.notes }) : null].filter(Boolean));
  }

  /**
   * W&B's stop button, while the run runs: the server tells the run's program at its next post
   * (runbus's Run.shouldStop(), W&B's client ends the run), and the button says it was asked.
   */
  stopControl() {
    const r = this.run;
    if (r.state !== 'running') return null;
    if (r.stopRequested) return el('span', { id: 'stop-run', class: 'stop-requested', text: 'Stop requested' });
    const name = r.displayName || r.name;
    return el('button', { id: 'stop-run', type: 'button', class: 'stop-run', text: 'Stop run',
      onclick: async (event) => {
        const button = event.currentTarget;
        if (!confirm(`Stop run ${name}? Its program is told at its next post to this server.`)) return;
        button.disabled = true;
        try {
          await this.api.stop();
        } catch {
          button.disabled = false; // the banner says why
          return;
        }
        this.run = { ...this.run, stopRequested: true };
        this.renderHeader();
      } });
  }

  // ---- history charts

  async loadCharts() {
    const samples = samplesFor(chartWidth(this.panels));
    const { keys: wanted, note } = chartedKeys(this.keys, this.view.filter, MAX_CHARTS);
    const { byKey, lines } = await sampleHistory(this.api, wanted, samples, this.view.x);
    if (this.disposed) return;
    this.samples = samples;
    this.byKey = byKey;
    this.lines = lines;
    this.appended = 0;
    for (const chart of this.charts.values()) chart.destroy();
    this.charts.clear();
    const keys = wanted.filter((k) => byKey.has(k));
    const nothing = keys.length === 0 && !this.view.filter;
    this.chartNote.textContent = nothing ? 'No numeric metrics logged yet.' : note;
    this.panels.replaceChildren();
    const divs = panelGroups(this.panels, keys);
    for (const [key, div] of divs) {
      div.dataset.samples = String(samples);
      this.charts.set(key, new LineChart(div, { title: key, syncKey: 'runbus-history' }));
    }
    this.drawCharts();
  }

  drawCharts() {
    const x = this.view.x;
    const xLabel = x === '_step' ? 'step' : x === '_runtime' ? 'seconds' : x === '_timestamp' ? 'time' : x;
    for (const [key, chart] of this.charts) {
      const s = this.byKey.get(key) || { x: [], y: [] };
      chart.draw([{ label: key, x: s.x, y: s.y }],
        { smoothing: this.view.smoothing, logScale: this.view.logScale, xLabel, xTime: x === '_timestamp' });
    }
  }

  changed(view, what) {
    this.view = view;
    if (what === 'x' || what === 'filter') {
      this.enqueue(() => this.loadCharts()); // other keys, or each point's other x
    } else {
      this.drawCharts();
    }
    if (what !== 'filter') this.systemMetrics.draw(view); // wall time, or seconds for every other x
  }

  // ---- live

  startLive() {
    if (this.run.state !== 'running') return;
    const { entity, project, run } = this.ids;
    this.unsubscribe = bus().subscribe(`rb.ui.run.${entity}/${project}/${run}`, (body) => this.notice(body));
    // the fallback when the bridge is missing or lost: poll while the run runs
    this.poller = setInterval(() => {
      if (document.body.dataset.live === 'true') return;
      this.enqueue(async () => this.update(await this.api.run()));
    }, POLL_MS);
  }

  notice(body) {
    this.latest = body;
    // coalesce: at most one update queued; it takes the latest notice
    if (this.noticeQueued) return;
    this.noticeQueued = true;
    this.enqueue(async () => {
      this.noticeQueued = false;
      await this.update(this.latest);
    });
  }

  enqueue(task) {
    this.queue = this.queue.then(() => (this.disposed ? null : task())).catch((e) => console.error(e));
    return this.queue;
  }

  /** Brings the page up to a run state: {state, historyLineCount, logLineCount, eventsLineCount}. */
  async update(state) {
    if (this.disposed || !state) return;
    const ended = state.state && state.state !== 'running';
    if (state.stopRequested && !this.run.stopRequested) { // asked from elsewhere
      this.run = { ...this.run, stopRequested: true };
      this.renderHeader();
    }
    if (state.state !== this.run.state || ended) {
      this.run = await this.api.run();
      this.renderHeader();
      this.summaryNode.replaceWith(this.summaryNode = summaryTable(this.run.summary));
      this.filesNode.replaceWith(this.filesNode = filesTable(this.run.files, (n) => this.api.fileUrl(n)));
    }
    const history = state.historyLineCount || 0;
    if (history > this.lines) await this.updateHistory(history);
    if ((state.logLineCount || 0) > 0) await this.consolePanel.load(state.logLineCount);
    if ((state.eventsLineCount || 0) > this.systemMetrics.next) {
      await this.systemMetrics.load(state.eventsLineCount);
      this.systemMetrics.draw(this.view);
    }
    if (ended) this.stopLive();
  }

  async updateHistory(lineCount) {
    const gap = lineCount - this.lines;
    const keys = chartableKeys((await this.api.historyKeys()).keys || []);
    const fresh = keys.some((k) => !this.keys.includes(k));
    this.keys = keys;
    if (fresh || gap > RESAMPLE_AFTER_LINES || this.appended + gap > RESAMPLE_AFTER_LINES) {
      await this.loadCharts();
      return;
    }
    const read = await appendHistory(this.api, this.byKey, [...this.charts.keys()], this.view.x, this.lines, gap);
    this.lines += read;
    this.appended += read;
    this.drawCharts();
  }

  stopLive() {
    if (this.unsubscribe) this.unsubscribe();
    this.unsubscribe = null;
    clearInterval(this.poller);
  }

  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    this.stopLive();
    if (this.stopWatching) this.stopWatching();
    for (const chart of this.charts.values()) chart.destroy();
    if (this.systemMetrics) this.systemMetrics.destroy();
  }
}
