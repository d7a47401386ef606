// A month calendar of scheduled and published posts; with a post in the route, a day and time to schedule it at.
import { api, itemsOf } from './api.js';
import { action, field, fill, h, notify, showError } from './dom.js';
import { settled } from './post.js';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const dayKey = (date) => `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;

export async function calendar(main, [postId], signal) {
  const post = postId ? await api(`/api/posts/${postId}`, { signal }) : null;
  const [scheduled, published] = await Promise.all(['Scheduled', 'Published'].map(async (status) =>
    itemsOf(await api(`/api/posts?status=${status}&limit=100`, { signal }))));
  const byDay = new Map();
  for (const p of [...scheduled, ...published]) {
    const at = p.scheduledAt || p.publication?.at;
    if (!at) continue;
    const key = dayKey(new Date(at));
    byDay.set(key, [...(byDay.get(key) || []), p]);
  }
  const today = new Date();
  let month = new Date(today.getFullYear(), today.getMonth(), 1);
  let chosen = null;
  // Plain boxes rather than an ARIA grid: each day's button and links carry the full date in their names.
  const grid = h('div', { class: 'month' });
  const title = h('h2', { id: 'month-title' });
  const time = h('input', { type: 'time', name: 'time', value: '09:00', required: true });
  const picked = h('p', { class: 'muted', 'aria-live': 'polite' }, 'Pick a day in the calendar.');
  const draw = () => {
    fill(title, month.toLocaleDateString(undefined, { month: 'long', year: 'numeric' }));
    const offset = (month.getDay() + 6) % 7;
    const days = new Date(month.getFullYear(), month.getMonth() + 1, 0).getDate();
    const cells = DAYS.map((d) => h('div', { class: 'weekday', 'aria-hidden': 'true' }, d));
    for (let i = 0; i < offset; i++) cells.push(h('div', { class: 'day empty' }));
    for (let d = 1; d <= days; d++) {
      const date = new Date(month.getFullYear(), month.getMonth(), d);
      const past = date < new Date(today.getFullYear(), today.getMonth(), today.getDate());
      const posts = byDay.get(dayKey(date)) || [];
      const label = date.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
      const number = post && !past
        ? h('button', { type: 'button', class: 'day-number', 'aria-label': `Schedule on ${label}`,
          'aria-pressed': String(chosen && dayKey(chosen) === dayKey(date)),
          onclick: () => {
            chosen = date;
            fill(picked, `Chosen: ${label}`);
            draw();
            grid.querySelector('[aria-pressed="true"]').focus(); // the redraw replaced the focused button
          } }, String(d))
        : h('span', { class: 'day-number', 'aria-label': label }, String(d));
      cells.push(h('div', { class: `day${past ? ' past' : ''}${dayKey(date) === dayKey(today) ? ' today' : ''}` },
        number, posts.map((p) => chip(p, label))));
    }
    fill(grid, cells);
  };
  const move = (by) => { month = new Date(month.getFullYear(), month.getMonth() + by, 1); draw(); };
  draw();
  fill(main,
    h('div', { class: 'heading' }, h('h1', {}, 'Calendar')),
    post ? scheduleForm(post, () => chosen, time, picked) : null,
    h('section', { class: 'card' },
      h('div', { class: 'heading' }, action('‹', () => move(-1), { 'aria-label': 'Previous month' }), title,
        action('›', () => move(1), { 'aria-label': 'Next month' })),
      grid));
}

/** A post on its day: time and kind, named in full for screen readers. */
function chip(post, day) {
  const at = new Date(post.scheduledAt || post.publication.at)
    .toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return h('a', { class: `chip ${post.status.toLowerCase()}`, href: `#/posts/${post.id}`,
    title: post.current?.copy?.hook || post.projectTitle,
    'aria-label': `${day} ${at}: ${post.kind} for ${post.platform}, ${post.status}` }, `${at} ${post.kind}`);
}

function scheduleForm(post, chosen, time, picked) {
  const form = h('form', { class: 'card', 'aria-labelledby': 'schedule-title', novalidate: true },
    h('h2', { id: 'schedule-title' }, `Schedule: ${post.current?.copy?.hook || post.projectTitle}`),
    picked, h('div', { class: 'row wrap' }, field('Time', time),
      h('button', { type: 'submit', class: 'primary' }, 'Schedule'),
      action('Best time', async () => {
        const answer = await api(`/api/posts/${post.id}/schedule`, { method: 'POST',
          body: { bestTime: true, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone } });
        notify(`Scheduled for ${new Date(answer?.at || Date.now()).toLocaleString()}.`);
        await settled(post);
        location.hash = `#/posts/${post.id}`;
      })));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const day = chosen();
    if (!day) return showError({ message: 'Pick a day first.' });
    const [hours, minutes] = time.value.split(':').map(Number);
    const at = new Date(day.getFullYear(), day.getMonth(), day.getDate(), hours, minutes);
    try {
      await api(`/api/posts/${post.id}/schedule`, { method: 'POST', body: { at: at.toISOString() } });
      notify(`Scheduled for ${at.toLocaleString()}.`);
      await settled(post);
      location.hash = '#/calendar';
    } catch (error) {
      showError(error, form);
    }
  });
  return form;
}
