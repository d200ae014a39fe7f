// The libpcap entry points this addon uses, resolved at run time with dlopen so that the
// addon loads on every machine (libpcap.so.1, Debian's libpcap.so.0.8, or none at all)
// and a missing library becomes a JS error instead of a failed require().
#pragma once

#include <pcap/pcap.h>

#include <string>

namespace pcapnative {

#define PCAPNATIVE_REQUIRED_SYMBOLS(X) \
  X(pcap_lib_version)                  \
  X(pcap_create)                       \
  X(pcap_activate)                     \
  X(pcap_close)                        \
  X(pcap_geterr)                       \
  X(pcap_statustostr)                  \
  X(pcap_findalldevs)                  \
  X(pcap_freealldevs)                  \
  X(pcap_set_snaplen)                  \
  X(pcap_set_promisc)                  \
  X(pcap_set_timeout)                  \
  X(pcap_set_buffer_size)              \
  X(pcap_set_rfmon)                    \
  X(pcap_setdirection)                 \
  X(pcap_setnonblock)                  \
  X(pcap_getnonblock)                  \
  X(pcap_next_ex)                      \
  X(pcap_dispatch)                     \
  X(pcap_breakloop)                    \
  X(pcap_datalink)                     \
  X(pcap_snapshot)                     \
  X(pcap_compile)                      \
  X(pcap_freecode)                     \
  X(pcap_setfilter)                    \
  X(pcap_open_dead)                    \
  X(pcap_open_offline)                 \
  X(pcap_stats)                        \
  X(pcap_inject)                       \
  X(pcap_dump_open)                    \
  X(pcap_dump)                         \
  X(pcap_dump_flush)                   \
  X(pcap_dump_close)                   \
  X(pcap_lookupnet)                    \
  X(pcap_datalink_val_to_name)         \
  X(pcap_tstamp_type_name_to_val)      \
  X(pcap_tstamp_type_val_to_name)      \
  X(pcap_list_tstamp_types)            \
  X(pcap_free_tstamp_types)

// Newer than libpcap 1.0; absent entries make the matching option report NOT_SUPPORTED.
#define PCAPNATIVE_OPTIONAL_SYMBOLS(X)      \
  X(pcap_init)                              \
  X(pcap_set_immediate_mode)                \
  X(pcap_set_tstamp_type)                   \
  X(pcap_set_tstamp_precision)              \
  X(pcap_get_tstamp_precision)              \
  X(pcap_open_offline_with_tstamp_precision) \
  X(pcap_open_dead_with_tstamp_precision)   \
  X(pcap_dump_open_append)                  \
  PCAPNATIVE_PLATFORM_SYMBOLS(X)

// Npcap has no selectable descriptor; on Windows a thread waits on its event handle instead.
#ifdef _WIN32
#define PCAPNATIVE_PLATFORM_SYMBOLS(X) X(pcap_getevent)
#else
#define PCAPNATIVE_PLATFORM_SYMBOLS(X) \
  X(pcap_get_selectable_fd) X(pcap_get_required_select_timeout) X(pcap_fopen_offline_with_tstamp_precision)
#endif

struct PcapApi {
#define PCAPNATIVE_DECLARE(name) decltype(&::name) name = nullptr;
  PCAPNATIVE_REQUIRED_SYMBOLS(PCAPNATIVE_DECLARE)
  PCAPNATIVE_OPTIONAL_SYMBOLS(PCAPNATIVE_DECLARE)
#undef PCAPNATIVE_DECLARE

  bool loaded = false;
  // Which file was opened, or why none could be.
  std::string library;
  std::string error;
};

// Loads libpcap once per process (thread-safe); the table is read-only afterwards, so
// every environment (main thread and workers) shares it without further locking.
const PcapApi& Pcap();

}  // namespace pcapnative
