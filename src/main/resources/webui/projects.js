// The projects of an entity: a table of name, runs and creation time.

import { api, enc } from '/ui/api.js';
import { h } from '/ui/dom.js';
import { count, localTime } from '/ui/format.js';
import { paths } from '/ui/nav.js';

export async function render(root, { entity }) {
  const head = h('div', { class: 'page-head' }, h('h1', {}, 'Projects'), h('span', { class: 'count' }));
  root.append(head);
  const answer = await api(`/api/v1/entities/${enc(entity)}/projects`);
  const projects = answer.projects || [];
  head.querySelector('.count').textContent = count(projects.length, 'project', 'projects');
  if (projects.length === 0) {
    root.append(h('div', { class: 'card empty' }, 'No projects yet. Runs logged to this server appear here.'));
    return;
  }
  const rows = projects.map((p) =>
    h('tr', { 'data-project': p.name },
      h('td', { class: 'name' }, h('a', { href: paths.project(entity, p.name), 'data-nav': true }, p.name)),
      h('td', { class: 'num' }, (p.runCount ?? 0).toLocaleString()),
      h('td', {}, localTime(p.createdAt))));
  root.append(
    h('div', { class: 'card table-wrap' },
      h('table', { id: 'projects', class: 'data' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Project'), h('th', { class: 'num' }, 'Runs'), h('th', {}, 'Created'))),
        h('tbody', {}, rows))));
}
