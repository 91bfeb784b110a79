// libFuzzer: arbitrary bytes as a chat message into Masker::mask, under every mask style and
// with a host rule. Must never crash, and must keep its promises: valid UTF-8 out, findings in
// order, inside the input and the output, and no invalid byte copied through.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sdk/pii/json_lines.h"
#include "sdk/pii/masker.h"
#include "sdk/pii/text.h"

namespace {

using namespace sealdesk;

constexpr const char* kConfigs[] = {
    "",
    R"({"style":"partial","locale":"en"})",
    R"({"style":"pseudonym","pseudonymKey":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"})",
    R"({"style":"sealed","revealKey":"8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"})",
    R"({"locale":"zh-TW","rules":[{"id":"m","pattern":"\\bM\\d{4,8}\\b","validator":"luhn"},{"id":"h","pattern":"\\p{Han}{2}\\d+","style":"partial"}]})",
};

pii::Masker& masker(size_t i) {
  static pii::Masker* maskers[5] = {};
  if (maskers[i] == nullptr) {
    auto m = pii::Masker::create(kConfigs[i]);
    if (!m.ok()) __builtin_trap();
    maskers[i] = new pii::Masker(std::move(m).value());
  }
  return *maskers[i];
}

bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  for (size_t i = 0; i < s.size();) {
    const auto d = pii::detail::decode_utf8(p + i, s.size() - i);
    if (!d.valid) return false;
    i += d.len;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  pii::MaskResult r;
  if (masker(data[0] % 5).mask(text, r) != Status::ok) __builtin_trap();
  if (!valid_utf8(r.text)) __builtin_trap();
  uint32_t last_end = 0;
  uint32_t last_masked_end = 0;
  for (const pii::Finding& f : r.findings) {
    if (f.start < last_end || f.end <= f.start || f.end > text.size()) __builtin_trap();
    if (f.masked_start < last_masked_end || f.masked_end <= f.masked_start || f.masked_end > r.text.size()) __builtin_trap();
    if (f.end_utf16 <= f.start_utf16 || f.masked_end_utf16 <= f.masked_start_utf16) __builtin_trap();
    last_end = f.end;
    last_masked_end = f.masked_end;
  }
  // The JSON form must stay well-formed for any input.
  std::string json;
  pii::append_result_json(json, r);
  if (json.empty() || json.front() != '{' || json.back() != '}') __builtin_trap();
  return 0;
}
