#include "capture.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "addon.h"
#include "devices.h"
#include "dumper.h"
#include "errors.h"

namespace pcapnative {
namespace {

// Batch record: u32 seconds (low), u32 seconds (high, signed), u32 nanoseconds,
// u32 captured length, u32 wire length, then the bytes padded to a multiple of 4.
constexpr size_t kRecordHeader = 20;

size_t RecordSize(uint32_t caplen) { return kRecordHeader + ((caplen + 3u) & ~3u); }

// A capture file's record holds its seconds in 32 unsigned bits, which libpcap widens as a
// signed number: from 2038 on they come out negative. Those are given back their top bit;
// a live capture's seconds come from the kernel whole.
void WriteRecord(uint8_t* at, const struct pcap_pkthdr* h, const u_char* data,
                 uint32_t caplen, bool nano, bool file) {
  uint32_t head[5];
  int64_t seconds = static_cast<int64_t>(h->ts.tv_sec);
  if (file && seconds < 0 && seconds >= INT32_MIN) seconds += int64_t{1} << 32;
  uint64_t sec = static_cast<uint64_t>(seconds);
  head[0] = static_cast<uint32_t>(sec);
  head[1] = static_cast<uint32_t>(sec >> 32);
  head[2] = nano ? static_cast<uint32_t>(h->ts.tv_usec)
                 : static_cast<uint32_t>(h->ts.tv_usec) * 1000u;
  head[3] = caplen;
  head[4] = h->len;
  std::memcpy(at, head, sizeof head);
  std::memcpy(at + kRecordHeader, data, caplen);
}

std::string OptString(Napi::Object o, const char* key) {
  Napi::Value v = o.Get(key);
  return v.IsString() ? v.As<Napi::String>().Utf8Value() : std::string();
}

bool OptBool(Napi::Object o, const char* key, bool fallback) {
  Napi::Value v = o.Get(key);
  return v.IsBoolean() ? v.As<Napi::Boolean>().Value() : fallback;
}

int OptInt(Napi::Object o, const char* key, int fallback) {
  Napi::Value v = o.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().Int32Value() : fallback;
}

void OnHandleClosed(uv_handle_t* handle) {
  auto* state = static_cast<PollState*>(handle->data);
  if (--state->openHandles > 0) return;
  if (state->hook) napi_remove_async_cleanup_hook(state->hook);
  delete state;
}

void BeginClose(PollState* state) {
  if (state->closing) return;
  state->closing = true;
  if (state->waiter) {
    // Joined before pcap_close may run, and before the async handle it signals goes away.
    state->waiter->Stop();
    uv_close(reinterpret_cast<uv_handle_t*>(&state->async), OnHandleClosed);
    return;
  }
  // Stopping removes the fd from epoll right away, so pcap_close may follow immediately.
  uv_poll_stop(&state->poll);
  uv_close(reinterpret_cast<uv_handle_t*>(&state->poll), OnHandleClosed);
  if (state->hasTimer) {
    uv_timer_stop(&state->timer);
    uv_close(reinterpret_cast<uv_handle_t*>(&state->timer), OnHandleClosed);
  }
}

// Environment teardown (process exit, worker termination): the loop must not be closed
// while our handles are open, so close them and report completion from the close callback.
void OnEnvCleanup(napi_async_cleanup_hook_handle handle, void* arg) {
  auto* state = static_cast<PollState*>(arg);
  if (state->owner) {
    state->owner->ForgetPoll();
    state->owner = nullptr;
  }
  BeginClose(state);
}

void OnPoll(uv_poll_t* handle, int status, int events) {
  auto* state = static_cast<PollState*>(handle->data);
  if (state->owner) state->owner->OnReadable(status);
}

void OnAsync(uv_async_t* handle) {
  auto* state = static_cast<PollState*>(handle->data);
  if (state->owner) state->owner->OnReadable(0);
}

void OnTimer(uv_timer_t* handle) {
  auto* state = static_cast<PollState*>(handle->data);
  if (state->owner) state->owner->OnReadable(0);
}

const struct timeval* RequiredSelectTimeout(pcap_t* p) {
#ifdef _WIN32
  return nullptr;
#else
  const PcapApi& api = Pcap();
  return api.pcap_get_required_select_timeout ? api.pcap_get_required_select_timeout(p) : nullptr;
#endif
}

}  // namespace

Napi::Function Capture::Define(Napi::Env env) {
  return DefineClass(env, "Capture",
                     {
                         InstanceMethod<&Capture::OpenLive>("openLive"),
                         InstanceMethod<&Capture::OpenOffline>("openOffline"),
                         InstanceMethod<&Capture::OpenDead>("openDead"),
                         InstanceMethod<&Capture::SetBuffer>("setBuffer"),
                         InstanceMethod<&Capture::ReadBatch>("readBatch"),
                         InstanceMethod<&Capture::Start>("start"),
                         InstanceMethod<&Capture::Pause>("pause"),
                         InstanceMethod<&Capture::RefPoll>("ref"),
                         InstanceMethod<&Capture::UnrefPoll>("unref"),
                         InstanceMethod<&Capture::SetFilter>("setFilter"),
                         InstanceMethod<&Capture::Stats>("stats"),
                         InstanceMethod<&Capture::Inject>("inject"),
                         InstanceMethod<&Capture::DumpOpen>("dumpOpen"),
                         InstanceMethod<&Capture::SetNonblock>("setNonblock"),
                         InstanceMethod<&Capture::Close>("close"),
                         InstanceMethod<&Capture::IsClosed>("isClosed"),
                     });
}

Capture::Capture(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Capture>(info) {}

Capture::~Capture() {
  ClosePoll();
  if (p_) {
    Pcap().pcap_close(p_);
    p_ = nullptr;
  }
}

pcap_t* Capture::Handle(Napi::Env env) const {
  if (closed_) throw MakeError(env, "CLOSED", "the capture is closed");
  if (!p_) throw MakeError(env, "NOT_OPEN", "the capture is not open");
  return p_;
}

Napi::Object Capture::Describe(Napi::Env env) const {
  const PcapApi& api = Pcap();
  Napi::Object out = Napi::Object::New(env);
  out.Set("linkType", Napi::Number::New(env, api.pcap_datalink(p_)));
  out.Set("snaplen", Napi::Number::New(env, api.pcap_snapshot(p_)));
  out.Set("nano", Napi::Boolean::New(env, nano_));
  return out;
}

// openLive(device, options) -> { linkType, snaplen, nano, warnings, tstampTypes }
Napi::Value Capture::OpenLive(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const PcapApi& api = RequirePcap(env);
  if (p_ || closed_) throw MakeError(env, "ACTIVATED", "this handle was already opened");
  std::string device = info[0].As<Napi::String>().Utf8Value();
  Napi::Object opts = info[1].IsObject() ? info[1].As<Napi::Object>() : Napi::Object::New(env);

  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  pcap_t* p = api.pcap_create(device.c_str(), errbuf);
  if (!p) throw MakeError(env, "ERROR", errbuf);

  auto fail = [&](int status, const char* code) -> Napi::Error {
    std::string msg = api.pcap_geterr(p);
    if (msg.empty()) msg = api.pcap_statustostr(status);
    api.pcap_close(p);
    return MakeError(env, code ? code : CodeForStatus(status), msg, status);
  };
  auto unsupported = [&](const char* what) -> Napi::Error {
    api.pcap_close(p);
    return MakeError(env, "NOT_SUPPORTED",
                     std::string(what) + " is not supported by this libpcap (" +
                         api.pcap_lib_version() + ")");
  };

  int status;
  if ((status = api.pcap_set_snaplen(p, OptInt(opts, "snaplen", 262144))) != 0) throw fail(status, nullptr);
  if ((status = api.pcap_set_promisc(p, OptBool(opts, "promisc", false) ? 1 : 0)) != 0) throw fail(status, nullptr);
  int timeoutMs = OptInt(opts, "timeout", 100);
  if ((status = api.pcap_set_timeout(p, timeoutMs)) != 0) throw fail(status, nullptr);
  int bufferSize = OptInt(opts, "bufferSize", 0);
  if (bufferSize > 0 && (status = api.pcap_set_buffer_size(p, bufferSize)) != 0) throw fail(status, nullptr);
  if (OptBool(opts, "rfmon", false) && (status = api.pcap_set_rfmon(p, 1)) != 0) throw fail(status, nullptr);
  if (OptBool(opts, "immediate", false)) {
    if (!api.pcap_set_immediate_mode) throw unsupported("immediate mode");
    if ((status = api.pcap_set_immediate_mode(p, 1)) != 0) throw fail(status, nullptr);
  }
  Napi::Array warnings = Napi::Array::New(env);
  std::string tstampType = OptString(opts, "tstampType");
  if (!tstampType.empty()) {
    if (!api.pcap_set_tstamp_type) throw unsupported("choosing the timestamp type");
    int type = api.pcap_tstamp_type_name_to_val(tstampType.c_str());
    if (type < 0) {
      api.pcap_close(p);
      throw MakeError(env, "BAD_OPTION", "unknown timestamp type \"" + tstampType + "\"");
    }
    status = api.pcap_set_tstamp_type(p, type);
    if (status < 0) throw fail(status, nullptr);
    if (status > 0) {
      // libpcap keeps its default type and says nothing more at activation.
      Napi::Object w = Napi::Object::New(env);
      w.Set("code", Napi::String::New(env, "TSTAMP_TYPE_NOTSUP"));
      w.Set("message", Napi::String::New(env, "timestamp type \"" + tstampType +
                                                  "\" is not supported by " + device +
                                                  "; the default is used"));
      warnings.Set(warnings.Length(), w);
    }
  }
  std::string precision = OptString(opts, "precision");
  if (precision.empty()) precision = "auto";
  if (precision != "micro") {
    if (!api.pcap_set_tstamp_precision) {
      if (precision == "nano") throw unsupported("nanosecond timestamps");
    } else {
      status = api.pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
      if (status != 0 && precision == "nano") throw fail(status, nullptr);
    }
  }

  status = api.pcap_activate(p);
  if (status < 0) throw fail(status, nullptr);
  if (status > 0) {
    Napi::Object w = Napi::Object::New(env);
    const char* code = status == PCAP_WARNING_PROMISC_NOTSUP       ? "PROMISC_NOTSUP"
                       : status == PCAP_WARNING_TSTAMP_TYPE_NOTSUP ? "TSTAMP_TYPE_NOTSUP"
                                                                   : "WARNING";
    std::string msg = api.pcap_geterr(p);
    if (msg.empty()) msg = api.pcap_statustostr(status);
    w.Set("code", Napi::String::New(env, code));
    w.Set("message", Napi::String::New(env, msg));
    warnings.Set(warnings.Length(), w);
  }

  std::string direction = OptString(opts, "direction");
  if (!direction.empty()) {
    pcap_direction_t d = direction == "in"    ? PCAP_D_IN
                         : direction == "out" ? PCAP_D_OUT
                                              : PCAP_D_INOUT;
    if (api.pcap_setdirection(p, d) != 0) throw fail(PCAP_ERROR, "DIRECTION_NOTSUP");
  }
  if (api.pcap_setnonblock(p, OptBool(opts, "nonblock", true) ? 1 : 0, errbuf) != 0) {
    api.pcap_close(p);
    throw MakeError(env, "ERROR", errbuf);
  }

  bpf_u_int32 net = 0, mask = 0;
  if (api.pcap_lookupnet(device.c_str(), &net, &mask, errbuf) == 0) netmask_ = mask;

  p_ = p;
  live_ = true;
  timeoutMs_ = timeoutMs;
  nano_ = api.pcap_get_tstamp_precision &&
          api.pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;

  Napi::Object out = Describe(env);
  out.Set("warnings", warnings);
  Napi::Array types = Napi::Array::New(env);
  int* list = nullptr;
  int n = api.pcap_list_tstamp_types(p, &list);
  for (int i = 0; i < n; i++) {
    const char* name = api.pcap_tstamp_type_val_to_name(list[i]);
    types.Set(static_cast<uint32_t>(i), name ? Napi::String::New(env, name)
                                             : Napi::String::New(env, std::to_string(list[i])));
  }
  if (list) api.pcap_free_tstamp_types(list);
  out.Set("tstampTypes", types);
  return out;
}

// openOffline(path) -> { linkType, snaplen, nano }
Napi::Value Capture::OpenOffline(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const PcapApi& api = RequirePcap(env);
  if (p_ || closed_) throw MakeError(env, "ACTIVATED", "this handle was already opened");
  std::string path = info[0].As<Napi::String>().Utf8Value();
  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  errno = 0;
  pcap_t* p;
#ifndef _WIN32
  if (api.pcap_fopen_offline_with_tstamp_precision && path != "-") {
    p = OpenFile(path, errbuf);
  } else
#endif
  if (api.pcap_open_offline_with_tstamp_precision) {
    // libpcap scales microsecond files up, so asking for nanoseconds never loses anything.
    p = api.pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO,
                                                    errbuf);
  } else {
    p = api.pcap_open_offline(path.c_str(), errbuf);
  }
  if (!p) {
    int e = errno;
    const char* code = e == ENOENT ? "ENOENT" : e == EACCES ? "EACCES" : e == EISDIR ? "EISDIR"
                                                                                    : "BAD_FILE";
    throw MakeError(env, code, errbuf);
  }
  p_ = p;
  nano_ = api.pcap_get_tstamp_precision &&
          api.pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
  return Describe(env);
}

#ifndef _WIN32
// libpcap reads a file a record header and a record at a time through stdio, whose buffer is
// one disk block: a roomier one saves a read(2) every few packets. Opening the file here is
// what pcap_open_offline does itself (same messages, same errno), with that buffer set.
pcap_t* Capture::OpenFile(const std::string& path, char* errbuf) {
  constexpr size_t kFileBuffer = 256 * 1024;
  FILE* f = fopen(path.c_str(), "rb");
  if (!f) {
    int e = errno;
    snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s: %s", path.c_str(), strerror(e));
    errno = e;
    return nullptr;
  }
  fileBuffer_.reset(new char[kFileBuffer]);
  setvbuf(f, fileBuffer_.get(), _IOFBF, kFileBuffer);
  pcap_t* p = Pcap().pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (!p) {
    int e = errno;
    fclose(f);
    fileBuffer_.reset();
    errno = e;
  }
  return p;
}
#endif

// openDead(linkType, snaplen, nano): a handle for compiling filters and writing files.
Napi::Value Capture::OpenDead(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const PcapApi& api = RequirePcap(env);
  if (p_ || closed_) throw MakeError(env, "ACTIVATED", "this handle was already opened");
  int linkType = info[0].As<Napi::Number>().Int32Value();
  int snaplen = info[1].As<Napi::Number>().Int32Value();
  bool nano = info[2].ToBoolean().Value();
  pcap_t* p;
  if (nano) {
    if (!api.pcap_open_dead_with_tstamp_precision) {
      throw MakeError(env, "NOT_SUPPORTED", "nanosecond capture files need libpcap 1.5 or newer");
    }
    p = api.pcap_open_dead_with_tstamp_precision(linkType, snaplen, PCAP_TSTAMP_PRECISION_NANO);
  } else {
    p = api.pcap_open_dead(linkType, snaplen);
  }
  if (!p) throw MakeError(env, "ERROR", "pcap_open_dead failed");
  p_ = p;
  nano_ = nano;
  return Describe(env);
}

// setBuffer(arrayBuffer): where batches are written. The caller keeps it large enough
// for one record of snaplen bytes; a larger record is cut to fit.
Napi::Value Capture::SetBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::ArrayBuffer ab = info[0].As<Napi::ArrayBuffer>();
  if (ab.ByteLength() < kRecordHeader + 4) {
    throw MakeError(env, "BAD_OPTION", "the batch buffer is too small");
  }
  buffer_ = Napi::Persistent(ab);
  buf_ = static_cast<uint8_t*>(ab.Data());
  bufLen_ = ab.ByteLength();
  return env.Undefined();
}

