/**
 * The names a new protocol package is known by, derived from its package name and checked
 * so that the generated code compiles and does not shadow what the templates import.
 */

/** Identifiers the templates declare or import; a protocol named like one would shadow it. */
const TEMPLATE_IDENTIFIERS = new Set([
  'AT', 'CaptureRecord', 'DecodeFailure', 'FRAME', 'FieldSelector', 'HEADER_LENGTH', 'IPv4', 'IPv6',
  'LINKTYPE_ETHERNET', 'LOWER', 'Layer', 'Protocol', 'Registry', 'SummaryContext', 'Tcp', 'Udp',
  'UnknownFieldError', 'decodePacket', 'defaultRegistry', 'describe', 'expect', 'fromHex', 'it',
  'addressPrefix', 'record', 'registerBuiltins', 'registry', 'summarize', 'u16',
]);

/** Words that cannot name a class or a constant. */
const RESERVED_WORDS = new Set(
  ('await break case catch class const continue debugger default delete do else enum export extends false ' +
    'finally for function if implements import in instanceof interface let new null package private protected ' +
    'public return static super switch this throw true try typeof var void while with yield')
    .split(' '),
);

const PACKAGE_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** Wireshark's rule for protocol filter names: lowercase letters, digits, `-`, `_` and `.`. */
const WIRESHARK_NAME = /^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*$/;

export interface ProtocolNames {
  /** Directory and file name, and the package name after `@pcap/`: `my-proto`. */
  readonly name: string;
  /** The layer class: `MyProto`. */
  readonly pascal: string;
  /** The `Protocol` object: `myProto`. */
  readonly camel: string;
  /** Wireshark's filter name, the prefix of every field: `myproto`. */
  readonly abbrev: string;
  /** What summaries print: `MYPROTO`. */
  readonly label: string;
}

/** A name or option a user gave that cannot be used; the message says why. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Derives and checks every name of a package; throws `UsageError` when one cannot be used. */
export function protocolNames(name: string, wiresharkName?: string): ProtocolNames {
  if (!PACKAGE_NAME.test(name) || name.length > 50) {
    throw new UsageError(
      `"${name}" cannot name a protocol package: use lowercase letters and digits, words joined by "-", starting with a letter (e.g. "ntp" or "my-proto")`,
    );
  }
  const words = name.split('-');
  const pascal = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  const camel = pascal[0]!.toLowerCase() + pascal.slice(1);
  for (const id of [pascal, camel]) {
    if (TEMPLATE_IDENTIFIERS.has(id) || RESERVED_WORDS.has(id)) {
      throw new UsageError(`"${name}" would make the identifier "${id}", which the generated code already uses; choose another name`);
    }
  }
  const abbrev = wiresharkName ?? name;
  if (!WIRESHARK_NAME.test(abbrev)) {
    throw new UsageError(`"${abbrev}" is not a Wireshark protocol name: lowercase letters, digits, "-", "_" and "." only (e.g. "ntp")`);
  }
  return { name, pascal, camel, abbrev, label: abbrev.toUpperCase() };
}
