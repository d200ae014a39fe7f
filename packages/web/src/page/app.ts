import './styles.css';
import type { PacketDetail, Snapshot } from '../snapshot.js';
import { RateChart } from './chart.js';
import { renderDetail } from './detail.js';
import { byId, clock, count, el, row, setRows } from './dom.js';
import { renderTimeline } from './timeline.js';

// The token the page was opened with goes along with every request it makes.
const token = new URLSearchParams(location.search).get('token');
const api = (path: string): string => (token ? `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}` : path);

const chart = new RateChart(byId('rate-chart'));
const stateBadge = byId('state');
const filterInput = byId<HTMLInputElement>('filter');
const filterError = byId('filter-error');
const captureError = byId('capture-error');
const pauseButton = byId<HTMLButtonElement>('pause');
const tbody = (id: string): HTMLTableSectionElement => byId<HTMLTableElement>(id).tBodies[0]!;

let paused = false;
let latest: Snapshot | undefined;
let shownSeq = 0;
let drawQueued = false;
let selected: number | undefined;
let selectedGeneration = 0;
let filterTouched = false;

function setState(text: string, cls: string): void {
  stateBadge.textContent = text;
  stateBadge.className = `badge ${cls}`;
}

function setCounter(id: string, n: number | undefined): void {
  const e = byId(id);
  e.textContent = n === undefined ? '–' : count(n);
  e.dataset.value = n === undefined ? '' : String(n);
}

function bar(fraction: number): HTMLElement {
  const b = el('span', 'bar');
  b.style.width = `${Math.max(1, Math.round(fraction * 80))}px`;
  return b;
}

function render(s: Snapshot): void {
  shownSeq = s.seq;
  const src = s.source;
  byId('source').textContent = `${src.kind === 'live' ? 'live on' : 'file'} ${src.name}${src.kind === 'file' ? ` (${src.speed === 'max' ? 'as fast as possible' : 'at capture speed'})` : ''}${src.filter ? ` · filter: ${src.filter}` : ''}`;
  if (!filterTouched && document.activeElement !== filterInput) filterInput.value = src.filter;
  if (!paused) setState(s.state === 'ended' ? 'replay finished' : s.state, s.state);
  captureError.hidden = !s.error;
  captureError.textContent = s.error ?? '';

  const t = s.totals;
  setCounter('total-packets', t.packets);
  setCounter('total-bytes', t.bytes);
  setCounter('total-sessions', t.sessions);
  setCounter('total-http', t.httpExchanges);
  setCounter('total-drops', s.drops ? s.drops.drop + s.drops.ifdrop : undefined);
  const p = s.rate.packets;
  setCounter('rate-now', p.length ? p[p.length - 1]! : 0);
  setCounter('rate-peak', p.reduce((a, b) => Math.max(a, b), 0));
  chart.update(s.rate);

  const maxProto = s.protocols[0]?.packets ?? 1;
  setRows(tbody('protocols'), s.protocols.map((r) => row([r.name, r.packets, r.bytes, bar(r.packets / maxProto)])));
  setRows(tbody('talkers'), s.talkers.map((r) => row([r.address, r.packets, r.bytes])));
  setRows(tbody('conversations'), s.conversations.map((r) => row([r.kind, `${r.a} ↔ ${r.b}`, r.packets, r.bytes])));

  setRows(
    tbody('sessions'),
    s.sessions.map((r) => {
      const state = el('span', `state-${r.state}`, r.state === 'closed' && r.closeReason ? `closed (${r.closeReason})` : r.state);
      const tr = row([r.id, r.client, r.server, state, r.c2s.packets + r.s2c.packets, r.c2s.streamBytes, r.s2c.streamBytes, r.c2s.retransmissions + r.s2c.retransmissions, r.c2s.gaps + r.s2c.gaps]);
      tr.dataset.stream = String(r.id);
      return tr;
    }),
  );

  renderTimeline(byId('http-timeline'), byId('http-axis'), s.http, Math.max(...s.packets.map((x) => x.time), 0));

  if (s.generation !== selectedGeneration) {
    selected = undefined;
    selectedGeneration = s.generation;
    byId('detail').replaceChildren(el('p', 'muted', 'Select a packet.'));
  }
  setRows(
    tbody('packets'),
    s.packets.map((r) => {
      const summary = el('span', undefined, r.summary);
      const tr = row([r.number, clock(r.time), r.protocol, r.length, summary]);
      tr.lastElementChild!.className = 'summary';
      (tr.lastElementChild as HTMLElement).title = r.summary;
      tr.dataset.number = String(r.number);
      if (r.number === selected) tr.classList.add('selected');
      return tr;
    }),
  );
}

/** Draws the newest snapshot at the next frame: several arriving at once cost one drawing. */
function schedule(): void {
  if (paused || drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(() => {
    drawQueued = false;
    if (latest && latest.seq !== shownSeq && !paused) render(latest);
  });
}

function connect(): void {
  const events = new EventSource(api('api/events'));
  let received = 0;
  events.addEventListener('snapshot', (e) => {
    latest = JSON.parse((e as MessageEvent<string>).data) as Snapshot;
    // How many updates arrived: the rate the server sends at, visible to anyone inspecting the page.
    document.body.dataset.updates = String(++received);
    schedule();
  });
  events.onerror = () => {
    if (!paused) setState('disconnected, retrying', 'offline');
  };
}

pauseButton.addEventListener('click', () => {
  paused = !paused;
  pauseButton.textContent = paused ? 'Resume' : 'Pause';
  document.body.dataset.paused = String(paused);
  if (paused) setState('paused (capture goes on)', 'paused');
  else if (latest) render(latest);
});

byId<HTMLFormElement>('filter-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void applyFilter(filterInput.value);
});
filterInput.addEventListener('input', () => (filterTouched = true));

async function applyFilter(filter: string): Promise<void> {
  filterError.hidden = true;
  byId<HTMLButtonElement>('filter-apply').disabled = true;
  try {
    const res = await fetch(api('api/filter'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ filter }) });
    const body = (await res.json()) as { ok: boolean; error?: string };
    if (!body.ok) {
      filterError.textContent = body.error ?? `the filter was refused (${res.status})`;
      filterError.hidden = false;
    } else {
      filterTouched = false;
    }
  } catch (err) {
    filterError.textContent = `cannot reach the server: ${String(err)}`;
    filterError.hidden = false;
  } finally {
    byId<HTMLButtonElement>('filter-apply').disabled = false;
  }
}

tbody('packets').addEventListener('click', (e) => {
  const tr = (e.target as HTMLElement).closest('tr');
  if (!tr?.dataset.number) return;
  selected = Number(tr.dataset.number);
  for (const r of tbody('packets').querySelectorAll('tr.selected')) r.classList.remove('selected');
  tr.classList.add('selected');
  void showDetail(selected);
});

async function showDetail(n: number): Promise<void> {
  const pane = byId('detail');
  const res = await fetch(api(`api/packets/${n}`));
  if (selected !== n) return;
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    pane.replaceChildren(el('p', 'warn', body.error ?? `packet ${n} is not available`));
    return;
  }
  renderDetail(pane, (await res.json()) as PacketDetail);
}

connect();