int Capture::ReadInto(int max, bool* eof, std::string* error) {
  const PcapApi& api = Pcap();
  size_t off = 0;
  int n = 0;
  if (hasPending_ && n < max) {
    uint32_t caplen = static_cast<uint32_t>(pendingData_.size());
    if (RecordSize(caplen) > bufLen_) caplen = static_cast<uint32_t>((bufLen_ - kRecordHeader) & ~size_t(3));
    WriteRecord(buf_, &pendingHdr_, pendingData_.data(), caplen, nano_, !live_);
    off += RecordSize(caplen);
    n++;
    hasPending_ = false;
    pendingData_.clear();
  }
  if (!pendingError_.empty()) {
    if (n == 0) {
      *error = pendingError_;
      pendingError_.clear();
    }
    return n;
  }
  if (!live_) return DispatchInto(max, off, n, eof, error);
  while (n < max) {
    struct pcap_pkthdr* h;
    const u_char* data;
    int r = api.pcap_next_ex(p_, &h, &data);
    if (r == 1) {
      uint32_t caplen = h->caplen;
      size_t need = RecordSize(caplen);
      if (off + need > bufLen_) {
        if (off == 0) {
          caplen = static_cast<uint32_t>((bufLen_ - kRecordHeader) & ~size_t(3));
          need = RecordSize(caplen);
        } else {
          KeepPending(h, data);
          break;
        }
      }
      WriteRecord(buf_ + off, h, data, caplen, nano_, !live_);
      off += need;
      n++;
    } else if (r == 0) {
      break;  // live: nothing more right now
    } else if (r == PCAP_ERROR_BREAK) {
      *eof = true;  // offline: end of file
      break;
    } else {
      std::string msg = api.pcap_geterr(p_);
      if (n == 0) *error = msg;
      else pendingError_ = msg;
      break;
    }
  }
  return n;
}

