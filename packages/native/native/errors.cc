#include "errors.h"

namespace pcapnative {

Napi::Error MakeError(Napi::Env env, const char* code, const std::string& message, int status) {
  Napi::Error err = Napi::Error::New(env, message);
  err.Set("code", Napi::String::New(env, code));
  err.Set("pcapMessage", Napi::String::New(env, message));
  if (status != 0) err.Set("status", Napi::Number::New(env, status));
  return err;
}

const char* CodeForStatus(int status) {
  switch (status) {
    case PCAP_ERROR_PERM_DENIED: return "EPERM";
    case PCAP_ERROR_PROMISC_PERM_DENIED: return "PROMISC_EPERM";
    case PCAP_ERROR_NO_SUCH_DEVICE: return "ENODEV";
    case PCAP_ERROR_RFMON_NOTSUP: return "RFMON_NOTSUP";
    case PCAP_ERROR_NOT_RFMON: return "NOT_RFMON";
    case PCAP_ERROR_IFACE_NOT_UP: return "IFACE_NOT_UP";
    case PCAP_ERROR_CANTSET_TSTAMP_TYPE: return "TSTAMP_TYPE_NOTSUP";
    case PCAP_ERROR_TSTAMP_PRECISION_NOTSUP: return "TSTAMP_PRECISION_NOTSUP";
    case PCAP_ERROR_ACTIVATED: return "ACTIVATED";
    case PCAP_ERROR_NOT_ACTIVATED: return "NOT_ACTIVATED";
    case PCAP_ERROR_BREAK: return "BREAK";
    default: return "ERROR";
  }
}

const PcapApi& RequirePcap(Napi::Env env) {
  const PcapApi& api = Pcap();
  if (!api.loaded) {
    throw MakeError(env, "LIBPCAP_MISSING", api.error);
  }
  return api;
}

}  // namespace pcapnative
