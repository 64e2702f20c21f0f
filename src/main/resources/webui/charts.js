// One line chart per key, drawn by uPlot (served from its WebJar; loaded once as a global).
// The chart's element is the page's div.chart[data-key]; after each draw it carries
// data-points (points drawn in the first series) and data-ready="true". A chart is drawn once it
// comes near the screen: a run of hundreds of metrics opens as fast as one of ten, and a chart
// never scrolled to costs nothing but its data.
import { align, countPoints, positiveOnly, smooth, sortedByX, toCsv } from './chartdata.js';

const UPLOT_JS = '/ui/vendor/uplot/uPlot.iife.min.js';
const UPLOT_CSS = '/ui/vendor/uplot/uPlot.min.css';
const HEIGHT = 220;
/** How far off the screen a chart is drawn ahead of being seen, so scrolling finds it drawn. */
const DRAW_AHEAD = '600px 0px';

// a calm palette that stays apart for up to ten runs (Tableau 10)
export const COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f',
  '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

let loading = null;

/** Loads uPlot's script and stylesheet once per page. */
export function loadUplot() {
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      if (!document.querySelector(`link[href="${UPLOT_CSS}"]`)) {
        const css = document.createElement('link');
        css.rel = 'stylesheet';
        css.href = UPLOT_CSS;
        document.head.appendChild(css);
      }
      if (window.uPlot) { resolve(window.uPlot); return; }
      const script = document.createElement('script');
      script.src = UPLOT_JS;
      script.onload = () => resolve(window.uPlot);
      script.onerror = () => reject(new Error('could not load the chart library'));
      document.head.appendChild(script);
    });
  }
  return loading;
}

/** How many points to ask the server for: one per pixel of the chart, 200 to 2000. */
export function samplesFor(widthPx) {
  return Math.max(200, Math.min(2000, Math.round(widthPx || 0)));
}

function fade(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

export function formatValue(v) {
  if (v == null) return '—';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-4)) return v.toExponential(3);
  return String(Number(v.toPrecision(5)));
}

const SI = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];

/** Axis ticks: short (1.5M, 20k, 0.001). */
export function axisValue(v) {
  if (v == null) return '';
  const a = Math.abs(v);
  for (const [scale, suffix] of SI) {
    if (a >= scale * 10 || (scale >= 1e6 && a >= scale)) return `${Number((v / scale).toPrecision(3))}${suffix}`;
  }
  if (a !== 0 && a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(4)));
}

export class LineChart {
  /** el: the div.chart; options: {title, syncKey} */
  constructor(el, { title, syncKey }) {
    this.el = el;
    this.syncKey = syncKey;
    el.chart = this; // tests read the drawn data through it
    el.innerHTML = '';
    const head = document.createElement('div');
    head.className = 'chart-title';
    const name = document.createElement('span');
    name.className = 'chart-name';
    name.textContent = title;
    name.title = title;
    // the points drawn (sampled, unsmoothed) as a file, as W&B's panel export gives them
    const csv = document.createElement('button');
    csv.type = 'button';
    csv.className = 'chart-csv';
    csv.textContent = 'CSV';
    csv.title = `Download the points of ${title} as CSV`;
    csv.setAttribute('aria-label', csv.title);
    csv.addEventListener('click', () => this.download(title));
    head.append(name, csv);
    this.note = document.createElement('div');
    this.note.className = 'chart-note';
    this.plot = document.createElement('div');
    this.plot.className = 'chart-plot';
    el.append(head, this.plot, this.note);
    this.uplot = null;
    this.shape = '';
    this.resizer = new ResizeObserver(() => {
      if (this.uplot) this.uplot.setSize({ width: this.width(), height: HEIGHT });
    });
    this.resizer.observe(this.plot);
    this.seen = false;
    this.pending = null; // the latest draw asked for before the chart came near the screen
    this.watcher = new IntersectionObserver((entries) => {
      if (this.seen || !entries.some((e) => e.isIntersecting)) return;
      this.seen = true;
      this.watcher.disconnect();
      if (this.pending) {
        const [series, view] = this.pending;
        this.pending = null;
        this.render(series, view);
      }
    }, { rootMargin: DRAW_AHEAD });
    this.watcher.observe(el);
  }

