// Per-environment state: each main thread or worker that loads the addon gets its own.
#pragma once

#include <napi.h>

namespace pcapnative {

struct AddonData {
  Napi::FunctionReference captureCtor;
  Napi::FunctionReference dumperCtor;
};

}  // namespace pcapnative
