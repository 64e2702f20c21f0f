// A run's config, summary, metadata and files as tables.
import { localTime } from './format.js';
import { bytes, configValue, valueText } from './wsformat.js';
import { el } from './panels.js';
import { sizeOf } from './runmetadata.js';

function table(id, rows, empty) {
  if (rows.length === 0) return el('p', { id, class: 'muted', text: empty });
  return el('table', { id, class: 'kv' },
    el('tbody', {}, rows.map(([k, v]) => el('tr', {}, el('th', { scope: 'row', text: k }),
      el('td', {}, v instanceof Node ? v : valueText(v))))));
}

/** #config: W&B's {value, desc} unwrapped; _wandb (W&B's own bookkeeping) in a collapsed row. */
export function configTable(config) {
  const keys = Object.keys(config || {}).filter((k) => k !== '_wandb').sort();
  const rows = keys.map((k) => [k, configValue(config[k])]);
  if (config && '_wandb' in config) {
    const details = el('details', { class: 'wandb-internal' },
      el('summary', { text: 'W&B internal' }),
      el('pre', { text: JSON.stringify(configValue(config._wandb), null, 2) }));
    rows.push(['_wandb', details]);
  }
  return table('config', rows, 'No config.');
}

/** #summary: the last summary, W&B's own keys (_wandb) left out. */
export function summaryTable(summary) {
  const keys = Object.keys(summary || {}).filter((k) => k !== '_wandb').sort();
  return table('summary', keys.map((k) => [k, summary[k]]), 'No summary.');
}

const METADATA_FIELDS = [
  ['os', 'OS'], ['python', 'Python'], ['java', 'Java'], ['host', 'Host'], ['username', 'User'],
  ['program', 'Program'], ['codePath', 'Code path'], ['args', 'Arguments'], ['executable', 'Executable'],
  ['startedAt', 'Started'], ['cpu_count', 'CPUs'], ['memory', 'Memory'], ['gpu', 'GPU'],
  ['gpu_count', 'GPUs'], ['cuda', 'CUDA'],
];

/** #metadata (runmetadata.js: wandb-metadata.json or the config's; null when there is none). */
export function metadataTable(metadata) {
  if (!metadata) return table('metadata', [], 'No metadata (wandb-metadata.json) for this run.');
  const rows = [];
  const seen = new Set(['git', 'heartbeatAt', 'state', 'root', 'disk']);
  for (const [key, label] of METADATA_FIELDS) {
    if (metadata[key] == null) continue;
    seen.add(key);
    let v = metadata[key];
    if (key === 'args' && Array.isArray(v)) v = v.join(' ');
    if (key === 'startedAt') v = localTime(v);
    if (key === 'memory' && v && v.total != null) v = sizeOf(v.total, bytes);
    rows.push([label, v]);
  }
  const git = metadata.git;
  if (git && typeof git === 'object') {
    if (git.remote) rows.push(['Git remote', git.remote]);
    if (git.commit) rows.push(['Git commit', git.commit]);
  }
  const disk = metadata.disk;
  if (disk && typeof disk === 'object') {
    for (const [mount, d] of Object.entries(disk)) {
      if (d && typeof d === 'object' && d.total != null) {
        rows.push([`Disk ${mount}`, `${sizeOf(d.used, bytes)} used of ${sizeOf(d.total, bytes)}`]);
      } else {
        rows.push([`Disk ${mount}`, d]);
      }
    }
  }
  for (const key of Object.keys(metadata).sort()) {
    if (!seen.has(key)) rows.push([key, metadata[key]]);
  }
  return table('metadata', rows, 'Empty metadata.');
}

/** #files: name (a link to its bytes), size, time. */
export function filesTable(files, urlOf) {
  if (!files || files.length === 0) return el('p', { id: 'files', class: 'muted', text: 'No files.' });
  const sorted = [...files].sort((a, b) => a.name.localeCompare(b.name));
  return el('table', { id: 'files', class: 'files' },
    el('thead', {}, el('tr', {}, el('th', { text: 'Name' }), el('th', { class: 'num', text: 'Size' }),
      el('th', { text: 'Updated' }))),
    el('tbody', {}, sorted.map((f) => el('tr', {},
      el('td', {}, el('a', { href: urlOf(f.name), target: '_blank', rel: 'noopener', text: f.name })),
      el('td', { class: 'num', text: bytes(f.size) }),
      el('td', { text: localTime(f.updatedAt) })))));
}
