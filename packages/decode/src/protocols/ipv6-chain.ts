import type { Layer } from '../layer.js';

/**
 * Most IPv6 extension headers decoded after one IPv6 header. Real packets carry a few;
 * a crafted chain of thousands would otherwise cost a layer each.
 */
export const MAX_EXTENSION_HEADERS = 16;

/** Protocol names of the IPv6 extension header layers. */
export const EXTENSION_PROTOCOLS: ReadonlySet<string> = new Set(['ipv6.hopopts', 'ipv6.routing', 'ipv6.fraghdr', 'ipv6.dstopts', 'ah']);

/** How many extension headers follow the innermost IPv6 (or IPv4, for AH) header so far. */
export function chainLength(layers: readonly Layer[]): number {
  let n = 0;
  for (let i = layers.length - 1; i >= 0 && EXTENSION_PROTOCOLS.has(layers[i]!.protocol); i--) n++;
  return n;
}

/** Bytes the layer before declared beyond what was captured (see `Layer.missing`). */
export function parentMissing(layers: readonly Layer[]): number {
  return layers[layers.length - 1]?.missing ?? 0;
}

/** `IP6 src > dst: ` of the IPv6 header nearest below `index`, for the summaries of extension headers. */
export function ip6Prefix(layers: readonly Layer[], index: number): string {
  for (let i = index - 1; i >= 0; i--) {
    const l = layers[i] as Layer & { src?: string; dst?: string; shown?: number };
    if (l.protocol === 'ipv6' && (l.shown ?? 40) >= 40) return `IP6 ${l.src} > ${l.dst}: `;
    if (l.protocol === 'ip') return `IP ${l.src} > ${l.dst}: `;
  }
  return '';
}
