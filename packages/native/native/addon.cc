// Entry point. Everything an environment needs is created here and stored as its instance
// data, so the addon loads in any number of worker threads side by side.
#include <napi.h>

#include "addon.h"
#include "capture.h"
#include "devices.h"
#include "dumper.h"

namespace pcapnative {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  Napi::Function capture = Capture::Define(env);
  Napi::Function dumper = Dumper::Define(env);
  data->captureCtor = Napi::Persistent(capture);
  data->dumperCtor = Napi::Persistent(dumper);
  env.SetInstanceData<AddonData>(data);

  exports.Set("Capture", capture);
  exports.Set("Dumper", dumper);
  exports.Set("libraryInfo", Napi::Function::New<LibraryInfo>(env, "libraryInfo"));
  exports.Set("findAllDevs", Napi::Function::New<FindAllDevs>(env, "findAllDevs"));
  exports.Set("compileFilter", Napi::Function::New<CompileFilter>(env, "compileFilter"));
  exports.Set("linkTypeName", Napi::Function::New<LinkTypeName>(env, "linkTypeName"));
  return exports;
}

}  // namespace pcapnative

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) {
  return pcapnative::Init(env, exports);
}

NODE_API_MODULE(pcap_native, InitModule)
