// Builds elements without innerHTML, so nothing the API returns is ever parsed as markup.

/** h('button', { class: 'x', onclick: f }, 'text', child) */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

let noticeTimer;

/** A short message in the live region at the top (read out by screen readers). */
export function notify(text, kind = 'ok') {
  const notice = document.getElementById('notice');
  fill(notice, h('p', { class: `notice ${kind}` }, text));
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => fill(notice), 6000);
}

/** Shows an API error: its detail at the top, and each field's reason beside that field in the form. */
export function showError(error, form) {
  notify(error.message, 'error');
  if (!form) return;
  for (const old of form.querySelectorAll('.field-error')) old.remove();
  for (const [field, reasons] of Object.entries(error.errors || {})) {
    const input = form.querySelector(`[name="${CSS.escape(field)}"]`);
    const message = h('p', { class: 'field-error', id: `err-${field.replace(/\W/g, '-')}` }, reasons.join(' '));
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', message.id);
      input.closest('label, fieldset')?.after(message);
    } else form.prepend(message);
  }
}

/** A labelled input: label text, then the control. */
export const field = (label, control, hint) => h('label', { class: 'field' },
  h('span', {}, label), control, hint ? h('small', {}, hint) : null);

export const when = (iso) => (iso ? new Date(iso).toLocaleString() : '—');
export const money = (usd) => `$${Number(usd || 0).toFixed(2)}`;

/** A status as a badge whose colour follows its meaning. */
export function badge(status) {
  const tone = {
    Ready: 'good', Passed: 'good', Active: 'good', Published: 'good', Staged: 'good', Completed: 'good',
    Scheduled: 'info',
    Training: 'busy', Preparing: 'busy', Validating: 'busy', Generating: 'busy', Publishing: 'busy',
    AwaitingApproval: 'wait', Draft: 'wait', Prepared: 'wait',
    Failed: 'bad', Rejected: 'bad', Canceled: 'bad', Expired: 'bad', Deleting: 'bad',
  }[status] || 'wait';
  return h('span', { class: `badge ${tone}` }, String(status).replace(/([a-z])([A-Z])/g, '$1 $2'));
}

/** An image from imageSource(), or a placeholder naming what would be there. */
export function picture(source, alt, placeholder = 'No preview') {
  return source ? h('img', { src: source, alt, loading: 'lazy' }) : h('div', { class: 'placeholder', role: 'img',
    'aria-label': `${alt}: ${placeholder}` }, placeholder);
}

/** A button that disables itself while its action runs, and reports a failure. */
export function action(label, run, attrs = {}) {
  const button = h('button', { type: 'button', ...attrs }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try { await run(); } catch (error) { showError(error); } finally { button.disabled = false; }
  });
  return button;
}