void Capture::KeepPending(const struct pcap_pkthdr* h, const u_char* data) {
  hasPending_ = true;
  pendingHdr_ = *h;
  pendingData_.assign(data, data + h->caplen);
}

namespace {
struct DispatchState {
  Capture* self;
  size_t off;
  int n;
  bool full;
};
}  // namespace

void Capture::OnDispatched(u_char* user, const struct pcap_pkthdr* h, const u_char* data) {
  auto* s = reinterpret_cast<DispatchState*>(user);
  Capture* c = s->self;
  // libpcap checks the break flag before every packet, so nothing follows a full batch.
  if (s->full) return;
  uint32_t caplen = h->caplen;
  size_t need = RecordSize(caplen);
  if (s->off + need > c->bufLen_) {
    if (s->off == 0) {
      caplen = static_cast<uint32_t>((c->bufLen_ - kRecordHeader) & ~size_t(3));
      need = RecordSize(caplen);
    } else {
      c->KeepPending(h, data);
      s->full = true;
      c->brokeOut_ = true;
      Pcap().pcap_breakloop(c->p_);
      return;
    }
  }
  WriteRecord(c->buf_ + s->off, h, data, caplen, c->nano_, !c->live_);
  s->off += need;
  s->n++;
}

// Files are read with pcap_dispatch, which hands over many packets per call and writes them
// straight into the batch; pcap_next_ex costs a call into libpcap per packet.
int Capture::DispatchInto(int max, size_t off, int n, bool* eof, std::string* error) {
  const PcapApi& api = Pcap();
  DispatchState s{this, off, n, false};
  while (s.n < max && !s.full) {
    int r = api.pcap_dispatch(p_, max - s.n, &Capture::OnDispatched, reinterpret_cast<u_char*>(&s));
    if (r > 0) continue;
    if (r == PCAP_ERROR_BREAK && brokeOut_) {
      brokeOut_ = false;  // the flag our last pcap_breakloop left, now cleared by libpcap
      continue;
    }
    if (r == 0) {
      *eof = true;
    } else {
      std::string msg = api.pcap_geterr(p_);
      if (s.n == 0) *error = msg;
      else pendingError_ = msg;
    }
    break;
  }
  return s.n;
}

