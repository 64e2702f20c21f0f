// How values read on the workspace pages (beyond format.js): sizes, config and summary values.

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
