// How values read on the workspace pages: times, durations, sizes and config/summary values.

export function localTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function duration(seconds) {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h ${m}m ${s % 60}s`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** A run's duration: its summary's _runtime, else (while running) heartbeat minus creation. */
export function runDuration(run) {
  const runtime = run.summary && run.summary._runtime;
  if (typeof runtime === 'number') return runtime;
  if (run.heartbeatAt && run.createdAt) {
    return (Date.parse(run.heartbeatAt) - Date.parse(run.createdAt)) / 1000;
  }
  return null;
}

export function bytes(n) {
  if (n == null) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** A config or summary value as text: strings as they are, the rest as (shortened) JSON. */
export function valueText(v, max = 400) {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'object' && typeof v._type === 'string') return `(${v._type})`;
  const text = JSON.stringify(v);
  return text.length > max ? text.slice(0, max) + '…' : text;
}

/** W&B's config entries are {value, desc}; anything else is taken as the value itself. */
export function configValue(entry) {
  if (entry && typeof entry === 'object' && !Array.isArray(entry) && 'value' in entry) return entry.value;
  return entry;
}
