// In-app navigation: history.pushState, then the router (app.js) renders the new path.

export const NAVIGATE_EVENT = 'runbus:navigate';

/** Goes to a path of this site without reloading the page. */
export function navigate(url, { replace = false } = {}) {
  if (replace) {
    history.replaceState(null, '', url);
  } else {
    history.pushState(null, '', url);
  }
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/** Replaces the query string (a page's state) without a new history entry or a new render. */
export function replaceQuery(params) {
  const query = params.toString();
  history.replaceState(null, '', location.pathname + (query ? '?' + query : ''));
}

/** The app's own page path of a project, a run, or a comparison. */
export const paths = {
  entity: (entity) => `/${encodeURIComponent(entity)}`,
  project: (entity, project) => `/${encodeURIComponent(entity)}/${encodeURIComponent(project)}`,
  run: (entity, project, run) =>
    `/${encodeURIComponent(entity)}/${encodeURIComponent(project)}/runs/${encodeURIComponent(run)}`,
  compare: (entity, project, runs) =>
    `/${encodeURIComponent(entity)}/${encodeURIComponent(project)}/compare?runs=${runs.map(encodeURIComponent).join(',')}`,
};
