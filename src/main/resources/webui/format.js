// How the tables write times, durations and values.

/** A time in the browser's local zone, e.g. "12/2/2026, 09:00:00". */
export function localTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return isNaN(date) ? iso : date.toLocaleString();
}

/** Seconds as "1h 02m 03s", "4m 05s", "12s". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || !isFinite(seconds) || seconds < 0) return '';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h ${pad(m)}m ${pad(s)}s`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

/** A run's duration: its summary's _runtime, else (while running) heartbeat minus start. */
export function runSeconds(run) {
  const runtime = run.summary ? run.summary._runtime : undefined;
  if (typeof runtime === 'number') return runtime;
  if (run.state === 'running' && run.heartbeatAt && run.createdAt) {
    return (Date.parse(run.heartbeatAt) - Date.parse(run.createdAt)) / 1000;
  }
  return null;
}

/** A config or summary value in a cell: numbers to 5 significant digits, objects as JSON. */
export function value(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    const abs = Math.abs(v);
    if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return v.toExponential(3);
    return String(Number(v.toPrecision(5)));
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  const text = JSON.stringify(v);
  return text.length > 80 ? text.slice(0, 77) + '…' : text;
}

/** "1 run", "12 runs". */
export function count(n, one, many) {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