// readBatch(maxPackets) -> count, or -1 at the end of a file.
Napi::Value Capture::ReadBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Handle(env);
  if (!buf_) throw MakeError(env, "BAD_OPTION", "no batch buffer was set");
  int max = info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : maxPerBatch_;
  if (max < 1) max = 1;
  bool eof = false;
  std::string error;
  int n = ReadInto(max, &eof, &error);
  if (!error.empty()) throw MakeError(env, "READ_ERROR", error);
  if (n == 0 && eof) return Napi::Number::New(env, -1);
  return Napi::Number::New(env, n);
}

void Capture::HoldStrong(bool strong) {
  // While polling, libuv refers to this object, so it must not be collected.
  if (strong && !strong_) {
    Ref();
    strong_ = true;
  } else if (!strong && strong_) {
    Unref();
    strong_ = false;
  }
}

// start(maxPerBatch, thread): poll the selectable fd (or, with `thread` or without one, wait on a
// thread) and call this.onbatch(count, error) per batch.
Napi::Value Capture::Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const PcapApi& api = Pcap();
  pcap_t* p = Handle(env);
  if (!live_) throw MakeError(env, "NOT_SUPPORTED", "only live captures are polled");
  if (!buf_) throw MakeError(env, "BAD_OPTION", "no batch buffer was set");
  if (info[0].IsNumber()) maxPerBatch_ = std::max(1, info[0].As<Napi::Number>().Int32Value());
  // Reads happen on the event loop thread after readiness; a blocking read would stall it.
  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  if (api.pcap_setnonblock(p, 1, errbuf) != 0) throw MakeError(env, "ERROR", errbuf);
  if (!poll_) {
#ifdef _WIN32
    int fd = -1;
#else
    int fd = api.pcap_get_selectable_fd ? api.pcap_get_selectable_fd(p) : -1;
#endif
    // Without a descriptor to poll (Npcap), or when asked, a thread waits for packets.
    if (info[1].IsBoolean() && info[1].As<Napi::Boolean>().Value()) fd = -1;
    uv_loop_t* loop = nullptr;
    if (napi_get_uv_event_loop(env, &loop) != napi_ok || !loop) {
      throw MakeError(env, "ERROR", "no event loop");
    }
    OpenPoll(env, loop, fd);
  }
  if (poll_->waiter) {
    poll_->waiter->Arm();
  } else {
    uv_poll_start(&poll_->poll, UV_READABLE, OnPoll);
    if (poll_->hasTimer) {
      const struct timeval* every = RequiredSelectTimeout(p);
      uint64_t ms = every ? static_cast<uint64_t>(every->tv_sec) * 1000 + every->tv_usec / 1000 : 100;
      if (ms == 0) ms = 1;
      uv_timer_start(&poll_->timer, OnTimer, ms, ms);
    }
  }
  polling_ = true;
  HoldStrong(true);
  return env.Undefined();
}