  width() {
    return Math.max(150, this.plot.clientWidth || this.el.clientWidth || 400);
  }

  /**
   * series: [{label, color, x: number[], y: (number|null)[]}]; view: {smoothing (0..0.99),
   * logScale, xLabel, xTime (x is Unix seconds)}.
   */
  draw(series, view) {
    if (this.seen) this.render(series, view);
    else this.pending = [series, view];
  }

  render(series, view) {
    this.drawn = { series, xLabel: view.xLabel || 'step' };
    const uPlot = window.uPlot;
    const notes = [];
    const tables = [];
    const config = [{ label: view.xLabel || 'step' }];
    const rawOnly = [];
    let firstPoints = 0;
    series.forEach((s, i) => {
      const color = s.color || COLORS[i % COLORS.length];
      let { x, y } = sortedByX(s.x, s.y);
      if (view.logScale) {
        const kept = positiveOnly(y);
        y = kept.ys;
        if (kept.dropped > 0) notes.push(`${kept.dropped} values ≤ 0 not drawn (log scale)`);
      }
      if (i === 0) firstPoints = countPoints(y);
      const width = series.length > 1 ? 1.25 : 1.5;
      if (view.smoothing > 0) {
        // W&B keeps the raw line, faint, under the smoothed one
        tables.push({ x, y });
        config.push({ label: `${s.label} (raw)`, stroke: fade(color, 0.22), width: 1,
          points: { show: false }, value: (u, v) => formatValue(v) });
        rawOnly.push(config.length - 1);
        tables.push({ x, y: smooth(y, view.smoothing) });
      } else {
        tables.push({ x, y });
      }
      config.push({ label: s.label, stroke: color, width, value: (u, v) => formatValue(v) });
    });
    const data = align(tables);
    const shape = JSON.stringify([config.map((c) => c.label), view.logScale, !!view.xTime,
      view.smoothing > 0]);
    this.note.textContent = [...new Set(notes)].join('; ');
    if (this.uplot && shape === this.shape) {
      this.uplot.setData(data);
    } else {
      if (this.uplot) this.uplot.destroy();
      this.shape = shape;
      this.uplot = new uPlot({
        width: this.width(),
        height: HEIGHT,
        scales: {
          x: { time: !!view.xTime },
          y: view.logScale ? { distr: 3, log: 10 } : { distr: 1 },
        },
        series: config,
        axes: [
          { stroke: '#6b7280', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#e5e7eb' } },
          { stroke: '#6b7280', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#e5e7eb' },
            size: 56, values: (u, ticks) => ticks.map(axisValue) },
        ],
        // drag-select on x zooms, double-click resets (uPlot's defaults); hover synced per page
        cursor: { sync: { key: this.syncKey }, drag: { x: true, y: false } },
        legend: { live: true },
      }, data, this.plot);
      const rows = this.uplot.root.querySelectorAll('.u-legend .u-series');
      rawOnly.forEach((i) => rows[i] && rows[i].classList.add('raw-series'));
    }
    this.el.dataset.points = String(firstPoints);
    this.el.dataset.series = String(series.length);
    this.el.dataset.ready = 'true';
  }

  /** Saves the drawn points as <title>.csv (nothing before the chart was drawn). */
  download(title) {
    if (!this.drawn) return;
    const text = toCsv(this.drawn.xLabel, this.drawn.series);
    const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${title.replace(/[^A-Za-z0-9._-]+/g, '_')}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  /** The drawn data (uPlot's aligned arrays), for tests and debugging. */
  data() {
    return this.uplot ? this.uplot.data : null;
  }

  destroy() {
    this.resizer.disconnect();
    this.watcher.disconnect();
    this.pending = null;
    if (this.uplot) this.uplot.destroy();
    this.uplot = null;
  }
}
