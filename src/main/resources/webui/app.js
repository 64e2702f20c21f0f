// The single-page app's entry: routes on location.pathname (W&B's URL shapes), draws the top bar,
// and renders each page into <main id="app">. Page modules export render(root, params); what it
// returns may be a function (or an object with dispose()) called when the page is left.

import { api, clearBanner, signOut } from '/ui/api.js';
import { h, clear } from '/ui/dom.js';
import { NAVIGATE_EVENT, navigate, paths } from '/ui/nav.js';

const root = document.getElementById('app');
let leave = null;
let viewerEntity = null;
let routing = 0; // the latest navigation; an older one still loading must not draw

/** The signed-in user's entity (the read API lists exactly the entities a key sees). */
async function entityOfViewer() {
  if (viewerEntity === null) {
    const answer = await api('/api/v1/entities');
    viewerEntity = answer.entities && answer.entities.length ? answer.entities[0] : '';
    document.getElementById('viewer').textContent = viewerEntity;
  }
  return viewerEntity;
}

function segments() {
  const trimmed = location.pathname.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/').map(decodeURIComponent);
}

function crumbs(parts) {
  const nav = clear(document.getElementById('crumbs'));
  parts.forEach((part, i) => {
    if (i > 0) nav.append(h('span', { class: 'sep' }, '/'));
    const last = i === parts.length - 1;
    nav.append(
      last || !part.href
        ? h('span', { class: last ? 'current' : '' }, part.label)
        : h('a', { href: part.href, 'data-nav': true }, part.label));
  });
}

/** Loads a page module; until a page's module exists the app shows a placeholder for it. */
async function page(module) {
  try {
    return await import(module);
  } catch (e) {
    console.warn(`${module} is not available`, e);
    return { render: (el) => el.append(h('div', { class: 'card placeholder' }, 'This page is not available.')) };
  }
}

async function route() {
  const mine = ++routing;
  if (typeof leave === 'function') leave();
  leave = null;
  clearBanner();
  clear(root);
  const [entity, project, third, run] = segments();
  const query = new URLSearchParams(location.search);
  let module;
  let params;
  if (entity === undefined) {
    const own = await entityOfViewer();
    crumbs([{ label: own, href: paths.entity(own) }]);
    module = await import('/ui/projects.js');
    params = { entity: own };
  } else if (project === undefined) {
    entityOfViewer().catch(() => {});
    crumbs([{ label: entity }]);
    module = await import('/ui/projects.js');
    params = { entity };
  } else {
    entityOfViewer().catch(() => {});
    const base = [
      { label: entity, href: paths.entity(entity) },
      { label: project, href: paths.project(entity, project) },
    ];
    if (third === undefined) {
      crumbs(base);
      module = await import('/ui/runs.js');
      params = { entity, project, query };
    } else if (third === 'compare') {
      crumbs([...base, { label: 'Compare' }]);
      module = await page('/ui/compare.js');
      params = { entity, project, runs: (query.get('runs') || '').split(',').filter(Boolean), query };
    } else {
      crumbs([...base, { label: run }]);
      module = await page('/ui/workspace.js');
      params = { entity, project, run, query };
    }
  }
  if (mine !== routing) return;
  document.title = [params.run, params.project, params.entity, 'runbus'].filter(Boolean).join(' · ');
  // a container per navigation: a page still loading after it was left draws into a detached one
  const view = h('div', { class: 'view' });
  root.append(view);
  const result = await module.render(view, params);
  const dispose = typeof result === 'function' ? result : result && result.dispose ? () => result.dispose() : null;
  if (mine !== routing) {
    if (dispose) dispose(); // left while it rendered
    return;
  }
  leave = dispose;
}

// links marked data-nav (and any same-site link inside the app) navigate without a reload
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  const link = event.target.closest('a[href]');
  if (!link || link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/ui/')) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});

document.getElementById('sign-out').addEventListener('click', () => signOut());
document.getElementById('banner-close').addEventListener('click', () => clearBanner());
window.addEventListener('popstate', () => route());
window.addEventListener(NAVIGATE_EVENT, () => route());

route().catch((e) => console.error('page failed', e));
