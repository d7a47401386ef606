// One post: preview at each export size, the copy, edit, regenerate with feedback, approve or reject, schedule,
// publish now, and its revisions and history.
import { api, imageSource } from './api.js';
import { action, badge, field, fill, h, notify, picture, showError, when } from './dom.js';

const SIZES = { portrait: 'Portrait (Instagram, LinkedIn)', story: 'Story', square: 'Square',
  landscape: 'Landscape (X)' };

export async function postDetail(main, [id], signal) {
  let timer;
  signal.addEventListener('abort', () => clearTimeout(timer));
  const render = async () => {
    clearTimeout(timer);
    const post = await api(`/api/posts/${id}`, { signal });
    const copy = post.current?.copy;
    fill(main,
      h('p', {}, h('a', { href: '#/posts' }, '← All posts')),
      h('div', { class: 'heading' }, h('h1', {}, `${post.kind} for ${post.platform}`), badge(post.status)),
      h('p', { class: 'muted' }, `${post.projectTitle} · ${post.tone} · revision ${post.current?.number ?? '—'}`
        + (post.current?.label ? ` · ${post.current.label}` : '')),
      post.error ? h('p', { class: 'notice error' }, post.error) : null,
      actions(post, render),
      preview(post),
      copy ? copySection(copy) : h('p', { class: 'card muted' }, 'The copy is being written…'),
      post.status === 'AwaitingApproval' && copy ? editSection(post, copy, render) : null,
      post.status === 'AwaitingApproval' ? regenerateSection(post, render) : null,
      historySection(post));
    if (['Generating', 'Publishing'].includes(post.status) && !signal.aborted) timer = setTimeout(render, 1500);
  };
  await render();
}

function actions(post, render) {
  const run = (label, path, body, done, attrs) => action(label, async () => {
    await api(`/api/posts/${post.id}/${path}`, { method: 'POST', body });
    notify(done);
    await settled(post);
    await render();
  }, attrs);
  const waiting = post.status === 'AwaitingApproval';
  const approved = ['Staged', 'Scheduled'].includes(post.status);
  const reason = h('input', { name: 'reason', 'aria-label': 'Reason for rejecting',
    placeholder: 'Reason for rejecting' });
  return h('section', { class: 'card row wrap', 'aria-label': 'Actions' },
    waiting ? run('Approve', 'approve', {}, 'Approved: the post is staged.', { class: 'primary' }) : null,
    waiting ? [reason, action('Reject', async () => {
      await api(`/api/posts/${post.id}/reject`, { method: 'POST', body: { reason: reason.value || 'Rejected' } });
      notify('Rejected.');
      await settled(post);
      await render();
    }, { class: 'danger' })] : null,
    approved ? h('a', { class: 'button', href: `#/calendar/${post.id}` }, post.scheduledAt ? 'Reschedule' : 'Schedule')
      : null,
    post.status === 'Scheduled' ? run('Unschedule', 'unschedule', {}, 'Unscheduled.') : null,
    approved ? run('Publish now', 'publish-now', {}, 'Publishing now.') : null,
    post.scheduledAt ? h('span', { class: 'muted' }, `Scheduled for ${when(post.scheduledAt)}`) : null,
    post.publication ? h('span', {}, `Published on ${post.publication.publisher} ${when(post.publication.at)}`) : null);
}

/**
 * Waits (up to 20 s) until the post's lifecycle has acted on a request: the API answers 202 and the status moves a
 * moment later.
 */
export async function settled(before) {
  const key = (p) => `${p.status}|${p.scheduledAt}|${p.current?.number}`;
  for (let i = 0; i < 40; i++) {
    await new Promise((resolve) => { setTimeout(resolve, 500); });
    if (key(await api(`/api/posts/${before.id}`)) !== key(before)) return;
  }
}

