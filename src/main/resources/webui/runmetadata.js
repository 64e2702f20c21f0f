// A run's environment metadata (OS, Python, host, program, hardware). W&B's clients up to 0.2x
// upload it as wandb-metadata.json; newer ones (wandb-core 0.30) also keep it in the config, at
// config._wandb.e, one entry per writing process: a run without the file shows the first
// writer's entry.
import { configValue } from './wsformat.js';

/** The metadata to show: the file's object, else the config's first writer's, else null. */
export function runMetadata(file, config) {
  if (file && typeof file === 'object' && !Array.isArray(file)) return file;
  const wandb = config ? configValue(config._wandb) : null;
  const writers = wandb && typeof wandb === 'object' ? wandb.e : null;
  if (!writers || typeof writers !== 'object') return null;
  const entries = Object.values(writers).filter((e) => e && typeof e === 'object');
  if (entries.length === 0) return null;
  entries.sort((a, b) => String(a.startedAt || '').localeCompare(String(b.startedAt || '')));
  const { writerId, ...first } = entries[0];
  if (entries.length > 1) first.writers = entries.length;
  return first;
}

/**
 * A size as W&B writes it: a number is GB (wandb-metadata.json of 0.1x), a string of digits is
 * bytes (wandb-core's config._wandb.e).
 */
export function sizeOf(v, bytes) {
  if (typeof v === 'number') return `${Number(v.toPrecision(4))} GB`;
  if (typeof v === 'string' && /^\d+$/.test(v)) return bytes(Number(v));
  return v;
}
