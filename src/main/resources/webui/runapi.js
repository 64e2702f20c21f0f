// The read API calls of the workspace and compare pages. Every request says it is the UI's
// (X-Runbus-UI: 1): the server then answers 401 without a Basic challenge, and we go to /login.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function getJson(url, { allow404 = false } = {}) {
  const response = await fetch(url, { headers: { 'X-Runbus-UI': '1', Accept: 'application/json' } });
  if (response.status === 401) {
    location.assign('/login?next=' + encodeURIComponent(location.pathname + location.search));
    throw new ApiError(401, 'signed out');
  }
  if (allow404 && response.status === 404) return null;
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try { message = (await response.json()).error || message; } catch (e) { /* not JSON */ }
    throw new ApiError(response.status, message);
  }
  return response.json();
}

const part = encodeURIComponent;

/** The read API of one run: URLs and calls. */
export class RunApi {
  constructor(entity, project, run) {
    this.base = `/api/v1/entities/${part(entity)}/projects/${part(project)}/runs/${part(run)}`;
  }

  run() { return getJson(this.base); }

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

  /** A JSON file of the run, or null when it has none. */
  jsonFile(name) { return getJson(this.fileUrl(name), { allow404: true }); }
}

/** Splits keys into batches the API takes in one request. */
export function batches(keys, size = 100) {
  const out = [];
  for (let i = 0; i < keys.length; i += size) out.push(keys.slice(i, i + size));
  return out;
}
