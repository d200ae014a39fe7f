/*
 * The physical floor of offline reading: libpcap's pcap_next_ex over a file, counting
 * packets and reading the ports of Ethernet/IPv4 TCP/UDP packets.
 *   pcap_count FILE [--ports]
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  char err[PCAP_ERRBUF_SIZE];
  if (argc < 2) {
    fprintf(stderr, "usage: pcap_count FILE [--ports]\n");
    return 2;
  }
  int ports = argc > 2 && strcmp(argv[2], "--ports") == 0;
  pcap_t *p = pcap_open_offline(argv[1], err);
  if (!p) {
    fprintf(stderr, "%s\n", err);
    return 1;
  }
  struct pcap_pkthdr *h;
  const u_char *d;
  unsigned long n = 0, sum = 0;
  int rc;
  while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
    n++;
    if (ports && h->caplen >= 38 && d[12] == 0x08 && d[13] == 0x00) {
      unsigned ihl = (d[14] & 0x0f) * 4;
      if (h->caplen >= 14 + ihl + 4) sum += (d[14 + ihl] << 8) | d[15 + ihl];
    }
  }
  pcap_close(p);
  printf("{\"packets\":%lu,\"check\":%lu}\n", n, sum);
  return rc == -1 ? 1 : 0;
}
