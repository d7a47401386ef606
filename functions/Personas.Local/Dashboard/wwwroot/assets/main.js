// The page's router: each hash route renders one view into <main>; leaving a view aborts its streams.
import { api, apiKey, forgetKey, saveKey } from './api.js';
import { fill, field, h, showError } from './dom.js';
import { personaList, newPersona } from './personas.js';
import { personaDetail } from './persona.js';
import { postQueue } from './posts.js';
import { postDetail } from './post.js';
import { calendar } from './calendar.js';
import { auditView } from './audit.js';

const routes = [
  [/^#?\/?$/, personaList],
  [/^#\/personas\/new$/, newPersona],
  [/^#\/personas\/([\w-]+)$/, personaDetail],
  [/^#\/posts$/, postQueue],
  [/^#\/posts\/([\w-]+)$/, postDetail],
  [/^#\/calendar(?:\/([\w-]+))?$/, calendar],
  [/^#\/audit$/, auditView],
];

const main = document.getElementById('main');
let current = new AbortController();

function signIn() {
  document.getElementById('nav').hidden = true;
  const input = h('input', { name: 'apiKey', type: 'password', autocomplete: 'off', required: true, minlength: 1 });
  const form = h('form', { class: 'card narrow', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'Sign in'),
    h('p', {}, 'Use an API key (X-Api-Key). It is kept in this tab only and forgotten when the tab closes.'),
    field('API key', input, './personas serve prints a local dev key.'),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    saveKey(input.value.trim());
    try {
      await api('/api/personas?limit=1');
      route();
    } catch (error) {
      forgetKey();
      showError(error.status === 401 ? { message: 'That key was not accepted.', errors: { apiKey: ['Not accepted.'] } }
        : error, form);
    }
  });
  fill(main, form);
  input.focus();
}

async function route() {
  current.abort();
  current = new AbortController();
  if (!apiKey()) return signIn();
  document.getElementById('nav').hidden = false;
  const hash = location.hash || '#/';
  for (const link of document.querySelectorAll('#nav a')) {
    const href = link.getAttribute('href');
    const here = href === hash || (href !== '#/' && hash.startsWith(href));
    if (here) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  for (const [pattern, view] of routes) {
    const match = hash.match(pattern);
    if (!match) continue;
    fill(main, h('p', { class: 'muted' }, 'Loading…'));
    try {
      await view(main, match.slice(1), current.signal);
    } catch (error) {
      if (!current.signal.aborted) fill(main, h('div', { class: 'card' }, h('h1', {}, 'Something went wrong'),
        h('p', {}, error.message)));
    }
    return;
  }
  fill(main, h('div', { class: 'card' }, h('h1', {}, 'Not found'), h('a', { href: '#/' }, 'Back to personas')));
}

document.getElementById('sign-out').addEventListener('click', () => { forgetKey(); location.hash = '#/'; route(); });
window.addEventListener('personas:unauthorized', () => { if (apiKey()) { forgetKey(); signIn(); } });
window.addEventListener('hashchange', () => { route(); main.focus({ preventScroll: true }); });
route();