void Capture::OpenPoll(Napi::Env env, uv_loop_t* loop, int fd) {
  auto* state = new PollState();
  if (fd >= 0) {
    if (uv_poll_init(loop, &state->poll, fd) != 0) {
      delete state;
      throw MakeError(env, "ERROR", "uv_poll_init failed");
    }
    state->poll.data = state;
    state->openHandles = 1;
    // Some platforms need a periodic read even without readiness (libpcap says how often).
    if (RequiredSelectTimeout(p_)) {
      uv_timer_init(loop, &state->timer);
      state->timer.data = state;
      state->hasTimer = true;
      state->openHandles++;
    }
  } else {
    auto waiter = std::make_unique<ReadyWaiter>(p_, &state->async, timeoutMs_);
    if (uv_async_init(loop, &state->async, OnAsync) != 0) {
      delete state;
      throw MakeError(env, "ERROR", "uv_async_init failed");
    }
    state->async.data = state;
    state->openHandles = 1;
    std::string why = waiter->Start();
    state->waiter = std::move(waiter);
    if (!why.empty()) {
      // The handle is open: close it the asynchronous way, which frees the state.
      BeginClose(state);
      throw MakeError(env, "NOT_SUPPORTED", why);
    }
  }
  state->owner = this;
  napi_add_async_cleanup_hook(env, OnEnvCleanup, state, &state->hook);
  poll_ = state;
  if (!refed_) {
    if (state->waiter) uv_unref(reinterpret_cast<uv_handle_t*>(&state->async));
    else uv_unref(reinterpret_cast<uv_handle_t*>(&state->poll));
    if (state->hasTimer) uv_unref(reinterpret_cast<uv_handle_t*>(&state->timer));
  }
  asyncContext_ = std::make_unique<Napi::AsyncContext>(env, "PcapCapture", Value());
}

