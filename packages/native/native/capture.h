// One libpcap handle (live, offline or dead) and the libuv poll that feeds it to JS.
#pragma once

#include <napi.h>
#include <uv.h>

#include <memory>
#include <string>
#include <vector>

#include "libpcap_api.h"
#include "waiter.h"

namespace pcapnative {

class Capture;

// Lives on the heap apart from Capture because closing libuv handles is asynchronous:
// it may outlive its Capture (GC) or be torn down before it (environment exit).
struct PollState {
  uv_poll_t poll;
  uv_timer_t timer;
  bool hasTimer = false;
  // Instead of the poll: a thread waits for packets and wakes the loop through `async`.
  uv_async_t async;
  std::unique_ptr<ReadyWaiter> waiter;
  bool closing = false;
  int openHandles = 0;
  napi_async_cleanup_hook_handle hook = nullptr;
  Capture* owner = nullptr;
};

class Capture : public Napi::ObjectWrap<Capture> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit Capture(const Napi::CallbackInfo& info);
  ~Capture() override;

  // Called from libuv when the selectable fd is readable or the select timeout expired.
  void OnReadable(int status);
  // The poll state was torn down by environment cleanup.
  void ForgetPoll() { poll_ = nullptr; }

 private:
  Napi::Value OpenLive(const Napi::CallbackInfo& info);
  Napi::Value OpenOffline(const Napi::CallbackInfo& info);
  Napi::Value OpenDead(const Napi::CallbackInfo& info);
  Napi::Value SetBuffer(const Napi::CallbackInfo& info);
  Napi::Value ReadBatch(const Napi::CallbackInfo& info);
  Napi::Value Start(const Napi::CallbackInfo& info);
  Napi::Value Pause(const Napi::CallbackInfo& info);
  Napi::Value RefPoll(const Napi::CallbackInfo& info);
  Napi::Value UnrefPoll(const Napi::CallbackInfo& info);
  Napi::Value SetFilter(const Napi::CallbackInfo& info);
  Napi::Value Stats(const Napi::CallbackInfo& info);
  Napi::Value Inject(const Napi::CallbackInfo& info);
  Napi::Value DumpOpen(const Napi::CallbackInfo& info);
  Napi::Value SetNonblock(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value IsClosed(const Napi::CallbackInfo& info);

  pcap_t* Handle(Napi::Env env) const;
  Napi::Object Describe(Napi::Env env) const;
  // Copies up to `max` packets into the batch buffer; returns how many. Sets *eof at the
  // end of a file; a read error after some packets is kept for the next call.
  int ReadInto(int max, bool* eof, std::string* error);
  // The part of ReadInto for files: one pcap_dispatch call writing straight into the batch.
  int DispatchInto(int max, size_t off, int n, bool* eof, std::string* error);
  static void OnDispatched(u_char* user, const struct pcap_pkthdr* h, const u_char* data);
  // Keeps a packet that does not fit into the current batch for the next one.
  void KeepPending(const struct pcap_pkthdr* h, const u_char* data);
#ifndef _WIN32
  // Opens a capture file with a large stdio buffer; nullptr with errbuf and errno set.
  pcap_t* OpenFile(const std::string& path, char* errbuf);
#endif
  void ClosePoll();
  // Sets up poll_ for the loop `loop`, polling `fd` or, with fd < 0, waiting on a thread.
  void OpenPoll(Napi::Env env, uv_loop_t* loop, int fd);
  void HoldStrong(bool strong);

  pcap_t* p_ = nullptr;
  bool live_ = false;
  bool closed_ = false;
  bool nano_ = false;
  int timeoutMs_ = 100;
  bpf_u_int32 netmask_ = PCAP_NETMASK_UNKNOWN;

  // The stdio buffer of a file we opened ourselves; freed only after pcap_close closed the file.
  std::unique_ptr<char[]> fileBuffer_;

  Napi::Reference<Napi::ArrayBuffer> buffer_;
  uint8_t* buf_ = nullptr;
  size_t bufLen_ = 0;

  // A packet that did not fit into the previous batch, copied because libpcap may reuse
  // its memory on the next read.
  bool hasPending_ = false;
  struct pcap_pkthdr pendingHdr_;
  std::vector<uint8_t> pendingData_;
  std::string pendingError_;
  // pcap_breakloop stopped the last pcap_dispatch after a packet that did not fit; libpcap
  // leaves its flag set, and the next pcap_dispatch returns PCAP_ERROR_BREAK to clear it.
  bool brokeOut_ = false;

  PollState* poll_ = nullptr;
  bool polling_ = false;
  bool refed_ = true;
  bool strong_ = false;
  int maxPerBatch_ = 1024;
  std::unique_ptr<Napi::AsyncContext> asyncContext_;
};

}  // namespace pcapnative
