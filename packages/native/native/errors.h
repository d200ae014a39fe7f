// Errors thrown to JS carry a stable `code`, libpcap's own text as the message and, when
// one exists, libpcap's numeric status; the TypeScript layer turns them into PcapError.
#pragma once

#include <napi.h>

#include <string>

#include "libpcap_api.h"

namespace pcapnative {

// A JS Error with `code`, `pcapMessage` and (if non-zero) `status`.
Napi::Error MakeError(Napi::Env env, const char* code, const std::string& message,
                      int status = 0);

// The stable code for a negative pcap_activate/pcap_set_* status.
const char* CodeForStatus(int status);

// The loaded libpcap, or a thrown LIBPCAP_MISSING error naming what was tried.
const PcapApi& RequirePcap(Napi::Env env);

}  // namespace pcapnative