Napi::Value Capture::Pause(const Napi::CallbackInfo& info) {
  if (poll_ && poll_->waiter) {
    poll_->waiter->Pause();
  } else if (poll_) {
    uv_poll_stop(&poll_->poll);
    if (poll_->hasTimer) uv_timer_stop(&poll_->timer);
  }
  polling_ = false;
  HoldStrong(false);
  return info.Env().Undefined();
}

Napi::Value Capture::RefPoll(const Napi::CallbackInfo& info) {
  refed_ = true;
  if (poll_ && poll_->waiter) {
    uv_ref(reinterpret_cast<uv_handle_t*>(&poll_->async));
  } else if (poll_) {
    uv_ref(reinterpret_cast<uv_handle_t*>(&poll_->poll));
    if (poll_->hasTimer) uv_ref(reinterpret_cast<uv_handle_t*>(&poll_->timer));
  }
  return info.Env().Undefined();
}

Napi::Value Capture::UnrefPoll(const Napi::CallbackInfo& info) {
  refed_ = false;
  if (poll_ && poll_->waiter) {
    uv_unref(reinterpret_cast<uv_handle_t*>(&poll_->async));
  } else if (poll_) {
    uv_unref(reinterpret_cast<uv_handle_t*>(&poll_->poll));
    if (poll_->hasTimer) uv_unref(reinterpret_cast<uv_handle_t*>(&poll_->timer));
  }
  return info.Env().Undefined();
}

