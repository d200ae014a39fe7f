/**
 * Serialises a decoded v3-style tree for comparison: class names, own enumerable fields in
 * order, Buffers as hex, and each object's toString() (or the error it threw).
 */
export type Node =
  | string
  | { b: string }
  | { a: Node[] }
  | { c: string; f: [string, Node][]; s?: string; e?: string };

export interface SerialiseOptions {
  /** Called with an object and its class name; return false to omit its toString. */
  withText?: (obj: object) => boolean;
}

export function serialise(v: unknown, depth = 0): Node {
  if (depth > 40) return '<deep>';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'undefined':
      return 'undefined';
    case 'number':
      return `n:${Object.is(v, -0) ? '-0' : String(v)}`;
    case 'bigint':
      return `big:${v}`;
    case 'string':
      return `s:${v}`;
    case 'boolean':
      return `b:${v}`;
    case 'function':
      return `fn:${v.name}`;
  }
  if (Buffer.isBuffer(v)) return { b: v.toString('hex') };
  if (Array.isArray(v)) {
    const a: Node[] = [];
    for (let i = 0; i < v.length; i++) a.push(i in v ? serialise(v[i], depth + 1) : 'hole');
    return { a };
  }
  const o = v as Record<string, unknown>;
  const c = (o.constructor && o.constructor.name) || 'Object';
  if (typeof (o as { emit?: unknown }).emit === 'function' && depth > 0) return '<emitter>';
  const f: [string, Node][] = [];
  for (const k of Object.keys(o)) f.push([k, k === 'emitter' && o[k] ? '<emitter>' : serialise(o[k], depth + 1)]);
  const node: { c: string; f: [string, Node][]; s?: string; e?: string } = { c, f };
  if (typeof o.toString === 'function' && o.toString !== Object.prototype.toString) {
    try {
      node.s = String(o);
    } catch (e) {
      const x = e as { name?: unknown; message?: unknown } | null;
      node.e = x && typeof x === 'object' && typeof x.message === 'string' ? `${String(x.name)}: ${x.message}` : `thrown ${String(e)}`;
    }
  }
  return node;
}

/** Every node of a serialised tree, depth first. */
export function* walk(n: Node): Generator<Node> {
  yield n;
  if (typeof n === 'string') return;
  if ('a' in n) for (const x of n.a) yield* walk(x);
  if ('f' in n) for (const [, x] of n.f) yield* walk(x);
}

function short(n: Node | undefined): string {
  const s = JSON.stringify(n);
  return s === undefined ? 'missing' : s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

/** The first difference between two serialised trees, as `path: ours ≠ theirs`, or undefined. */
export function firstDiff(a: Node | undefined, b: Node | undefined, path = '$'): string | undefined {
  if (typeof a === 'string' || typeof b === 'string' || a === undefined || b === undefined) {
    return a === b ? undefined : `${path}: ${short(a)} ≠ ${short(b)}`;
  }
  if ('b' in a || 'b' in b) return JSON.stringify(a) === JSON.stringify(b) ? undefined : `${path}: ${short(a)} ≠ ${short(b)}`;
  if ('a' in a || 'a' in b) {
    if (!('a' in a) || !('a' in b)) return `${path}: ${short(a)} ≠ ${short(b)}`;
    if (a.a.length !== b.a.length) return `${path}.length: ${a.a.length} ≠ ${b.a.length}`;
    for (let i = 0; i < a.a.length; i++) {
      const d = firstDiff(a.a[i], b.a[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (a.c !== b.c) return `${path}: class ${a.c} ≠ ${b.c}`;
  const ka = a.f.map(([k]) => k).join(',');
  const kb = b.f.map(([k]) => k).join(',');
  if (ka !== kb) return `${path} (${a.c}) keys: ${ka} ≠ ${kb}`;
  for (let i = 0; i < a.f.length; i++) {
    const d = firstDiff(a.f[i]![1], b.f[i]![1], `${path}.${a.f[i]![0]}`);
    if (d) return d;
  }
  if (a.s !== b.s) return `${path} (${a.c}).toString(): ${short(a.s)} ≠ ${short(b.s)}`;
  if (a.e !== b.e) return `${path} (${a.c}) toString threw: ${short(a.e)} ≠ ${short(b.e)}`;
  return undefined;
}
