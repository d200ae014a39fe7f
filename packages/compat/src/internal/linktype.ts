/**
 * The link_type strings of v3's `packet` event. Accepts LINKTYPE_ values (files) and the DLT_
 * values libpcap reports for raw IP on live handles (12 on most systems, 14 on OpenBSD).
 */
export function v3LinkType(n: number): string {
  switch (n) {
    case 0:
      return 'LINKTYPE_NULL';
    case 1:
      return 'LINKTYPE_ETHERNET';
    case 127:
      return 'LINKTYPE_IEEE802_11_RADIO';
    case 12:
    case 14:
    case 101:
      return 'LINKTYPE_RAW';
    case 113:
      return 'LINKTYPE_LINUX_SLL';
    default:
      return `Unknown linktype ${n}`;
  }
}