void Capture::OnReadable(int status) {
  if (closed_ || !p_ || !polling_) return;
  // Plain C calls with every status checked, no C++ exceptions: while a worker is being
  // terminated JavaScript cannot run, node-addon-api's error objects then abort the process,
  // and nothing may escape into libuv anyway. A failed step means there is nobody to deliver to.
  napi_env env = Env();
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value self = nullptr;
  napi_value cb = nullptr;
  napi_valuetype type = napi_undefined;
  // A local handle keeps this object alive even if the callback drops the last reference.
  if (napi_get_reference_value(env, static_cast<napi_ref>(*this), &self) == napi_ok && self != nullptr &&
      napi_get_named_property(env, self, "onbatch", &cb) == napi_ok && napi_typeof(env, cb, &type) == napi_ok &&
      type == napi_function) {
    napi_value argv[2];
    int n = 0;
    std::string message;
    if (status < 0) {
      message = uv_strerror(status);
    } else {
      bool eof = false;
      n = ReadInto(maxPerBatch_, &eof, &message);
    }
    bool deliver = n > 0 || !message.empty();
    if (deliver && napi_create_int32(env, n, &argv[0]) == napi_ok && napi_get_undefined(env, &argv[1]) == napi_ok) {
      if (!message.empty()) {
        try {
          argv[1] = MakeError(env, "READ_ERROR", message).Value();
        } catch (...) {
          deliver = false;
        }
      }
      napi_value result;
      if (deliver && napi_make_callback(env, *asyncContext_, self, cb, 2, argv, &result) == napi_pending_exception) {
        // The handler threw: an uncaught exception, as for any other callback.
        napi_value exception;
        if (napi_get_and_clear_last_exception(env, &exception) == napi_ok) napi_fatal_exception(env, exception);
      }
    }
  }
  // The waiting thread waits again once the loop has read; not after close or pause.
  if (poll_ && poll_->waiter && polling_ && !closed_) poll_->waiter->Arm();
  napi_close_handle_scope(env, scope);
}

