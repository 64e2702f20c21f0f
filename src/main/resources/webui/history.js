// A run's history as chart series: sampled to the chart's width by the server, then grown by
// the lines a live run appends.
import { toNumber } from './chartdata.js';
import { batches } from './runapi.js';

/** Keys that get a chart: not W&B's own (_step, _runtime, _timestamp, _wandb...). */
export function chartableKeys(keys) {
  return keys.filter((k) => !k.startsWith('_'));
}

/**
 * One sampled read of all keys (batches of 100), x being '_step' or a history key whose value
 * on each point's line the server sends as xs. Keys without a sampled point are left out.
 * Returns {byKey: Map key -> {x, y}, lines: history lines the sample covers}.
 */
export async function sampleHistory(api, keys, samples, x) {
  const byKey = new Map();
  let lines = Infinity;
  const byStep = !x || x === '_step';
  await Promise.all(batches(keys).map(async (batch) => {
    const answer = await api.sampled(batch, samples, x);
    lines = Math.min(lines, answer.rowsScanned ?? 0);
    for (const s of answer.series) {
      if (!s.steps || s.steps.length === 0) continue;
      const xs = byStep ? s.steps : (s.xs || s.steps.map(() => null)).map(toNumber);
      byKey.set(s.key, { x: xs, y: s.values.map(toNumber) });
    }
  }));
  return { byKey, lines: Number.isFinite(lines) ? lines : 0 };
}

/**
 * Appends history lines [from, from + count) of the given keys to byKey (full reads, 100 keys a
 * request with the x key in each). Returns how many lines were read.
 */
export async function appendHistory(api, byKey, keys, x, from, count) {
  const byStep = !x || x === '_step';
  let read = count;
  const size = byStep ? 100 : 99;
  for (const batch of batches(keys, size)) {
    const asked = byStep || batch.includes(x) ? batch : [...batch, x];
    const lines = await api.lines(asked, from, count);
    read = Math.min(read, lines.length);
    for (const line of lines) {
      const xv = byStep ? toNumber(line._step) : toNumber(line[x]);
      for (const key of batch) {
        if (!(key in line)) continue;
        let series = byKey.get(key);
        if (!series) { series = { x: [], y: [] }; byKey.set(key, series); }
        series.x.push(xv);
        series.y.push(toNumber(line[key]));
      }
    }
  }
  return read;
}
