// Pure data steps behind the charts (no DOM, no uPlot): numbers from the API, W&B's smoothing,
// the log scale's filter, aligning several series on one x array as uPlot wants it, and a chart's
// points as CSV.

/** A value from the API as a chart number: "NaN"/"Infinity" strings and non-numbers become gaps. */
export function toNumber(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * W&B's (and TensorBoard's) smoothing: an exponential moving average, debiased so the first
 * points are not pulled towards zero. weight 0 keeps the series; gaps stay gaps.
 */
export function smooth(ys, weight) {
  if (!(weight > 0)) return ys.slice();
  const out = new Array(ys.length);
  let last = 0;
  let count = 0;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (y == null) { out[i] = y; continue; }
    last = last * weight + (1 - weight) * y;
    count++;
    out[i] = last / (1 - Math.pow(weight, count));
  }
  return out;
}

/** For a log scale: values <= 0 cannot be drawn; they become gaps, and how many is told. */
export function positiveOnly(ys) {
  let dropped = 0;
  const out = ys.map((y) => {
    if (y != null && y <= 0) { dropped++; return null; }
    return y;
  });
  return { ys: out, dropped };
}

/**
 * One x array for several series of their own x (uPlot's aligned data). A series has no value
 * (undefined: the line runs on) where another series has a point, and null (a gap) where its own
 * value was missing. Points without an x are left out. Returns [xs, ys0, ys1, ...].
 */
export function align(series) {
  const index = new Map();
  for (const s of series) {
    for (const x of s.x) if (x != null && !index.has(x)) index.set(x, 0);
  }
  const xs = Array.from(index.keys()).sort((a, b) => a - b);
  xs.forEach((x, i) => index.set(x, i));
  const data = [xs];
  for (const s of series) {
    const ys = new Array(xs.length).fill(undefined);
    for (let i = 0; i < s.x.length; i++) {
      if (s.x[i] != null) ys[index.get(s.x[i])] = s.y[i];
    }
    data.push(ys);
  }
  return data;
}

/** Points sorted by x (a resumed run's _runtime may step back), points without x dropped. */
export function sortedByX(x, y) {
  const order = [];
  for (let i = 0; i < x.length; i++) if (x[i] != null) order.push(i);
  let sorted = true;
  for (let i = 1; i < order.length && sorted; i++) sorted = x[order[i - 1]] <= x[order[i]];
  if (!sorted) order.sort((a, b) => x[a] - x[b]);
  return { x: order.map((i) => x[i]), y: order.map((i) => y[i]) };
}

/** Non-gap points in a series. */
export function countPoints(ys) {
  let n = 0;
  for (const y of ys) if (y != null) n++;
  return n;
}

/** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvField(v) {
  const text = v == null ? '' : String(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A chart's points as CSV: a header of the x label and each series' label, then one row per x
 * (series aligned on x; a series without a value there, or with a gap, has an empty field).
 */
export function toCsv(xLabel, series) {
  const data = align(series.map((s) => sortedByX(s.x, s.y)));
  const lines = [[xLabel, ...series.map((s) => s.label)].map(csvField).join(',')];
  for (let i = 0; i < data[0].length; i++) {
    lines.push(data.map((column) => csvField(column[i])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
