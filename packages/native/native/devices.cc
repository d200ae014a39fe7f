#include "devices.h"

#include <cstdio>
#include <cstring>
#include <string>

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif
#ifdef __linux__
#include <netpacket/packet.h>
#endif

#include "errors.h"

namespace pcapnative {
namespace {

// Text form of an address, or an empty value for families this module does not describe.
Napi::Value AddressText(Napi::Env env, const struct sockaddr* sa) {
  if (!sa) return env.Null();
  char text[INET6_ADDRSTRLEN + 16];
  if (sa->sa_family == AF_INET) {
    auto* in = reinterpret_cast<const struct sockaddr_in*>(sa);
    if (inet_ntop(AF_INET, &in->sin_addr, text, sizeof text)) return Napi::String::New(env, text);
  } else if (sa->sa_family == AF_INET6) {
    auto* in6 = reinterpret_cast<const struct sockaddr_in6*>(sa);
    if (inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text)) return Napi::String::New(env, text);
  }
#ifdef __linux__
  else if (sa->sa_family == AF_PACKET) {
    auto* ll = reinterpret_cast<const struct sockaddr_ll*>(sa);
    std::string mac;
    for (int i = 0; i < ll->sll_halen && i < 8; i++) {
      char byte[4];
      std::snprintf(byte, sizeof byte, "%s%02x", i ? ":" : "", ll->sll_addr[i]);
      mac += byte;
    }
    return Napi::String::New(env, mac);
  }
#endif
  return env.Null();
}

const char* FamilyName(int family) {
  switch (family) {
    case AF_INET: return "inet";
    case AF_INET6: return "inet6";
#ifdef __linux__
    case AF_PACKET: return "link";
#endif
    default: return nullptr;
  }
}

}  // namespace

Napi::Value LibraryInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const PcapApi& api = Pcap();
  Napi::Object out = Napi::Object::New(env);
  out.Set("loaded", Napi::Boolean::New(env, api.loaded));
  out.Set("library", Napi::String::New(env, api.library));
  out.Set("error", Napi::String::New(env, api.error));
  out.Set("version", api.loaded ? Napi::Value(Napi::String::New(env, api.pcap_lib_version()))
                                : env.Null());
  Napi::Object features = Napi::Object::New(env);
  features.Set("immediateMode", Napi::Boolean::New(env, api.pcap_set_immediate_mode != nullptr));
  features.Set("nanosecondTimestamps",
               Napi::Boolean::New(env, api.pcap_set_tstamp_precision != nullptr));
  features.Set("timestampType", Napi::Boolean::New(env, api.pcap_set_tstamp_type != nullptr));
  features.Set("appendDump", Napi::Boolean::New(env, api.pcap_dump_open_append != nullptr));
#ifdef _WIN32
  features.Set("selectableFd", Napi::Boolean::New(env, false));
#else
  features.Set("selectableFd", Napi::Boolean::New(env, api.pcap_get_selectable_fd != nullptr));
#endif
  out.Set("features", features);
  return out;
}

Napi::Value FindAllDevs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const PcapApi& api = RequirePcap(env);
  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  pcap_if_t* devs = nullptr;
  if (api.pcap_findalldevs(&devs, errbuf) != 0) {
    throw MakeError(env, "ERROR", errbuf);
  }
  Napi::Array list = Napi::Array::New(env);
  uint32_t n = 0;
  for (pcap_if_t* d = devs; d; d = d->next) {
    Napi::Object dev = Napi::Object::New(env);
    dev.Set("name", Napi::String::New(env, d->name ? d->name : ""));
    dev.Set("description", d->description ? Napi::Value(Napi::String::New(env, d->description))
                                           : env.Null());
    dev.Set("flags", Napi::Number::New(env, d->flags));
    Napi::Array addrs = Napi::Array::New(env);
    uint32_t k = 0;
    for (pcap_addr_t* a = d->addresses; a; a = a->next) {
      if (!a->addr) continue;
      const char* family = FamilyName(a->addr->sa_family);
      if (!family) continue;
      Napi::Object addr = Napi::Object::New(env);
      addr.Set("family", Napi::String::New(env, family));
      addr.Set("addr", AddressText(env, a->addr));
      addr.Set("netmask", AddressText(env, a->netmask));
      addr.Set("broadaddr", AddressText(env, a->broadaddr));
      addr.Set("dstaddr", AddressText(env, a->dstaddr));
      addrs.Set(k++, addr);
    }
    dev.Set("addresses", addrs);
    list.Set(n++, dev);
  }
  api.pcap_freealldevs(devs);
  return list;
}

Napi::Array ProgramToArray(Napi::Env env, const struct ::bpf_program& prog) {
  Napi::Array rows = Napi::Array::New(env, prog.bf_len);
  for (u_int i = 0; i < prog.bf_len; i++) {
    const struct bpf_insn& ins = prog.bf_insns[i];
    Napi::Array row = Napi::Array::New(env, 4);
    row.Set(0u, Napi::Number::New(env, ins.code));
    row.Set(1u, Napi::Number::New(env, ins.jt));
    row.Set(2u, Napi::Number::New(env, ins.jf));
    row.Set(3u, Napi::Number::New(env, ins.k));
    rows.Set(i, row);
  }
  return rows;
}

// compileFilter(filter, linkType, snaplen, optimize, netmask) -> [[code, jt, jf, k], ...]
Napi::Value CompileFilter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const PcapApi& api = RequirePcap(env);
  std::string filter = info[0].As<Napi::String>().Utf8Value();
  int linkType = info[1].As<Napi::Number>().Int32Value();
  int snaplen = info[2].As<Napi::Number>().Int32Value();
  bool optimize = info[3].ToBoolean().Value();
  uint32_t netmask = info[4].IsNumber() ? info[4].As<Napi::Number>().Uint32Value()
                                        : PCAP_NETMASK_UNKNOWN;
  pcap_t* dead = api.pcap_open_dead(linkType, snaplen);
  if (!dead) throw MakeError(env, "ERROR", "pcap_open_dead failed");
  struct bpf_program prog;
  if (api.pcap_compile(dead, &prog, filter.c_str(), optimize ? 1 : 0, netmask) != 0) {
    std::string msg = api.pcap_geterr(dead);
    api.pcap_close(dead);
    throw MakeError(env, "BAD_FILTER", msg);
  }
  Napi::Array rows = ProgramToArray(env, prog);
  api.pcap_freecode(&prog);
  api.pcap_close(dead);
  return rows;
}

Napi::Value LinkTypeName(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const PcapApi& api = RequirePcap(env);
  const char* name = api.pcap_datalink_val_to_name(info[0].As<Napi::Number>().Int32Value());
  return name ? Napi::Value(Napi::String::New(env, name)) : env.Null();
}

}  // namespace pcapnative
