import { Registry } from '../registry.js';
import { ethernet } from './ethernet.js';
import { ipv4 } from './ipv4.js';
import { ipv6 } from './ipv6.js';
import { tcp } from './tcp.js';
import { udp } from './udp.js';
import { LinkType } from '../linktype.js';

/** Adds the built-in protocols' rows to a registry. */
export function registerBuiltins(r: Registry): Registry {
  return r
    .register('linktype', LinkType.ETHERNET, ethernet)
    .register('ethertype', 0x0800, ipv4)
    .register('ethertype', 0x86dd, ipv6)
    .register('ip.proto', 6, tcp)
    .register('ip.proto', 17, udp);
}

let builtin: Registry | undefined;

/** The registry `decodePacket` uses when given none: the built-in protocols, plus what packages registered. */
export function defaultRegistry(): Registry {
  return (builtin ??= registerBuiltins(new Registry()));
}
