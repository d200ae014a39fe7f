import { defaultRegistry, type Registry } from '@pcap/decode';
import { __camel__ } from './__name__.js';

export { __Name__, __camel__ } from './__name__.js';

/**
 * Adds __LABEL__'s rows to the dissector tables of `registry` (the one `decodePacket`,
 * `FieldSelector` and `summarize` use by default when none is given) and touches nothing
 * else. Returns `registry`.
 *
 * ```ts
 * import { decodePacket } from '@pcap/decode';
 * import { register__Name__ } from '@pcap/__name__';
 *
 * register__Name__();
 * decodePacket(bytes, 1).layer('__abbrev__');
 * ```
 */
export function register__Name__(registry: Registry = defaultRegistry()): Registry {
  return registry.register('__table__', __key__, __camel__);
}
