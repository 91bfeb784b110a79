// sdk/pii bindings: a masker handle that masks UTF-8 text from the heap, and opening sealed
// reveal tokens on the agent side. JS owns a handle (_piiMaskerCreate / _piiMaskerDelete).
//
// The per-message calls are plain exported C functions (EMSCRIPTEN_KEEPALIVE) rather than
// Embind methods: on chat-sized messages Embind's invoker cost about as much as masking itself
// (measured ~0.4 us per call with DYNAMIC_EXECUTION=0). Same convention otherwise: heap offsets
// and lengths in, >= 0 or -Status out, the error detail kept for _takeLastError().
#include <emscripten/emscripten.h>

#include <cstring>
#include <string>
#include <vector>

#include "sdk/crypto/library.h"
#include "sdk/pii/json_lines.h"
#include "sdk/pii/masker.h"
#include "wasm/common.h"
#include "wasm/pii_handle.h"

namespace sealdesk::wasm {
namespace {

constexpr size_t kFindingFields = 8;

PiiMaskerHandle& handle(HeapPtr ptr) { return *reinterpret_cast<PiiMaskerHandle*>(ptr); }

void store_u32(HeapPtr at, size_t index, uintptr_t value) {
  const auto v = static_cast<uint32_t>(value);
  std::memcpy(reinterpret_cast<void*>(at + 4 * index), &v, sizeof v);
}

std::string_view text_at(HeapPtr ptr, size_t len) { return {reinterpret_cast<const char*>(ptr), len}; }

}  // namespace
}  // namespace sealdesk::wasm

using namespace sealdesk;
using namespace sealdesk::wasm;

