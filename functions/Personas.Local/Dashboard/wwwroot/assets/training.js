// Starting and canceling training, with progress read live from the persona's events stream.
import { api, followEvents } from './api.js';
import { action, badge, field, fill, h, notify, showError } from './dom.js';
import { progressView } from './progress.js';

const BUSY = ['Preparing', 'Training', 'Validating'];

export function trainingSection(persona, viewSignal, onFinished) {
  const live = h('div', { class: 'live', 'aria-live': 'polite', id: 'training-progress' });
  const state = h('span', {}, badge(persona.status));
  const start = h('button', { type: 'submit', class: 'primary' }, 'Start training');
  const cancel = action('Cancel training', async () => {
    await api(`/api/personas/${persona.id}/train/cancel`, { method: 'POST',
      body: { reason: 'Canceled in the dashboard' } });
    notify('Cancel requested.');
  }, { class: 'danger' });
  // Start while idle, cancel while busy; the header's badge follows too.
  const show = (status) => {
    const busy = BUSY.includes(status);
    start.disabled = busy;
    cancel.hidden = !busy;
    fill(state, badge(status));
    const header = document.getElementById('persona-status');
    if (header) fill(header, badge(status));
  };
  const steps = h('input', { name: 'steps', type: 'number', min: 100, max: 10000, step: 100, value: 1000,
    inputmode: 'numeric' });
  const form = h('form', { class: 'row wrap end' }, field('Steps', steps), start, cancel);
  let following = null;
  const follow = (started) => {
    following?.abort();
    const controller = new AbortController();
    following = controller;
    viewSignal.addEventListener('abort', () => controller.abort(), { once: true });
    let seenBusy = !started;
    followEvents(`/api/personas/${persona.id}/events`, (name, status) => {
      if (name !== 'status') return;
      show(status.status);
      fill(live, progressView(status));
      if (BUSY.includes(status.status)) { seenBusy = true; return; }
      if (!seenBusy) return;
      controller.abort();
      if (status.status === 'Ready') notify(`Training finished: ${status.models?.length ?? 0} version(s).`);
      else if (status.status === 'Failed') notify(`Training failed: ${status.reason || 'no reason given'}`, 'error');
      onFinished();
    }, controller.signal);
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api(`/api/personas/${persona.id}/train`, { method: 'POST', body: { steps: Number(steps.value) } });
      notify('Training started.');
      follow(true);
    } catch (error) {
      showError(error, form);
    }
  });
  show(persona.status);
  if (BUSY.includes(persona.status)) follow(false);
  return h('section', { class: 'card', 'aria-labelledby': 'training-title' },
    h('div', { class: 'heading' }, h('h2', { id: 'training-title' }, 'Training'), state), form, live);
}
