// Photo review: thumbnails with each score and its reason, deletion, and upload by drag and drop or file picker.
import { api, imageSource } from './api.js';
import { action, fill, h, notify, picture, showError } from './dom.js';

const SCORES = [['overall', 'Overall'], ['resolution', 'Resolution'], ['sharpness', 'Sharpness'],
  ['lighting', 'Lighting'], ['faceDetection', 'Face']];

export function photoSection(persona, reload) {
  const grid = h('ul', { class: 'photos', 'aria-label': 'Photos' });
  const results = h('div', { class: 'results', 'aria-live': 'polite' });
  const section = h('section', { class: 'card', 'aria-labelledby': 'photos-title' },
    h('div', { class: 'heading' }, h('h2', { id: 'photos-title' }, `Photos (${persona.photos?.length ?? 0})`)),
    uploader(persona, results, reload), results,
    persona.photos?.length ? grid : h('p', { class: 'muted' }, 'No photo yet.'));
  for (const photo of persona.photos || []) grid.append(photoCard(persona, photo, reload));
  return section;
}

function photoCard(persona, photo, reload) {
  const frame = h('div', { class: 'thumb' }, picture(null, photo.fileName, 'Loading…'));
  // The framed crop shows the face; a full-body original cut to a square thumbnail can lose it.
  imageSource({ url: photo.framedUrl || photo.url })
    .then((source) => fill(frame, picture(source, `Photo ${photo.fileName}`, 'No preview link')));
  const overall = photo.scores?.overall?.value ?? 0;
  return h('li', { class: 'photo' }, frame,
    h('div', { class: 'row spread' }, h('strong', {}, photo.fileName),
      h('span', { class: `score ${overall >= 70 ? 'good' : 'bad'}`, title: 'Overall score' }, String(overall))),
    h('small', { class: 'muted' }, `${photo.width}×${photo.height} ${photo.format}`),
    h('dl', { class: 'scores-list' }, SCORES.slice(1).map(([key, label]) => [
      h('dt', {}, `${label} ${photo.scores?.[key]?.value ?? '—'}`),
      h('dd', {}, photo.scores?.[key]?.explanation || '')])),
    action('Delete', async () => {
      await api(`/api/personas/${persona.id}/photos/${photo.id}`, { method: 'DELETE' });
      notify(`Deleted ${photo.fileName}.`);
      reload();
    }, { class: 'small', 'aria-label': `Delete ${photo.fileName}` }));
}

function uploader(persona, results, reload) {
  const input = h('input', { type: 'file', name: 'files', multiple: true, accept: 'image/jpeg,image/png,image/webp',
    class: 'visually-hidden', id: 'photo-files' });
  const zone = h('div', { class: 'drop' },
    h('p', {}, 'Drop photos here, or ', h('label', { for: 'photo-files', class: 'link', tabindex: 0 }, 'choose files'),
      '.'),
    h('small', { class: 'muted' }, 'JPEG, PNG or WebP; each is checked and scored.'), input);
  const send = async (files) => {
    if (!files.length) return;
    const form = new FormData();
    for (const file of files) form.append('files', file, file.name);
    zone.classList.add('busy');
    try {
      const intake = await api(`/api/personas/${persona.id}/photos`, { method: 'POST', body: form });
      notify(`${intake.accepted} accepted, ${intake.rejected} refused. ${intake.totalPhotos} of at least `
        + `${intake.minPhotos} photos.`);
      reload(intake.photos);
    } catch (error) {
      showError(error);
      if (error.problem?.photos) fill(results, intakeResults(error.problem.photos));
    } finally {
      zone.classList.remove('busy');
    }
  };
  input.addEventListener('change', () => send([...input.files]));
  zone.querySelector('label').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); input.click(); }
  });
  zone.addEventListener('dragover', (event) => { event.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    send([...event.dataTransfer.files]);
  });
  return zone;
}

/** What an upload did with each file: accepted with its overall score, or refused with every reason. */
export function intakeResults(photos) {
  return h('ul', { class: 'intake' }, photos.map((p) => h('li', { class: p.accepted ? 'good' : 'bad' },
    p.accepted ? `${p.fileName}: accepted, overall ${p.scores?.overall?.value}`
      : `${p.fileName}: refused. ${p.rejections.map((r) => r.reason).join(' ')}`)));
}
