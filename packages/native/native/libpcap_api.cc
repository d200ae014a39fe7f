#include "libpcap_api.h"

#include <cstdlib>
#include <vector>

#ifdef _WIN32
#include <windows.h>
#else
#include <dlfcn.h>
#endif

namespace pcapnative {
namespace {

void* OpenLibrary(const std::string& name, std::string* why) {
#ifdef _WIN32
  // Npcap installs wpcap.dll under System32\Npcap, which is not on the default search path.
  if (name == "wpcap.dll") {
    char sysdir[MAX_PATH];
    UINT n = GetSystemDirectoryA(sysdir, MAX_PATH);
    if (n > 0 && n < MAX_PATH - 8) {
      std::string dir = std::string(sysdir) + "\\Npcap";
      SetDllDirectoryA(dir.c_str());
    }
  }
  HMODULE h = LoadLibraryA(name.c_str());
  if (!h) *why += name + ": error " + std::to_string(GetLastError()) + "; ";
  return reinterpret_cast<void*>(h);
#else
  void* h = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char* e = dlerror();
    *why += std::string(e ? e : name.c_str()) + "; ";
  }
  return h;
#endif
}

void* Symbol(void* lib, const char* name) {
#ifdef _WIN32
  return reinterpret_cast<void*>(GetProcAddress(reinterpret_cast<HMODULE>(lib), name));
#else
  return dlsym(lib, name);
#endif
}

std::vector<std::string> Candidates() {
  // An explicit path wins, for libpcap installed somewhere unusual.
  if (const char* override = std::getenv("PCAP_NATIVE_LIBPCAP")) {
    if (*override) return {override};
  }
#if defined(_WIN32)
  return {"wpcap.dll"};
#elif defined(__APPLE__)
  return {"libpcap.A.dylib", "/usr/lib/libpcap.A.dylib", "libpcap.dylib"};
#else
  return {"libpcap.so.1", "libpcap.so.0.8", "libpcap.so"};
#endif
}

PcapApi Load() {
  PcapApi api;
  std::string why;
  void* lib = nullptr;
  for (const auto& name : Candidates()) {
    lib = OpenLibrary(name, &why);
    if (lib) {
      api.library = name;
      break;
    }
  }
  if (!lib) {
    api.error = why;
    return api;
  }
  std::string missing;
#define PCAPNATIVE_RESOLVE(name)                                                \
  api.name = reinterpret_cast<decltype(api.name)>(Symbol(lib, #name));        \
  if (!api.name) missing += std::string(missing.empty() ? "" : ", ") + #name;
  PCAPNATIVE_REQUIRED_SYMBOLS(PCAPNATIVE_RESOLVE)
#undef PCAPNATIVE_RESOLVE
#define PCAPNATIVE_RESOLVE_OPTIONAL(name) \
  api.name = reinterpret_cast<decltype(api.name)>(Symbol(lib, #name));
  PCAPNATIVE_OPTIONAL_SYMBOLS(PCAPNATIVE_RESOLVE_OPTIONAL)
#undef PCAPNATIVE_RESOLVE_OPTIONAL
  if (!missing.empty()) {
    api.error = api.library + " lacks " + missing + " (libpcap 1.0 or newer is required)";
    return api;
  }
  if (api.pcap_init) {
    // UTF-8 strings everywhere; only changes behaviour on Windows.
    char errbuf[PCAP_ERRBUF_SIZE];
    api.pcap_init(PCAP_CHAR_ENC_UTF_8, errbuf);
  }
  api.loaded = true;
  return api;
}

}  // namespace

const PcapApi& Pcap() {
  // Static storage, not a heap object: when the last environment using the addon ends, Node
  // unloads it and this table goes with it, so loading it again (workers that come and go
  // while the main thread never loaded it) does not leave a copy behind each time. libpcap
  // itself stays loaded. Initialisation of a function-local static is thread-safe.
  static const PcapApi api = Load();
  return api;
}

}  // namespace pcapnative
