// The read API calls of the workspace and compare pages, through the app's fetch wrapper (api.js:
// the UI's header, a 401 back to the login page, errors in the banner).
import { api, runApi } from './api.js';

/** JSON of a read API URL through the app's fetch wrapper; null for a 404 when allowed. */
export async function getJson(url, { allow404 = false } = {}) {
  try {
    return await api(url, { quiet: allow404 });
  } catch (e) {
    if (allow404 && e.status === 404) return null;
    throw e;
  }
}

const part = encodeURIComponent;

/** The read API of one run: URLs and calls. */
export class RunApi {
  constructor(entity, project, run) {
    this.base = runApi(entity, project, run);
  }

  /** The run, or null when there is none (another entity's run is none too). */
  run() { return getJson(this.base, { allow404: true }); }

  historyKeys() { return getJson(`${this.base}/history/keys`); }

  /** Sampled history of up to 100 keys; x (not _step) adds each point's x value as xs. */
  sampled(keys, samples, x) {
    let url = `${this.base}/history?keys=${part(keys.join(','))}&samples=${samples}`;
    if (x && x !== '_step') url += `&x=${part(x)}`;
    return getJson(url);
  }

  /** Full history lines from line `from` on (JSON array), only the given keys and _step. */
  lines(keys, from, limit) {
    return getJson(`${this.base}/history?keys=${part(keys.join(','))}&from=${from}` +
      `&limit=${limit}&format=json`);
  }

  console(from, limit) { return getJson(`${this.base}/console?from=${from}&limit=${limit}`); }

  events(from, limit) { return getJson(`${this.base}/events?from=${from}&limit=${limit}`); }

  files() { return getJson(`${this.base}/files`); }

  fileUrl(name) { return `${this.base}/file?name=${part(name)}`; }

  /** Asks the run's program to stop (it learns at its next post to the server). */
  stop() { return api(`${this.base}/stop`, { method: 'POST' }); }

  /** A JSON file of the run, or null when it has none. */
  jsonFile(name) { return getJson(this.fileUrl(name), { allow404: true }); }
}

/** Splits keys into batches the API takes in one request. */
export function batches(keys, size = 100) {
  const out = [];
  for (let i = 0; i < keys.length; i += size) out.push(keys.slice(i, i + size));
  return out;
}
