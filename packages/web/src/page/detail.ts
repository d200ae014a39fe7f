import type { PacketDetail } from '../snapshot.js';
import { clock, count, el } from './dom.js';

/** tcpdump -xx style: offset, 16 bytes in hex, then printable ASCII. */
function hexDump(hex: string): string {
  const lines: string[] = [];
  const n = hex.length / 2;
  for (let off = 0; off < n && lines.length < 4096; off += 16) {
    let h = '';
    let a = '';
    for (let i = off; i < off + 16; i++) {
      if (i < n) {
        const b = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
        h += hex.slice(i * 2, i * 2 + 2) + (i % 2 ? ' ' : '');
        a += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else {
        h += i % 2 ? '   ' : '  ';
      }
    }
    lines.push(`${off.toString(16).padStart(4, '0')}  ${h} ${a}`);
  }
  return lines.join('\n');
}

/** The detail pane: the layer tree (each layer's fields by Wireshark name) and the hex dump. */
export function renderDetail(host: HTMLElement, d: PacketDetail): void {
  const f = document.createDocumentFragment();
  const head = el('p');
  head.append(el('strong', undefined, `Frame ${d.number}`), ` ${clock(d.time)}, ${count(d.length)} bytes on wire, ${count(d.capturedLength)} captured`);
  f.append(head, el('p', 'muted', d.summary));
  for (const l of d.layers) {
    const box = el('details');
    box.open = true;
    box.dataset.protocol = l.protocol;
    box.append(el('summary', undefined, `${l.protocol}${l.error ? ' (cannot decode)' : ''}${l.truncated ? ' (truncated)' : ''} — offset ${l.offset}, ${l.length} bytes`));
    const dl = el('dl');
    if (l.error) dl.append(el('dt', undefined, 'error'), el('dd', 'warn', l.error));
    for (const [name, value] of Object.entries(l.fields)) dl.append(el('dt', undefined, name), el('dd', undefined, Array.isArray(value) ? value.join(', ') : value));
    box.append(dl);
    f.append(box);
  }
  f.append(el('pre', 'hex', hexDump(d.hex)));
  host.replaceChildren(f);
  host.dataset.number = String(d.number);
}
