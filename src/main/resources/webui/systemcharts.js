// System metrics (wandb-events.jsonl: system.* keys every few seconds), one chart per key,
// grouped as W&B groups them, x = seconds since the run started, or wall time when the
// workspace's x is wall time (system metrics have no step: every other x draws them on seconds).
import { toNumber } from './chartdata.js';
import { LineChart } from './charts.js';
import { el, section } from './panels.js';

const PAGE = 10000;
const MAX_LINES = 100000; // a very long run shows its last MAX_LINES samples
const GROUPS = ['CPU', 'Memory', 'Disk', 'Network', 'GPU', 'JVM', 'Other'];

export function systemGroup(key) {
  const k = key.toLowerCase();
  if (k.startsWith('system.jvm.')) return 'JVM';
  if (k.startsWith('system.gpu')) return 'GPU';
  if (k.includes('cpu')) return 'CPU';
  if (k.includes('mem')) return 'Memory';
  if (k.includes('disk')) return 'Disk';
  if (k.includes('network') || k.includes('net.')) return 'Network';
  return 'Other';
}

export class SystemMetrics {
  constructor(api, node, syncKey) {
    this.api = api;
    this.node = node; // section#system
    this.syncKey = syncKey;
    this.next = 0;
    this.start = null;
    this.byKey = new Map();
    this.charts = new Map();
    this.groups = new Map();
    this.empty = el('p', { class: 'muted', text: 'No system metrics.' });
    node.append(this.empty);
  }

  async load(total) {
    if (this.next === 0 && total > MAX_LINES) this.next = total - MAX_LINES;
    let from = this.next;
    while (from < total) {
      const page = await this.api.events(from, Math.min(PAGE, total - from));
      if (page.lines.length === 0) break;
      for (const { values } of page.lines) this.add(values);
      from = page.next;
    }
    this.next = from;
  }

  add(values) {
    if (!values || typeof values !== 'object') return;
    const stamp = toNumber(values._timestamp);
    if (this.start == null && stamp != null) this.start = stamp - (toNumber(values._runtime) || 0);
    const runtime = toNumber(values._runtime);
    const x = runtime != null ? runtime : stamp != null && this.start != null ? stamp - this.start : null;
    if (x == null) return;
    for (const [key, value] of Object.entries(values)) {
      if (!key.startsWith('system.')) continue;
      const y = toNumber(value);
      if (y == null && typeof value !== 'string') continue; // not a metric (a nested object)
      let series = this.byKey.get(key);
      if (!series) { series = { x: [], t: [], y: [] }; this.byKey.set(key, series); }
      series.x.push(x);
      series.t.push(stamp != null ? stamp : this.start != null ? this.start + x : null);
      series.y.push(y);
      if (series.x.length > MAX_LINES) { series.x.shift(); series.t.shift(); series.y.shift(); }
    }
  }

  draw(view) {
    const keys = [...this.byKey.keys()].sort();
    if (keys.length) this.empty.remove();
    for (const key of keys) {
      let chart = this.charts.get(key);
      if (!chart) {
        const div = el('div', { class: 'chart', 'data-key': key });
        this.grid(systemGroup(key)).append(div);
        chart = new LineChart(div, { title: key.slice('system.'.length), syncKey: this.syncKey });
        this.charts.set(key, chart);
      }
      const s = this.byKey.get(key);
      const group = this.groups.get(systemGroup(key));
      // groups sit side by side; one with several charts takes the room of up to three
      group.section.style.flex = `1 1 ${Math.min(3, group.grid.childElementCount) * 392}px`;
      const wallTime = view.x === '_timestamp';
      chart.draw([{ label: key, x: wallTime ? s.t : s.x, y: s.y }],
        { smoothing: view.smoothing, logScale: view.logScale, xLabel: wallTime ? 'time' : 'seconds since start',
          xTime: wallTime });
    }
  }

  grid(name) {
    if (!this.groups.has(name)) {
      const grid = el('div', { class: 'chart-grid' });
      const group = section(name, null, grid, { class: 'system-group', 'data-group': name });
      // keep the groups in W&B's order whatever order their keys arrive in
      const after = GROUPS.slice(GROUPS.indexOf(name) + 1).map((g) => this.groups.get(g)).find(Boolean);
      if (after) after.section.before(group); else this.node.append(group);
      this.groups.set(name, { grid, section: group });
    }
    return this.groups.get(name).grid;
  }

  destroy() {
    for (const chart of this.charts.values()) chart.destroy();
  }
}