/** The rendered files at one export size at a time, each slide in its own frame at the file's proportions. */
function preview(post) {
  const assets = post.current?.assets || [];
  if (!assets.length) return null;
  const variants = [...new Set(assets.map((a) => a.variant))];
  const stage = h('div', { class: 'slides', 'aria-live': 'polite' });
  const show = (variant) => {
    const files = assets.filter((a) => a.variant === variant)
      .sort((a, b) => (a.role === 'persona-image') - (b.role === 'persona-image') || (a.slide ?? 0) - (b.slide ?? 0));
    fill(stage, files.map((asset) => {
      const label = asset.slide ? `Slide ${asset.slide}` : asset.role.replace('-', ' ');
      const frame = h('figure', { class: 'frame' }, picture(null, label, 'Loading…'),
        h('figcaption', {}, `${label} · ${asset.width}×${asset.height}`));
      // The frame keeps the file's proportions before the image arrives (CSSOM, which the CSP allows).
      frame.firstChild.style.aspectRatio = `${asset.width} / ${asset.height}`;
      imageSource(asset).then((src) => {
        const image = picture(src, `${label}, ${asset.width}×${asset.height}`);
        image.style.aspectRatio = `${asset.width} / ${asset.height}`;
        frame.firstChild.replaceWith(image);
      });
      return frame;
    }));
  };
  const tabs = h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': 'Export size' },
    variants.map((variant, i) => h('label', {}, h('input', { type: 'radio', name: 'variant', value: variant,
      checked: i === 0, onchange: () => show(variant) }), h('span', {}, SIZES[variant] || variant))));
  show(variants[0]);
  return h('section', { class: 'card', 'aria-labelledby': 'preview-title' },
    h('h2', { id: 'preview-title' }, 'Preview'), tabs, stage);
}

function copySection(copy) {
  return h('section', { class: 'card', 'aria-labelledby': 'copy-title' },
    h('h2', { id: 'copy-title' }, `Copy (${copy.source})`),
    h('p', { class: 'hook' }, copy.hook),
    h('p', { class: 'pre' }, copy.body),
    h('p', {}, h('strong', {}, copy.cta)),
    h('p', { class: 'tags' }, (copy.hashtags || []).map((t) => `#${t}`).join(' ')),
    copy.slides?.length ? h('ol', { class: 'slide-copy' }, copy.slides.map((s) => h('li', {},
      h('strong', {}, s.title), ` ${s.text}`))) : null,
    copy.threadPosts?.length ? h('ol', { class: 'slide-copy' }, copy.threadPosts.map((t) => h('li', {}, t))) : null,
    h('small', { class: 'muted' }, `Length ${(copy.lengths || []).join(', ')} of ${copy.limit} characters`
      + ` · alt text: ${copy.altText}`));
}

function editSection(post, copy, render) {
  const form = h('form', { class: 'card', 'aria-labelledby': 'edit-title', novalidate: true },
    h('h2', { id: 'edit-title' }, 'Edit'),
    field('Hook', h('input', { name: 'hook', value: copy.hook })),
    field('Caption', h('textarea', { name: 'caption', rows: 5 }, copy.body)),
    field('Call to action', h('input', { name: 'cta', value: copy.cta })),
    field('Hashtags', h('input', { name: 'hashtags', value: (copy.hashtags || []).join(' ') }), 'Separated by spaces.'),
    h('button', { type: 'submit' }, 'Save as a new revision'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const e = form.elements;
    try {
      await api(`/api/posts/${post.id}`, { method: 'PATCH', body: { hook: e.hook.value, caption: e.caption.value,
        cta: e.cta.value, hashtags: e.hashtags.value.split(/[\s,]+/).filter(Boolean) } });
      notify('Saved.');
      await render();
    } catch (error) {
      showError(error, form);
    }
  });
  return form;
}

function regenerateSection(post, render) {
  const form = h('form', { class: 'card', 'aria-labelledby': 'regen-title', novalidate: true },
    h('h2', { id: 'regen-title' }, 'Regenerate'),
    field('Feedback', h('textarea', { name: 'feedback', rows: 3, required: true, maxlength: 2000 }),
      'What should change? Earlier revisions are kept.'),
    h('button', { type: 'submit' }, 'Regenerate'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api(`/api/posts/${post.id}/regenerate`, { method: 'POST',
        body: { feedback: form.elements.feedback.value } });
      notify('A new revision is being written.');
      await settled(post);
      await render();
    } catch (error) {
      showError(error, form);
    }
  });
  return form;
}

function historySection(post) {
  const feedback = (post.revisions || []).filter((r) => r.feedback).map((r) => `r${r.number} “${r.feedback}”`);
  return h('section', { class: 'card', 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title' }, 'History'),
    h('ul', { class: 'history' }, (post.history || []).map((e) => h('li', {}, h('time', {}, when(e.at)),
      ` ${e.what}`))),
    feedback.length ? h('p', { class: 'muted' }, `Feedback: ${feedback.join(', ')}`) : null);
}
