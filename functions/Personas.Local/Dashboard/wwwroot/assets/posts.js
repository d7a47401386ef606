// The posts queue: generate posts from a transcript, then review them by status.
import { api, imageSource, itemsOf } from './api.js';
import { badge, field, fill, h, notify, picture, showError } from './dom.js';

const STATUSES = ['', 'Generating', 'AwaitingApproval', 'Staged', 'Scheduled', 'Published', 'Rejected', 'Failed',
  'Canceled', 'Expired'];

export async function postQueue(main, _params, signal) {
  const filter = h('select', { name: 'status', 'aria-label': 'Show posts with status' },
    STATUSES.map((s) => h('option', { value: s }, s ? s.replace(/([a-z])([A-Z])/g, '$1 $2') : 'All statuses')));
  const list = h('ul', { class: 'cards posts', 'aria-label': 'Posts', 'aria-live': 'polite' });
  const personas = itemsOf(await api('/api/personas?limit=100', { signal }));
  let timer;
  const load = async () => {
    clearTimeout(timer);
    const query = filter.value ? `&status=${filter.value}` : '';
    const posts = itemsOf(await api(`/api/posts?limit=50${query}`, { signal }));
    fill(list, posts.length ? posts.map(postCard) : h('li', { class: 'muted' }, 'No post here yet.'));
    // Posts being written change on their own; the list polls only while any is.
    if (posts.some((p) => p.status === 'Generating') && !signal.aborted) timer = setTimeout(load, 1500);
  };
  signal.addEventListener('abort', () => clearTimeout(timer));
  filter.addEventListener('change', load);
  fill(main, h('div', { class: 'heading' }, h('h1', {}, 'Posts'), filter),
    generateForm(personas, load), list);
  await load();
}

function postCard(post) {
  const thumb = h('div', { class: 'thumb small' });
  const first = post.current?.assets?.find((a) => a.variant === 'portrait' || a.variant === 'landscape');
  imageSource(first).then((src) => fill(thumb, picture(src, `${post.kind} preview`, post.status === 'Generating'
    ? 'Writing…' : 'No image')));
  return h('li', { class: 'card post' },
    h('a', { class: 'post-link', href: `#/posts/${post.id}` }, thumb,
      h('div', {},
        h('div', { class: 'row wrap' }, h('strong', {}, `${post.kind} for ${post.platform}`), badge(post.status)),
        h('p', {}, post.current?.copy?.hook || post.projectTitle),
        h('small', { class: 'muted' }, post.scheduledAt ? `Scheduled ${new Date(post.scheduledAt).toLocaleString()}`
          : new Date(post.createdAt).toLocaleString()))));
}

function generateForm(personas, reload) {
  const box = (name, value, label, checked) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name, value, checked }), h('span', {}, label));
  const ready = personas.filter((p) => p.status === 'Ready');
  const form = h('form', { class: 'card', 'aria-labelledby': 'generate-title', novalidate: true },
    h('h2', { id: 'generate-title' }, 'Generate posts'),
    field('Project title', h('input', { name: 'projectTitle', required: true, maxlength: 200 })),
    field('Transcript', h('textarea', { name: 'transcript', rows: 4, required: true })),
    h('div', { class: 'grid-2' },
      field('Persona', h('select', { name: 'settings.personaId' }, h('option', { value: '' }, 'No persona'),
        ready.map((p, i) => h('option', { value: p.id, selected: i === 0 }, p.name)))),
      field('Tone', h('select', { name: 'settings.tone' }, ['professional', 'casual', 'inspirational', 'bold']
        .map((t) => h('option', { value: t }, t))))),
    h('fieldset', { class: 'inline' }, h('legend', {}, 'Content types'),
      box('settings.contentTypes', 'carousel', 'Carousel', true), box('settings.contentTypes', 'quote', 'Quote card'),
      box('settings.contentTypes', 'single', 'Single image'), box('settings.contentTypes', 'thread', 'Thread')),
    h('fieldset', { class: 'inline' }, h('legend', {}, 'Platforms'),
      box('settings.platforms', 'instagram', 'Instagram', true), box('settings.platforms', 'linkedin', 'LinkedIn'),
      box('settings.platforms', 'x', 'X')),
    h('button', { type: 'submit', class: 'primary' }, 'Generate'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const checked = (name) => [...form.querySelectorAll(`[name="${name}"]:checked`)].map((c) => c.value);
    const personaId = form.elements['settings.personaId'].value;
    try {
      const answer = await api('/api/posts/generate-smart', { method: 'POST', body: {
        projectTitle: form.elements.projectTitle.value,
        transcript: form.elements.transcript.value,
        settings: {
          contentTypes: checked('settings.contentTypes'), platforms: checked('settings.platforms'),
          tone: form.elements['settings.tone'].value, usePersona: Boolean(personaId), personaId: personaId || undefined,
        },
      } });
      notify(`${answer.posts.length} post(s) are being written.`);
      await reload();
    } catch (error) {
      showError(error, form);
    }
  });
  return form;
}
