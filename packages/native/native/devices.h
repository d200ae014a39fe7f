// Module-level functions: library facts, device list, filter compilation without a device.
#pragma once

#include <napi.h>
#include <pcap/pcap.h>

namespace pcapnative {

Napi::Value LibraryInfo(const Napi::CallbackInfo& info);
Napi::Value FindAllDevs(const Napi::CallbackInfo& info);
Napi::Value CompileFilter(const Napi::CallbackInfo& info);
Napi::Value LinkTypeName(const Napi::CallbackInfo& info);

// Compiled BPF as [code, jt, jf, k] rows, the shape tcpdump -dd prints.
Napi::Array ProgramToArray(Napi::Env env, const struct ::bpf_program& prog);

}  // namespace pcapnative
