import type { HttpRow } from '../snapshot.js';
import { clock, count, duration, el } from './dom.js';

function statusClass(x: HttpRow): string {
  if (!x.done) return 'open';
  if (x.status === undefined) return 'none';
  return `s${Math.floor(x.status / 100)}`;
}

function target(x: HttpRow): string {
  const url = x.url ?? '';
  if (url && !url.startsWith('/')) return url;
  return `${x.host ?? ''}${url}`;
}

/**
 * HTTP exchanges as a timeline, in the manner of htracr: one row per exchange, its bar
 * from the request's first byte to the response's last, over the time the listed
 * exchanges span. An exchange in progress is hatched up to the newest packet.
 */
export function renderTimeline(host: HTMLElement, axis: HTMLElement, rows: HttpRow[], now: number): void {
  if (rows.length === 0) {
    host.replaceChildren(el('p', 'muted', 'No HTTP exchanges yet.'));
    axis.textContent = '';
    return;
  }
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const x of rows) {
    t0 = Math.min(t0, x.start);
    t1 = Math.max(t1, x.end ?? Math.max(x.start, now));
  }
  const span = Math.max(t1 - t0, 1e-6);
  axis.textContent = `${clock(t0)} – ${clock(t1)} (${duration(t1 - t0)})`;
  const f = document.createDocumentFragment();
  for (const x of rows) {
    const r = el('div', 'xrow');
    r.dataset.seq = String(x.seq);
    const label = el('div', 'xlabel');
    label.append(el('span', 'method', x.method ?? '?'), ' ', el('span', 'target', target(x)), ' → ');
    const status = el('span', `status ${statusClass(x)}`, x.done ? (x.status !== undefined ? x.status : 'no response') : '…');
    label.append(status);
    if (x.incomplete) label.append(el('span', 'warn', ' (incomplete)'));
    const end = x.end ?? Math.max(x.start, now);
    label.title = `#${x.stream} ${x.client} ${x.method ?? '?'} ${target(x)} → ${x.status ?? ''} ${x.reason ?? ''}\n${clock(x.start)}, ${duration(end - x.start)}${x.responseBytes !== undefined ? `, ${count(x.responseBytes)} B body` : ''}`;
    const track = el('div', 'xtrack');
    const bar = el('div', `xbar ${statusClass(x)}`);
    bar.style.left = `${((x.start - t0) / span) * 100}%`;
    bar.style.width = `${(Math.max(end - x.start, 0) / span) * 100}%`;
    bar.title = label.title;
    track.append(bar);
    r.append(label, track);
    f.append(r);
  }
  host.replaceChildren(f);
}
