// libFuzzer: the structured-field path of the masker (issue #18). The input picks a field key
// (one that names a PII kind, or its own bytes) and a framing (JSON member, URL query,
// key=value, unterminated), and the rest is the value, so most inputs reach the key lookup
// and the value scan. Must never crash, and: findings in order and inside the text, valid
// UTF-8 out, and a finding typed by its key (name, address) lies inside the value.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sdk/pii/masker.h"
#include "sdk/pii/text.h"

namespace {

using namespace sealdesk;

constexpr std::string_view kKeys[] = {"name",   "realName", "full_name", "address", "addr",     "email", "code",
                                      "smsCode", "mobile",  "idCard",    "phone",   "password", "dob",   "wechat",
                                      "qq",     "qty",      "consignee", "otp"};

pii::Masker& masker(bool partial) {
  static pii::Masker* maskers[2] = {};
  pii::Masker*& m = maskers[partial ? 1 : 0];
  if (m == nullptr) {
    auto created = pii::Masker::create(partial ? R"({"style":"partial"})" : "");
    if (!created.ok()) __builtin_trap();
    m = new pii::Masker(std::move(created).value());
  }
  return *m;
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
  if (size < 2) return 0;
  const uint8_t pick = data[0];
  const uint8_t frame = data[1];
  std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  std::string key;
  if (pick < 0xF0) {
    key = kKeys[pick % (sizeof(kKeys) / sizeof(kKeys[0]))];
  } else {
    const size_t split = rest.find('\0');
    key = std::string(rest.substr(0, split));
    rest = split == std::string_view::npos ? std::string_view() : rest.substr(split + 1);
  }
  std::string text;
  size_t value_start = 0;
  switch (frame % 5) {
    case 0: text = "{\"" + key + "\":\""; value_start = text.size(); text += rest; text += "\"}"; break;
    case 1: text = "{\"" + key + "\" : \""; value_start = text.size(); text += rest; break;  // unterminated
    case 2: text = "https://a.example/p?" + key + "="; value_start = text.size(); text += rest; text += "&x=1"; break;
    case 3: text = "form " + key + "="; value_start = text.size(); text += rest; break;
    default: text = std::string(rest); break;
  }
  pii::MaskResult r;
  if (masker(frame & 0x80).mask(text, r) != Status::ok) __builtin_trap();
  if (!valid_utf8(r.text)) __builtin_trap();
  uint32_t last_end = 0;
  for (const pii::Finding& f : r.findings) {
    if (f.start < last_end || f.end <= f.start || f.end > text.size()) __builtin_trap();
    if (f.masked_end > r.text.size() || f.masked_end <= f.masked_start) __builtin_trap();
    // Only a fixed key is known to hold no field of its own; a fuzzed key may
    // itself read `{"addr": "…"`, and masking that is right.
    if (f.type == "address" && pick < 0xF0 && frame % 5 != 4 && f.start < value_start) __builtin_trap();
    last_end = f.end;
  }
  return 0;
}