// setFilter(filter, optimize) -> compiled program rows
Napi::Value Capture::SetFilter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const PcapApi& api = Pcap();
  pcap_t* p = Handle(env);
  std::string filter = info[0].As<Napi::String>().Utf8Value();
  bool optimize = info[1].IsBoolean() ? info[1].As<Napi::Boolean>().Value() : true;
  struct bpf_program prog;
  if (api.pcap_compile(p, &prog, filter.c_str(), optimize ? 1 : 0, netmask_) != 0) {
    throw MakeError(env, "BAD_FILTER", api.pcap_geterr(p));
  }
  int r = api.pcap_setfilter(p, &prog);
  Napi::Array rows = ProgramToArray(env, prog);
  api.pcap_freecode(&prog);
  if (r != 0) throw MakeError(env, "ERROR", api.pcap_geterr(p));
  return rows;
}

Napi::Value Capture::Stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const PcapApi& api = Pcap();
  pcap_t* p = Handle(env);
  struct pcap_stat st;
  std::memset(&st, 0, sizeof st);
  if (api.pcap_stats(p, &st) != 0) throw MakeError(env, "NOT_SUPPORTED", api.pcap_geterr(p));
  Napi::Object out = Napi::Object::New(env);
  out.Set("recv", Napi::Number::New(env, st.ps_recv));
  out.Set("drop", Napi::Number::New(env, st.ps_drop));
  out.Set("ifdrop", Napi::Number::New(env, st.ps_ifdrop));
  return out;
}

// inject(bytes) -> bytes sent
Napi::Value Capture::Inject(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const PcapApi& api = Pcap();
  pcap_t* p = Handle(env);
  if (!live_) throw MakeError(env, "NOT_SUPPORTED", "only live captures can send packets");
  Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
  int sent = api.pcap_inject(p, bytes.Data(), bytes.ByteLength());
  if (sent < 0) throw MakeError(env, "ERROR", api.pcap_geterr(p));
  return Napi::Number::New(env, sent);
}

// dumpOpen(path, append) -> Dumper
Napi::Value Capture::DumpOpen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const PcapApi& api = Pcap();
  pcap_t* p = Handle(env);
  std::string path = info[0].As<Napi::String>().Utf8Value();
  bool append = info[1].ToBoolean().Value();
  pcap_dumper_t* d;
  if (append) {
    if (!api.pcap_dump_open_append) {
      throw MakeError(env, "NOT_SUPPORTED", "appending needs libpcap 1.7 or newer");
    }
    d = api.pcap_dump_open_append(p, path.c_str());
  } else {
    d = api.pcap_dump_open(p, path.c_str());
  }
  if (!d) throw MakeError(env, "ERROR", api.pcap_geterr(p));
  Napi::Object obj = env.GetInstanceData<AddonData>()->dumperCtor.New({});
  Dumper::Unwrap(obj)->Adopt(d, nano_, static_cast<uint32_t>(api.pcap_snapshot(p)));
  return obj;
}

Napi::Value Capture::SetNonblock(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pcap_t* p = Handle(env);
  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  if (Pcap().pcap_setnonblock(p, info[0].ToBoolean().Value() ? 1 : 0, errbuf) != 0) {
    throw MakeError(env, "ERROR", errbuf);
  }
  return env.Undefined();
}

void Capture::ClosePoll() {
  if (!poll_) return;
  PollState* state = poll_;
  poll_ = nullptr;
  state->owner = nullptr;
  BeginClose(state);
}

// Safe at any time, including from inside onbatch and more than once.
Napi::Value Capture::Close(const Napi::CallbackInfo& info) {
  if (!closed_) {
    closed_ = true;
    polling_ = false;
    ClosePoll();
    if (p_) {
      Pcap().pcap_close(p_);
      p_ = nullptr;
    }
    fileBuffer_.reset();
    hasPending_ = false;
    pendingData_.clear();
    pendingData_.shrink_to_fit();
    buf_ = nullptr;
    bufLen_ = 0;
    buffer_.Reset();
    HoldStrong(false);
  }
  return info.Env().Undefined();
}

Napi::Value Capture::IsClosed(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), closed_ || !p_);
}

}  // namespace pcapnative
