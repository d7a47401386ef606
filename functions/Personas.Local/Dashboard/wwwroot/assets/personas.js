// The personas list (status, live progress, scores) and the form that creates one with the person's consent.
import { api, followEvents, itemsOf } from './api.js';
import { badge, field, fill, h, notify, showError } from './dom.js';
import { progressView, scoreLine } from './progress.js';

const BUSY = ['Preparing', 'Training', 'Validating'];

export async function personaList(main, _params, signal) {
  const personas = itemsOf(await api('/api/personas?limit=100', { signal }));
  const list = h('ul', { class: 'cards', 'aria-label': 'Personas' });
  fill(main,
    h('div', { class: 'heading' }, h('h1', {}, 'Personas'),
      h('a', { class: 'button primary', href: '#/personas/new' }, 'New persona')),
    personas.length ? list : h('p', { class: 'card muted' }, 'No persona yet. Create one to upload photos and train.'));
  for (const persona of personas) list.append(personaCard(persona, signal));
}

function personaCard(persona, signal) {
  const live = h('div', { class: 'live' });
  const item = h('li', { class: 'card persona' },
    h('div', { class: 'heading' },
      h('h2', {}, h('a', { href: `#/personas/${persona.id}` }, persona.name)),
      badge(persona.status)),
    h('p', { class: 'muted' }, `Trigger word ${persona.triggerWord} · ${persona.mode} · ${persona.photoCount} photos`
      + (persona.consentValid ? '' : ' · consent no longer valid')),
    live);
  const show = (status) => fill(live, progressView(status), scoreLine(status));
  api(`/api/personas/${persona.id}/status`, { signal }).then((status) => {
    show(status);
    if (BUSY.includes(status.status)) {
      const onEvent = (name, data) => { if (name === 'status') show(data); };
      followEvents(`/api/personas/${persona.id}/events`, onEvent, signal);
    }
  }).catch(() => {});
  return item;
}

export async function newPersona(main) {
  const check = (name, label) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name, required: true }), h('span', {}, label));
  const form = h('form', { class: 'card narrow', 'aria-labelledby': 'new-title', novalidate: true },
    h('h1', { id: 'new-title' }, 'New persona'),
    field('Name', h('input', { name: 'name', required: true, maxlength: 100, autocomplete: 'off' })),
    field('Trigger word', h('input', { name: 'triggerWord', required: true, pattern: '[a-z][a-z0-9_]{2,23}',
      autocomplete: 'off', spellcheck: 'false' }), '3–24 lowercase letters, digits or _, starting with a letter.'),
    field('Mode', h('select', { name: 'mode' }, h('option', { value: 'portrait' }, 'Portrait'),
      h('option', { value: 'fullbody' }, 'Full body'))),
    h('fieldset', {},
      h('legend', {}, 'Consent of the person shown (all four are required)'),
      check('consent.facialRecognition', 'Facial recognition on their photos'),
      check('consent.aiTraining', 'Training an AI model on their likeness'),
      check('consent.likenessUsage', 'Using their likeness in generated content'),
      check('consent.dataRetention', 'Keeping their photos and model')),
    h('fieldset', {},
      h('legend', {}, 'Restrictions (optional)'),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'consent.restrictions.noCommercialUse' }),
        h('span', {}, 'No commercial use')),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'consent.restrictions.noThirdParty' }),
        h('span', {}, 'No third-party use')),
      field('Time limit in days', h('input', { name: 'consent.restrictions.timeLimitDays', type: 'number', min: 1,
        max: 3650, inputmode: 'numeric' }), 'Leave empty for no limit.')),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, 'Create persona'),
      h('a', { href: '#/' }, 'Cancel')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = (name) => form.elements[name];
    const days = value('consent.restrictions.timeLimitDays').value;
    try {
      const created = await api('/api/personas', { method: 'POST', body: {
        name: value('name').value, triggerWord: value('triggerWord').value.trim(), mode: value('mode').value,
        consent: {
          facialRecognition: value('consent.facialRecognition').checked,
          aiTraining: value('consent.aiTraining').checked,
          likenessUsage: value('consent.likenessUsage').checked,
          dataRetention: value('consent.dataRetention').checked,
          restrictions: {
            noCommercialUse: value('consent.restrictions.noCommercialUse').checked,
            noThirdParty: value('consent.restrictions.noThirdParty').checked,
            timeLimitDays: days ? Number(days) : null,
          },
        },
      } });
      notify(`Created ${created.name}. Consent recorded.`);
      location.hash = `#/personas/${created.id}`;
    } catch (error) {
      showError(error, form);
    }
  });
  fill(main, form);
  form.elements.name.focus();
}
