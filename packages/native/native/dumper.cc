#include "dumper.h"

#include <algorithm>

#include "errors.h"

namespace pcapnative {

Napi::Function Dumper::Define(Napi::Env env) {
  return DefineClass(env, "Dumper",
                     {
                         InstanceMethod<&Dumper::Write>("write"),
                         InstanceMethod<&Dumper::Flush>("flush"),
                         InstanceMethod<&Dumper::Close>("close"),
                     });
}

Dumper::Dumper(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Dumper>(info) {}

Dumper::~Dumper() { CloseFile(); }

void Dumper::Adopt(pcap_dumper_t* d, bool nano, uint32_t snaplen) {
  dumper_ = d;
  nano_ = nano;
  snaplen_ = snaplen;
}

void Dumper::CloseFile() {
  if (dumper_) {
    Pcap().pcap_dump_close(dumper_);
    dumper_ = nullptr;
  }
}

// write(seconds, nanoseconds, wireLength, bytes)
Napi::Value Dumper::Write(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!dumper_) throw MakeError(env, "CLOSED", "the capture file is closed");
  Napi::Uint8Array bytes = info[3].As<Napi::Uint8Array>();
  struct pcap_pkthdr hdr;
  hdr.ts.tv_sec = static_cast<decltype(hdr.ts.tv_sec)>(info[0].As<Napi::Number>().Int64Value());
  uint32_t nsec = info[1].As<Napi::Number>().Uint32Value() % 1000000000u;
  hdr.ts.tv_usec = static_cast<decltype(hdr.ts.tv_usec)>(nano_ ? nsec : nsec / 1000u);
  // Readers reject records longer than the snapshot length in the file header.
  uint32_t caplen = static_cast<uint32_t>(std::min<size_t>(bytes.ByteLength(), snaplen_));
  hdr.caplen = caplen;
  hdr.len = std::max(caplen, info[2].As<Napi::Number>().Uint32Value());
  Pcap().pcap_dump(reinterpret_cast<u_char*>(dumper_), &hdr, bytes.Data());
  return env.Undefined();
}

Napi::Value Dumper::Flush(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!dumper_) throw MakeError(env, "CLOSED", "the capture file is closed");
  if (Pcap().pcap_dump_flush(dumper_) != 0) {
    throw MakeError(env, "ERROR", "flushing the capture file failed");
  }
  return env.Undefined();
}

Napi::Value Dumper::Close(const Napi::CallbackInfo& info) {
  CloseFile();
  return info.Env().Undefined();
}

}  // namespace pcapnative
