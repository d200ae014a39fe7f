/** An element with a class and text (text goes through textContent: nothing captured is ever parsed as HTML). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string | number): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = String(text);
  return e;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} is missing from the page`);
  return e as T;
}

const nf = new Intl.NumberFormat('en-US');

/** 12,345 */
export function count(n: number): string {
  return nf.format(Math.round(n));
}

/** A table row of cells; numbers are right-aligned and formatted. */
export function row(cells: Array<string | number | HTMLElement>): HTMLTableRowElement {
  const tr = el('tr');
  for (const c of cells) {
    if (c instanceof HTMLElement) {
      const td = el('td');
      td.append(c);
      tr.append(td);
    } else if (typeof c === 'number') {
      tr.append(el('td', 'num', count(c)));
    } else {
      const td = el('td', undefined, c);
      td.title = c;
      tr.append(td);
    }
  }
  return tr;
}

/** Replaces a table body's rows in one DOM operation. */
export function setRows(tbody: HTMLTableSectionElement, rows: HTMLTableRowElement[]): void {
  const f = document.createDocumentFragment();
  f.append(...rows);
  tbody.replaceChildren(f);
}

/** HH:MM:SS.mmm of an epoch-seconds time, in the browser's time zone. */
export function clock(t: number): string {
  const d = new Date(t * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** 1.23 ms / 4.5 s */
export function duration(seconds: number): string {
  if (seconds < 1) return `${(seconds * 1000).toFixed(seconds < 0.01 ? 3 : 1)} ms`;
  return `${seconds.toFixed(2)} s`;
}
