// The masker handle JS owns (created in pii_bindings.cpp, passed as a heap offset); a header so
// that the desk bindings can use it in the one-call send path.
#pragma once

#include <string>
#include <vector>

#include "sdk/crypto/library.h"
#include "sdk/pii/masker.h"

namespace sealdesk::wasm {

// The masker plus the buffers a mask call reuses, so the hot path allocates nothing once warm.
struct PiiMaskerHandle {
  pii::Masker masker;
  pii::MaskResult result;
  std::string json;
  std::string kind_names;         // type names by Finding::kind, one per line
  std::vector<int32_t> findings;  // kFindingFields per finding, as piiMask documents

  ~PiiMaskerHandle() { wipe(); }
  void wipe() {
    crypto::wipe(result.text.data(), result.text.size());
    crypto::wipe(json.data(), json.size());
  }
};

}  // namespace sealdesk::wasm
