// Model versions: validation images side by side, compare two, activate one, roll back. Reads the versions API
// (GET /api/personas/{id}/versions); where the server has none, says so and lists what /status reports.
import { api, imageSource, isMissingRoute, itemsOf } from './api.js';
import { action, badge, fill, h, notify, picture, when } from './dom.js';
import { metrics } from './progress.js';

export async function versionSection(personaId, signal) {
  const section = h('section', { class: 'card', 'aria-labelledby': 'versions-title' },
    h('h2', { id: 'versions-title' }, 'Model versions'));
  let versions;
  try {
    versions = itemsOf(await api(`/api/personas/${personaId}/versions`, { signal }));
  } catch (error) {
    if (!isMissingRoute(error)) throw error;
    const status = await api(`/api/personas/${personaId}/status`, { signal });
    section.append(h('p', { class: 'notice warn' }, 'Model versions are not available on this server: it has no '
      + 'versions API, so versions cannot be compared, activated or rolled back here.'),
    fallbackList(status.models || []));
    return section;
  }
  if (!versions.length) {
    section.append(h('p', { class: 'muted' }, 'No version yet: train the persona first.'));
    return section;
  }
  const reload = async () => fill(section, ...(await versionSection(personaId, signal)).childNodes);
  section.append(
    h('div', { class: 'row wrap' }, compareForm(personaId, versions),
      action('Roll back', async () => {
        const active = await api(`/api/personas/${personaId}/versions/rollback`, { method: 'POST' });
        notify(`Version ${active.version} is active again.`);
        await reload();
      }, { title: 'Activate the version before the active one' })),
    h('div', { class: 'compare-result', 'aria-live': 'polite' }),
    h('ul', { class: 'versions' }, versions.map((v) => versionCard(personaId, v, reload))));
  return section;
}

function versionCard(personaId, version, reload) {
  return h('li', { class: `version${version.active ? ' active' : ''}` },
    h('div', { class: 'heading' }, h('h3', {}, `Version ${version.version}`),
      version.active ? badge('Active') : action('Activate', async () => {
        await api(`/api/personas/${personaId}/versions/${version.version}/activate`, { method: 'POST' });
        notify(`Version ${version.version} is active.`);
        await reload();
      }, { class: 'small', 'aria-label': `Activate version ${version.version}` })),
    h('p', { class: 'muted' }, `${version.provider} · ${when(version.createdAt)}`),
    scoreTable(version.scores),
    images(version.validationImages || []));
}

/** Validation images in a row, each with its prompt. */
function images(list) {
  const row = h('div', { class: 'side-by-side' });
  for (const image of list) {
    const frame = h('figure', {}, picture(null, image.prompt || 'Validation image', 'Loading…'),
      h('figcaption', {}, image.prompt || ''));
    imageSource(image).then((source) => frame.firstChild.replaceWith(
      picture(source, `Validation image: ${image.prompt || ''}`, 'No preview link')));
    row.append(frame);
  }
  return row;
}

function scoreTable(scores) {
  const entries = Object.entries(scores || {}).filter(([, v]) => v !== null && typeof v !== 'object'
    || (v && typeof v.value !== 'undefined'));
  if (!entries.length) return null;
  return h('dl', { class: 'facts compact' }, entries.map(([name, v]) => [h('dt', {}, name),
    h('dd', {}, format(typeof v === 'object' ? v.value : v))]));
}

const format = (v) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v ?? 'n/a'));

function compareForm(personaId, versions) {
  const choose = (name, selected) => h('select',
    { name, 'aria-label': name === 'a' ? 'First version' : 'Second version' },
    versions.map((v) => h('option', { value: v.version, selected: v.version === selected }, `v${v.version}`)));
  const a = choose('a', versions[versions.length > 1 ? 1 : 0].version);
  const b = choose('b', versions[0].version);
  const form = h('form', { class: 'row' }, a, h('span', {}, 'vs'), b, h('button', { type: 'submit' }, 'Compare'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const result = await api(`/api/personas/${personaId}/versions/compare?a=${a.value}&b=${b.value}`);
    const target = form.closest('section').querySelector('.compare-result');
    fill(target, h('h3', {}, `v${result.a.version} against v${result.b.version}`),
      h('dl', { class: 'facts compact' }, Object.entries(result.scoreDeltas || {}).map(([name, delta]) => [
        h('dt', {}, name), h('dd', { class: delta > 0 ? 'good' : delta < 0 ? 'bad' : '' },
          `${delta > 0 ? '+' : ''}${format(delta)}`)])),
      h('div', { class: 'compare' }, [result.a, result.b].map((v) => h('div', {}, h('h4', {}, `v${v.version}`),
        images(v.validationImages || [])))));
  });
  return form;
}

/** What /status lists when there is no versions API: each version with its validation, read-only. */
function fallbackList(models) {
  if (!models.length) return h('p', { class: 'muted' }, 'No version yet: train the persona first.');
  return h('ul', { class: 'versions' }, [...models].reverse().map((model) => {
    const validation = model.validation;
    const chosen = validation?.candidates?.find((c) => c.label === validation.chosenLabel);
    return h('li', { class: 'version' },
      h('div', { class: 'heading' }, h('h3', {}, `Version ${model.version}`),
        validation ? badge(validation.passed ? 'Passed' : 'Failed') : null),
      h('p', { class: 'muted' }, `${model.provider} · trained ${when(model.trainedAt)}`),
      validation ? h('p', {}, validation.summary) : null,
      chosen ? h('dl', { class: 'facts compact' }, metrics(chosen).map(([n, v]) => [h('dt', {}, n), h('dd', {}, v)]))
        : null,
      chosen ? images(chosen.images.map((i) => ({ ...i, path: i.blob }))) : null);
  }));
}
