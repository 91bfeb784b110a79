// sdk/consent bindings: a ConsentEngine handle. JS owns the handle and must call delete().
// Raw methods take heap offsets + lengths (UTF-8 JSON text) and return >= 0 or -Status; the
// JSON a call produces is read right after it with _output(). No logic here: parsing and JSON
// forms live in sdk/consent/json_api.h.
#include <string>
#include <string_view>
#include <utility>

#include "sdk/consent/engine.h"
#include "sdk/consent/json_api.h"
#include "sdk/consent/receipt.h"
#include "sdk/crypto/identity.h"
#include "wasm/common.h"
#include "wasm/consent_handle.h"

namespace sealdesk::wasm {
namespace {

using consent::ConsentEngine;
using consent::DecisionContext;

using wasm::text;

// Verifies ledger JSON; public_key_len 0 pins the first receipt's key. Returns the count.
int32_t verify_ledger(HeapPtr ledger, size_t ledger_len, HeapPtr public_key, size_t public_key_len) {
  return to_int(consent::verify_ledger(text(ledger, ledger_len), heap_view(public_key, public_key_len)));
}

}  // namespace

EMSCRIPTEN_BINDINGS(sealdesk_consent) {
  using emscripten::allow_raw_pointers;
  emscripten::constant("CONSENT_SEED_BYTES", crypto::kIdentitySeedBytes);
  emscripten::constant("CONSENT_PUBLIC_KEY_BYTES", crypto::kIdentityPublicKeyBytes);
  emscripten::function("_verifyConsentLedger", &verify_ledger);
  emscripten::class_<ConsentHandle>("ConsentEngine")
      .class_function("_create", &ConsentHandle::create, allow_raw_pointers())
      .function("_grant", &ConsentHandle::grant)
      .function("_deny", &ConsentHandle::deny)
      .function("_declareAge", &ConsentHandle::declare_age)
      .function("_recordPrivacyMode", &ConsentHandle::record_privacy_mode)
      .function("_setGpc", &ConsentHandle::set_gpc)
      .function("_upgradePolicy", &ConsentHandle::upgrade_policy)
      .function("_importStore", &ConsentHandle::import_store)
      .function("_refresh", &ConsentHandle::refresh)
      .function("_setSessionActive", &ConsentHandle::set_session_active)
      .function("_allows", &ConsentHandle::allows)
      .function("_allowsCapability", &ConsentHandle::allows_capability)
      .function("_plan", &ConsentHandle::plan)
      .function("_retentionDeadline", &ConsentHandle::retention_deadline)
      .function("_state", &ConsentHandle::state)
      .function("_texts", &ConsentHandle::texts)
      .function("_receipts", &ConsentHandle::receipts)
      .function("_exportStore", &ConsentHandle::export_store)
      .function("_principal", &ConsentHandle::principal)
      .function("_publicKey", &ConsentHandle::public_key)
      .function("_exportSeed", &ConsentHandle::export_seed)
      .function("_output", &ConsentHandle::take_output);
}

}  // namespace sealdesk::wasm