extern "C" {

// A new masker for a config (sdk/pii/masker.h): its heap offset, or 0 with the error kept.
EMSCRIPTEN_KEEPALIVE HeapPtr piiMaskerCreate(HeapPtr config, size_t config_len) {
  auto made = pii::Masker::create(text_at(config, config_len));
  if (!made.ok()) {
    to_int(made.error());
    return 0;
  }
  auto* h = new PiiMaskerHandle{std::move(made).value(), {}, {}, {}, {}};
  for (size_t k = 0; k < h->masker.kind_count(); ++k) {
    if (k > 0) h->kind_names.push_back('\n');
    h->kind_names.append(h->masker.kind_name(static_cast<uint16_t>(k)));
  }
  return reinterpret_cast<HeapPtr>(h);
}

// Wipes and frees a masker.
EMSCRIPTEN_KEEPALIVE void piiMaskerDelete(HeapPtr masker) { delete &handle(masker); }

// info[0..1] (uint32) receive the offset and length of the type names, one per line, in
// Finding::kind order.
EMSCRIPTEN_KEEPALIVE int32_t piiMaskerKindNames(HeapPtr masker, HeapPtr info) {
  const PiiMaskerHandle& h = handle(masker);
  store_u32(info, 0, reinterpret_cast<uintptr_t>(h.kind_names.data()));
  store_u32(info, 1, h.kind_names.size());
  return static_cast<int32_t>(h.kind_names.size());
}

// Masks text (and zeroes it: it is JS's heap copy of the message) and leaves the result in the
// handle; info (5 x uint32) receives the masked text's heap offset and byte length, the
// findings' offset and count: int32 x 8 per finding (kind, start, end, style, maskedStart,
// maskedEnd in UTF-16 units, then maskedStart and maskedEnd in bytes, where JS finds the
// replacement text), and the number of U+FFFD characters in the input (MaskResult::
// replacement_chars). Returns the number of findings. The previous result is wiped first.
EMSCRIPTEN_KEEPALIVE int32_t piiMask(HeapPtr masker, HeapPtr text, size_t text_len, HeapPtr info) {
  PiiMaskerHandle& h = handle(masker);
  h.wipe();
  const Status s = h.masker.mask(text_at(text, text_len), h.result);
  crypto::wipe(reinterpret_cast<void*>(text), text_len);  // JS's copy of the message: PII
  if (s != Status::ok) return fail(s);
  // Grow only (resize() keeps the capacity); written in place, no per-finding insert.
  h.findings.resize(h.result.findings.size() * kFindingFields);
  int32_t* row = h.findings.data();
  for (const pii::Finding& f : h.result.findings) {
    row[0] = f.kind;
    row[1] = static_cast<int32_t>(f.start_utf16);
    row[2] = static_cast<int32_t>(f.end_utf16);
    row[3] = static_cast<int32_t>(f.style);
    row[4] = static_cast<int32_t>(f.masked_start_utf16);
    row[5] = static_cast<int32_t>(f.masked_end_utf16);
    row[6] = static_cast<int32_t>(f.masked_start);
    row[7] = static_cast<int32_t>(f.masked_end);
    row += kFindingFields;
  }
  store_u32(info, 0, reinterpret_cast<uintptr_t>(h.result.text.data()));
  store_u32(info, 1, h.result.text.size());
  store_u32(info, 2, reinterpret_cast<uintptr_t>(h.findings.data()));
  store_u32(info, 3, h.result.findings.size());
  store_u32(info, 4, h.result.replacement_chars);
  return static_cast<int32_t>(h.result.findings.size());
}

// The same, as the JSON sealdesk-mask prints: info[0..1] receive its offset and byte length.
EMSCRIPTEN_KEEPALIVE int32_t piiMaskJson(HeapPtr masker, HeapPtr text, size_t text_len, HeapPtr info) {
  PiiMaskerHandle& h = handle(masker);
  h.wipe();
  h.json.clear();
  const Status s = h.masker.mask(text_at(text, text_len), h.result);
  crypto::wipe(reinterpret_cast<void*>(text), text_len);  // JS's copy of the message: PII
  if (s != Status::ok) return fail(s);
  pii::append_result_json(h.json, h.result);
  if (h.json.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) return fail(Status::too_large);
  store_u32(info, 0, reinterpret_cast<uintptr_t>(h.json.data()));
  store_u32(info, 1, h.json.size());
  return static_cast<int32_t>(h.json.size());
}

// Agent side: opens "[sealed:type:…]" into out as "type\0text"; returns the bytes written.
EMSCRIPTEN_KEEPALIVE int32_t piiOpenRevealToken(HeapPtr token, size_t token_len, HeapPtr public_key,
                                                HeapPtr secret_key, HeapPtr out, size_t out_len) {
  auto opened = pii::open_reveal_token(text_at(token, token_len),
                                       heap_fixed<const uint8_t, pii::kRevealKeyBytes>(public_key),
                                       heap_fixed<const uint8_t, pii::kRevealKeyBytes>(secret_key));
  if (!opened.ok()) return to_int(opened.error());
  pii::RevealedValue& v = opened.value();
  const size_t need = v.type.size() + 1 + v.text.size();
  Status status = Status::ok;
  if (need > out_len) {
    status = Status::buffer_too_small;
  } else {
    auto dst = heap_span(out, out_len);
    std::copy(v.type.begin(), v.type.end(), dst.begin());
    dst[v.type.size()] = 0;
    std::copy(v.text.begin(), v.text.end(), dst.begin() + static_cast<std::ptrdiff_t>(v.type.size() + 1));
  }
  crypto::wipe(v.text.data(), v.text.size());
  return status == Status::ok ? static_cast<int32_t>(need) : fail(status);
}

}  // extern "C"

EMSCRIPTEN_BINDINGS(sealdesk_pii) {
  emscripten::constant("PII_MAX_MESSAGE_BYTES", pii::kMaxMessageBytes);
  emscripten::constant("PII_REVEAL_KEY_BYTES", pii::kRevealKeyBytes);
  emscripten::constant("PII_FINDING_FIELDS", kFindingFields);
}
