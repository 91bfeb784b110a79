// Fuzzes store import and ledger verification. Half the inputs are raw bytes; the other half
// edit a genuine store at input-chosen positions, which reaches signature, chain and replay
// checks. A rejected store must leave the engine all-unset with an empty ledger; an accepted
// one must re-export and re-import to the same state.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sdk/consent/engine.h"
#include "sdk/consent/json_api.h"
#include "tests/fuzz/consent_fuzz_support.h"

using namespace sealdesk;
using namespace sealdesk::consent;

namespace {

constexpr int64_t kNow = 1'750'000'000'000;

const std::string& genuine_store() {
  static const std::string store = [] {
    ConsentEngine e = fuzzing::make_engine(7);
    (void)e.grant({"routing", "chat", "voice", "video", "recording"}, kNow);
    (void)e.grant({"face_verification"}, kNow + 1);
    (void)e.revoke({"video"}, kNow + 2);
    (void)e.set_global_privacy_control(true, kNow + 3);
    (void)e.declare_age(12, kNow + 4);
    return e.export_store();
  }();
  return store;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string store;
  if (data[0] % 2 == 0) {
    store.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  } else {
    store = genuine_store();
    for (size_t i = 1; i + 2 < size; i += 3) {
      const size_t at = (static_cast<size_t>(data[i]) << 8 | data[i + 1]) * store.size() / 65536;
      store[at] = static_cast<char>(data[i + 2]);
    }
  }

  // import_store() starts from all-unset, so one engine serves every input.
  static ConsentEngine engine = fuzzing::make_engine(7);
  static ConsentEngine again = fuzzing::make_engine(7);
  auto imported = engine.import_store(store, kNow + 10);
  if (!imported.ok()) {
    if (!engine.ledger().empty()) std::abort();
    for (const PurposeStatus& p : engine.snapshot(kNow + 10).purposes) {
      if (p.state != PurposeState::unset) std::abort();
    }
  } else {
    if (!again.import_store(engine.export_store(), kNow + 10).ok()) std::abort();
    if (to_json(again.snapshot(kNow + 10)) != to_json(engine.snapshot(kNow + 10))) std::abort();
  }
  (void)verify_ledger(store);
  (void)verify_ledger(store, engine.public_key());
  return 0;
}
