// A persona's work as the status payload (and each events frame) describes it.
import { h } from './dom.js';

/** A labelled progress bar with step, percent, ETA and the provider's last log line. */
export function progressView(status) {
  const busy = ['Preparing', 'Training', 'Validating'].includes(status.status);
  if (!busy) return status.reason ? h('p', { class: 'muted' }, status.reason) : null;
  const percent = status.percent ?? 0;
  const label = `${status.step || status.status}${status.provider ? ` on ${status.provider}` : ''}`;
  return h('div', { class: 'progress' },
    h('div', { class: 'row spread' }, h('span', {}, label), h('strong', { class: 'percent' }, `${percent}%`)),
    h('progress', { max: 100, value: percent, 'aria-label': `${label}: ${percent}%` }),
    h('small', { class: 'muted' }, [status.lastLog, status.eta ? `ETA ${new Date(status.eta).toLocaleTimeString()}`
      : null].filter(Boolean).join(' · ')));
}

/** The newest version's validation in one line: passed or not, and its metrics. */
export function scoreLine(status) {
  const models = status.models || [];
  if (!models.length) return null;
  const model = models[models.length - 1];
  const validation = model.validation;
  if (!validation) return h('p', { class: 'scores' }, `Version ${model.version} by ${model.provider}, not validated`);
  const chosen = validation.candidates?.find((c) => c.label === validation.chosenLabel);
  return h('p', { class: 'scores' },
    h('span', { class: validation.passed ? 'good' : 'bad' },
      `Version ${model.version} ${validation.passed ? 'passed' : 'failed'} validation`),
    chosen ? metrics(chosen).map(([name, value]) => h('span', { class: 'metric' }, `${name} ${value}`)) : null);
}

export const metrics = (candidate) => [['face', candidate.faceDetected], ['quality', candidate.quality],
  ['trigger', candidate.triggerEffectiveness], ['consistency', candidate.faceConsistency]]
  .map(([name, metric]) => [name, metric?.value == null ? 'n/a' : Number(metric.value).toFixed(2)]);
