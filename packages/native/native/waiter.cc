#include "waiter.h"

#ifndef _WIN32
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#endif

namespace pcapnative {

ReadyWaiter::ReadyWaiter(pcap_t* p, uv_async_t* async, int timeoutMs)
    : p_(p), async_(async), timeoutMs_(timeoutMs) {}

ReadyWaiter::~ReadyWaiter() {
  Stop();
#ifdef _WIN32
  if (stopEvent_) CloseHandle(stopEvent_);
#else
  if (wake_[0] >= 0) close(wake_[0]);
  if (wake_[1] >= 0) close(wake_[1]);
#endif
}

std::string ReadyWaiter::Start() {
  const PcapApi& api = Pcap();
#ifdef _WIN32
  event_ = api.pcap_getevent ? api.pcap_getevent(p_) : nullptr;
  if (!event_) return "this libpcap offers no event handle to wait on";
  stopEvent_ = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  if (!stopEvent_) return "CreateEvent failed";
#else
  fd_ = api.pcap_get_selectable_fd ? api.pcap_get_selectable_fd(p_) : -1;
  if (fd_ < 0) return "this libpcap offers no selectable descriptor to wait on";
  if (pipe(wake_) != 0) return "pipe() failed";
  fcntl(wake_[0], F_SETFL, O_NONBLOCK);
  fcntl(wake_[1], F_SETFL, O_NONBLOCK);
#endif
  try {
    thread_ = std::thread(&ReadyWaiter::Run, this);
  } catch (...) {
    return "could not start the capture thread";
  }
  return std::string();
}

void ReadyWaiter::Arm() {
  {
    std::lock_guard<std::mutex> lk(m_);
    armed_ = true;
  }
  cv_.notify_one();
}

void ReadyWaiter::Pause() {
  std::lock_guard<std::mutex> lk(m_);
  armed_ = false;
}

void ReadyWaiter::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lk(m_);
    stop_ = true;
  }
  cv_.notify_one();
#ifdef _WIN32
  SetEvent(stopEvent_);
#else
  char b = 1;
  // The pipe is non-blocking: a full pipe already holds a wake-up.
  ssize_t ignored = write(wake_[1], &b, 1);
  (void)ignored;
#endif
  thread_.join();
}

void ReadyWaiter::Run() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lk(m_);
      cv_.wait(lk, [this] { return stop_ || armed_; });
      if (stop_) return;
    }
    // A timeout wakes the loop too: libpcap may hold packets it only hands over on a read.
    Wait();
    std::lock_guard<std::mutex> lk(m_);
    if (stop_) return;
    if (!armed_) continue;  // paused while waiting
    armed_ = false;
    uv_async_send(async_);
  }
}

bool ReadyWaiter::Wait() {
#ifdef _WIN32
  HANDLE handles[2] = {event_, stopEvent_};
  DWORD r = WaitForMultipleObjects(2, handles, FALSE, timeoutMs_ > 0 ? static_cast<DWORD>(timeoutMs_) : INFINITE);
  return r == WAIT_OBJECT_0;
#else
  struct pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
  int r = poll(fds, 2, timeoutMs_ > 0 ? timeoutMs_ : -1);
  if (r > 0 && (fds[1].revents & POLLIN)) {
    char b[16];
    while (read(wake_[0], b, sizeof b) > 0) {
    }
  }
  return r > 0 && (fds[0].revents & POLLIN) != 0;
#endif
}

}  // namespace pcapnative
