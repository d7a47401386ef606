// One persona: consent, photos, training with live progress, model versions and costs.
import { api } from './api.js';
import { action, badge, fill, h, money, notify, when } from './dom.js';
import { photoSection, intakeResults } from './photos.js';
import { trainingSection } from './training.js';
import { versionSection } from './versions.js';

export async function personaDetail(main, [id], signal) {
  const render = async (intake) => {
    const [persona, costs] = await Promise.all([api(`/api/personas/${id}`, { signal }),
      api(`/api/personas/${id}/costs`, { signal }).catch(() => null)]);
    const photos = photoSection(persona, (photos) => render(photos));
    if (intake) photos.querySelector('.results').append(intakeResults(intake));
    const versions = h('div');
    const refreshVersions = () => versionSection(id, signal).then((section) => fill(versions, section));
    fill(main,
      h('div', { class: 'heading' }, h('h1', {}, persona.name), h('span', { id: 'persona-status' },
        badge(persona.status))),
      summary(persona, render),
      photos,
      trainingSection(persona, signal, async () => { await refreshVersions(); }),
      versions,
      costSection(costs));
    await refreshVersions();
  };
  await render();
}

function summary(persona, render) {
  const consent = persona.consent || {};
  const limits = consent.restrictions || {};
  return h('section', { class: 'card', 'aria-label': 'Summary' },
    h('dl', { class: 'facts' },
      h('dt', {}, 'Trigger word'), h('dd', {}, h('code', {}, persona.triggerWord)),
      h('dt', {}, 'Mode'), h('dd', {}, persona.mode),
      h('dt', {}, 'Consent'), h('dd', {}, persona.consentValid ? `Valid, given ${when(consent.grantedAt)}`
        : `Not valid${consent.withdrawnAt ? `: withdrawn ${when(consent.withdrawnAt)}` : ''}`),
      h('dt', {}, 'Restrictions'), h('dd', {}, [limits.noCommercialUse && 'no commercial use',
        limits.noThirdParty && 'no third party', limits.timeLimitDays && `${limits.timeLimitDays} days`]
        .filter(Boolean).join(', ') || 'none'),
      persona.statusReason ? [h('dt', {}, 'Note'), h('dd', {}, persona.statusReason)] : null),
    persona.consentValid ? action('Withdraw consent', async () => {
      if (!window.confirm('Withdraw consent? Every later use of this likeness is refused.')) return;
      await api(`/api/personas/${persona.id}/consent/withdraw`, { method: 'POST', body: {} });
      notify('Consent withdrawn.');
      await render();
    }, { class: 'danger small' }) : null);
}

function costSection(costs) {
  if (!costs) return null;
  return h('section', { class: 'card', 'aria-labelledby': 'costs-title' },
    h('h2', { id: 'costs-title' }, `Costs: ${money(costs.totalEstimatedUsd)} estimated`),
    costs.entries?.length ? h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['When', 'Provider', 'Operation', 'USD'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, costs.entries.map((e) => h('tr', {}, h('td', {}, when(e.at)), h('td', {}, e.provider),
        h('td', {}, e.operation), h('td', { class: 'num' }, money(e.estimatedUsd)))))))
      : h('p', { class: 'muted' }, 'Nothing priced yet.'));
}
