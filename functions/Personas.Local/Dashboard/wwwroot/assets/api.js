// Talks to the API with the key from sessionStorage (kept for this tab only, never in localStorage or a cookie).
const KEY = 'personas.apiKey';

export const apiKey = () => sessionStorage.getItem(KEY);
export const saveKey = (key) => sessionStorage.setItem(KEY, key);
export const forgetKey = () => sessionStorage.removeItem(KEY);

/** An answer that was not 2xx, carrying the RFC 9457 problem (title, detail, errors by field) when there is one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The server answered ${status}.`);
    this.status = status;
    this.problem = problem || {};
    this.errors = this.problem.errors || {};
  }
}

async function problemOf(response) {
  const type = response.headers.get('content-type') || '';
  if (type.includes('json')) {
    try { return await response.json(); } catch { return null; }
  }
  return null;
}

/** Calls the API; JSON bodies are sent as JSON, FormData as multipart. Returns the parsed body (or null). */
export async function api(path, { method = 'GET', body, headers = {}, signal } = {}) {
  const init = { method, signal, headers: { 'X-Api-Key': apiKey() || '', ...headers } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, init);
  if (response.status === 401) window.dispatchEvent(new CustomEvent('personas:unauthorized'));
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  if (response.status === 204) return null;
  const type = response.headers.get('content-type') || '';
  return type.includes('json') ? response.json() : null;
}

/** The items of a list answer, whether it is a bare array or a paged envelope ({ items, total, … }). */
export const itemsOf = (answer) => (Array.isArray(answer) ? answer : answer?.items || []);

/** An unknown route answers 404 without naming a field; a missing resource names one. */
export const isMissingRoute = (error) => error instanceof ApiError && error.status === 404
  && Object.keys(error.errors).length === 0;

/**
 * What an <img> can show for an object carrying a file: the signed `url` the API sends beside every image path, or
 * null (the caller shows a placeholder). Blob links need their signature; the API key does not open them.
 */
export async function imageSource(item) {
  return item?.url || null;
}

/**
 * Follows a Server-Sent Events stream with fetch (so the key goes in a header, which EventSource cannot send). Calls
 * onEvent(name, data) for each event; reconnects after the server's `retry:` (3 s until told), sending Last-Event-ID,
 * until the signal aborts.
 */
export async function followEvents(path, onEvent, signal) {
  let lastId = null;
  let retry = 3000;
  while (!signal.aborted) {
    try {
      const headers = { 'X-Api-Key': apiKey() || '', Accept: 'text/event-stream' };
      if (lastId) headers['Last-Event-ID'] = lastId;
      const response = await fetch(path, { headers, signal });
      if (!response.ok) throw new ApiError(response.status, await problemOf(response));
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = parseFrame(frame);
          if (event.id) lastId = event.id;
          if (event.retry) retry = event.retry;
          if (event.data !== null) onEvent(event.name, JSON.parse(event.data));
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiError && error.status < 500 && error.status !== 429) {
        onEvent('error', error);
        return;
      }
    }
    await pause(retry, signal);
  }
}

const pause = (ms, signal) => new Promise((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

function parseFrame(frame) {
  const event = { name: 'message', data: null, id: null, retry: null };
  const data = [];
  for (const line of frame.split('\n')) {
    if (line === '' || line.startsWith(':')) continue; // comments are the server's keep-alives
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event.name = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') event.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) event.retry = Number(value);
  }
  if (data.length) event.data = data.join('\n');
  return event;
}
