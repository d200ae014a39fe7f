// A capture file being written (pcap format, via pcap_dump).
#pragma once

#include <napi.h>

#include "libpcap_api.h"

namespace pcapnative {

class Dumper : public Napi::ObjectWrap<Dumper> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit Dumper(const Napi::CallbackInfo& info);
  ~Dumper() override;

  // Takes ownership of `d`; `nano` says what the file header promised.
  void Adopt(pcap_dumper_t* d, bool nano, uint32_t snaplen);

 private:
  Napi::Value Write(const Napi::CallbackInfo& info);
  Napi::Value Flush(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  void CloseFile();

  pcap_dumper_t* dumper_ = nullptr;
  bool nano_ = false;
  uint32_t snaplen_ = 0;
};

}  // namespace pcapnative
