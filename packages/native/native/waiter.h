// Waits for a capture's packets on a thread of its own, for libpcaps that offer no
// descriptor libuv can poll (Npcap on Windows has an event handle instead).
#pragma once

#ifdef _WIN32
#include <windows.h>
#endif
#include <uv.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "libpcap_api.h"

namespace pcapnative {

// The thread only waits; every libpcap read stays on the loop thread. When the capture is
// readable (or its timeout passed, so that a partial buffer is delivered) it wakes the loop
// through `async` and waits to be armed again, once the loop has read.
class ReadyWaiter {
 public:
  ReadyWaiter(pcap_t* p, uv_async_t* async, int timeoutMs);
  ~ReadyWaiter();
  ReadyWaiter(const ReadyWaiter&) = delete;
  ReadyWaiter& operator=(const ReadyWaiter&) = delete;

  // Starts the thread; returns why it could not, or an empty string.
  std::string Start();
  // Lets the thread wait for the next readiness.
  void Arm();
  // Stops waking the loop until armed again.
  void Pause();
  // Ends the thread and joins it; `async` is not signalled afterwards.
  void Stop();

 private:
  void Run();
  // Blocks until the capture is readable (true), or the timeout passed or Stop() woke it (false).
  bool Wait();

  pcap_t* p_;
  uv_async_t* async_;
  int timeoutMs_;
  std::mutex m_;
  std::condition_variable cv_;
  bool armed_ = false;
  bool stop_ = false;
  std::thread thread_;
#ifdef _WIN32
  HANDLE event_ = nullptr;  // Npcap's, owned by the capture
  HANDLE stopEvent_ = nullptr;
#else
  int fd_ = -1;
  int wake_[2] = {-1, -1};
#endif
};

}  // namespace pcapnative
