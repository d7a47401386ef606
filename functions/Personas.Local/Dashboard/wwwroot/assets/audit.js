// What was done to the caller's personas' data, and what each persona cost.
import { api, itemsOf } from './api.js';
import { fill, h, money, when } from './dom.js';

export async function auditView(main, _params, signal) {
  const [audit, personas] = await Promise.all([api('/api/audit', { signal }),
    api('/api/personas?limit=100', { signal })]);
  const costs = await Promise.all(itemsOf(personas).map(async (p) => ({ persona: p,
    costs: await api(`/api/personas/${p.id}/costs`, { signal }).catch(() => null) })));
  const table = (headers, rows) => h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, rows)));
  const total = costs.reduce((sum, c) => sum + Number(c.costs?.totalEstimatedUsd || 0), 0);
  fill(main,
    h('h1', {}, 'Audit & costs'),
    h('section', { class: 'card', 'aria-labelledby': 'costs-title' },
      h('h2', { id: 'costs-title' }, `Costs: ${money(total)} estimated`),
      table(['Persona', 'Entries', 'USD'], costs.map(({ persona, costs: c }) => h('tr', {},
        h('td', {}, h('a', { href: `#/personas/${persona.id}` }, persona.name)),
        h('td', { class: 'num' }, String(c?.entries?.length ?? 0)),
        h('td', { class: 'num' }, money(c?.totalEstimatedUsd))))),
    ),
    h('section', { class: 'card', 'aria-labelledby': 'audit-title' },
      h('h2', { id: 'audit-title' }, 'Audit'),
      itemsOf(audit).length ? table(['When', 'Persona', 'Action', 'Details'], itemsOf(audit).map((e) => h('tr', {},
        h('td', {}, when(e.at)), h('td', {}, h('code', {}, e.personaId)), h('td', {}, e.action),
        h('td', {}, e.details)))) : h('p', { class: 'muted' }, 'Nothing recorded yet.')));
}
