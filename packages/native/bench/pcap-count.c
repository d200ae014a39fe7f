/* Baseline for the offline benchmark: count the packets of a capture file with a plain
 * pcap_next_ex loop, touching one byte of each so the data is really read.
 *   cc -O2 -o pcap-count pcap-count.c -lpcap && ./pcap-count FILE */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv) {
  char errbuf[PCAP_ERRBUF_SIZE];
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE\n", argv[0]);
    return 2;
  }
  pcap_t *p = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (!p) {
    fprintf(stderr, "%s\n", errbuf);
    return 1;
  }
  struct pcap_pkthdr *h;
  const u_char *data;
  unsigned long n = 0, sum = 0;
  while (pcap_next_ex(p, &h, &data) == 1) {
    n++;
    sum += data[h->caplen - 1];
  }
  pcap_close(p);
  printf("%lu %lu\n", n, sum);
  return 0;
}
