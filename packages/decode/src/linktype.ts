/** LINKTYPE_ values of the pcap and pcapng formats (tcpdump.org/linktypes.html). */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  IEEE802_11: 105,
  LOOP: 108,
  LINUX_SLL: 113,
  IEEE802_11_RADIOTAP: 127,
  PPI: 192,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export type LinkTypeName = keyof typeof LinkType;

/** The LINKTYPE_ name of a value (`ETHERNET`), or `LINKTYPE_<n>` when unknown. */
export function linkTypeName(value: number): string {
  for (const [k, v] of Object.entries(LinkType)) if (v === value) return k;
  return `LINKTYPE_${value}`;
}
