// The UI's one way to the server: fetch with the UI's header (the server's CSRF rule, and no Basic
// dialog on 401), a 401 sends the browser to the login page, other errors show in the banner.

export const enc = encodeURIComponent;

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** The read API's base path of a project. */
export function projectApi(entity, project) {
  return `/api/v1/entities/${enc(entity)}/projects/${enc(project)}`;
}

/** The read API's base path of a run. */
export function runApi(entity, project, run) {
  return `${projectApi(entity, project)}/runs/${enc(run)}`;
}

/** Sends the browser to the login page, back to where it is afterwards. */
export function toLogin() {
  location.assign('/login?next=' + enc(location.pathname + location.search));
}

/**
 * JSON from the server. Options: method, body (sent as JSON), signal (AbortController), quiet
 * (no banner on an error; the caller handles it).
 */
export async function api(path, options = {}) {
  const headers = { 'X-Runbus-UI': '1', Accept: 'application/json' };
  const init = { method: options.method || 'GET', headers, credentials: 'same-origin', signal: options.signal };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    const error = new ApiError(0, 'The server cannot be reached.');
    if (!options.quiet) showBanner(error.message);
    throw error;
  }
  if (response.status === 401) {
    toLogin();
    throw new ApiError(401, 'Signed out.');
  }
  if (!response.ok) {
    let message = response.statusText || `HTTP ${response.status}`;
    try {
      const body = await response.json();
      if (body && body.error) message = body.error;
    } catch (ignored) {
      // not JSON: keep the status text
    }
    const error = new ApiError(response.status, message);
    if (!options.quiet) showBanner(`${message} (${response.status})`);
    throw error;
  }
  return response.json();
}

/** Ends the session, then shows the login page. */
export async function signOut() {
  try {
    await fetch('/logout', { method: 'POST', headers: { 'X-Runbus-UI': '1' }, credentials: 'same-origin' });
  } finally {
    location.assign('/login');
  }
}

export function showBanner(message) {
  const banner = document.getElementById('banner');
  if (!banner) return;
  document.getElementById('banner-text').textContent = message;
  banner.hidden = false;
}

export function clearBanner() {
  const banner = document.getElementById('banner');
  if (banner) banner.hidden = true;
}
