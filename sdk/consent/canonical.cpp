#include "sdk/consent/canonical.h"

#include <sodium.h>

#include <algorithm>
#include <cstdio>

#include "sdk/crypto/library.h"

namespace sealdesk::consent {
namespace {

constexpr int64_t kMaxSafeInteger = 9007199254740991;  // 2^53 - 1, RFC 8785 §3.2.2.3 / I-JSON

// Decodes one code point of valid UTF-8 at text[i], advancing i.
uint32_t next_code_point(std::string_view text, size_t& i) {
  const auto b0 = static_cast<uint8_t>(text[i]);
  if (b0 < 0x80) { i += 1; return b0; }
  if (b0 < 0xE0) {
    const uint32_t cp = ((b0 & 0x1Fu) << 6) | (static_cast<uint8_t>(text[i + 1]) & 0x3Fu);
    i += 2;
    return cp;
  }
  if (b0 < 0xF0) {
    const uint32_t cp = ((b0 & 0x0Fu) << 12) | ((static_cast<uint8_t>(text[i + 1]) & 0x3Fu) << 6) |
                        (static_cast<uint8_t>(text[i + 2]) & 0x3Fu);
    i += 3;
    return cp;
  }
  const uint32_t cp = ((b0 & 0x07u) << 18) | ((static_cast<uint8_t>(text[i + 1]) & 0x3Fu) << 12) |
                      ((static_cast<uint8_t>(text[i + 2]) & 0x3Fu) << 6) | (static_cast<uint8_t>(text[i + 3]) & 0x3Fu);
  i += 4;
  return cp;
}

// UTF-16 code units of valid UTF-8: the order RFC 8785 §3.2.3 sorts member names by.
std::u16string to_utf16(std::string_view text) {
  std::u16string out;
  for (size_t i = 0; i < text.size();) {
    const uint32_t cp = next_code_point(text, i);
    if (cp >= 0x10000) {
      out.push_back(static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

bool append_string(std::string_view text, std::string& out) {
  if (!is_valid_utf8(text)) return false;
  out.push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<uint8_t>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<uint8_t>(c)));
          out += escaped;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return true;
}

Status append_value(const nlohmann::json& value, std::string& out, std::string& detail) {
  using value_t = nlohmann::json::value_t;
  switch (value.type()) {
    case value_t::null: out += "null"; return Status::ok;
    case value_t::boolean: out += value.get<bool>() ? "true" : "false"; return Status::ok;
    case value_t::number_integer: {
      const int64_t n = value.get<int64_t>();
      if (n > kMaxSafeInteger || n < -kMaxSafeInteger) {
        detail = "integer outside ±(2^53-1)";
        return Status::malformed;
      }
      out += std::to_string(n);
      return Status::ok;
    }
    case value_t::number_unsigned: {
      const uint64_t n = value.get<uint64_t>();
      if (n > static_cast<uint64_t>(kMaxSafeInteger)) {
        detail = "integer outside ±(2^53-1)";
        return Status::malformed;
      }
      out += std::to_string(n);
      return Status::ok;
    }
    case value_t::number_float:
      detail = "floating-point numbers are outside the canonical subset";
      return Status::malformed;
    case value_t::string:
      if (!append_string(value.get_ref<const std::string&>(), out)) {
        detail = "string is not valid UTF-8";
        return Status::malformed;
      }
      return Status::ok;
    case value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : value) {
        if (!first) out.push_back(',');
        first = false;
        if (Status s = append_value(item, out, detail); s != Status::ok) return s;
      }
      out.push_back(']');
      return Status::ok;
    }
    case value_t::object: {
      struct Member {
        std::u16string sort_key;
        const std::string* name;
        const nlohmann::json* value;
      };
      std::vector<Member> members;
      members.reserve(value.size());
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!is_valid_utf8(it.key())) {
          detail = "member name is not valid UTF-8";
          return Status::malformed;
        }
        members.push_back({to_utf16(it.key()), &it.key(), &it.value()});
      }
      std::sort(members.begin(), members.end(),
                [](const Member& a, const Member& b) { return a.sort_key < b.sort_key; });
      out.push_back('{');
      bool first = true;
      for (const Member& m : members) {
        if (!first) out.push_back(',');
        first = false;
        append_string(*m.name, out);
        out.push_back(':');
        if (Status s = append_value(*m.value, out, detail); s != Status::ok) return s;
      }
      out.push_back('}');
      return Status::ok;
    }
    case value_t::binary:
    case value_t::discarded:
      break;
  }
  detail = "value type is outside the canonical subset";
  return Status::malformed;
}

}  // namespace

Result<std::string> canonical_json(const nlohmann::json& value) {
  std::string out;
  std::string detail;
  if (Status s = append_value(value, out, detail); s != Status::ok) return Error{s, "canonical JSON: " + detail};
  return out;
}

Digest blake2b_256(std::span<const uint8_t> data) {
  Digest digest{};
  if (crypto::ensure_ready() != Status::ok) return digest;  // unreachable once the engine exists
  crypto_generichash(digest.data(), digest.size(), data.data(), data.size(), nullptr, 0);
  return digest;
}

Digest blake2b_256(std::string_view data) {
  return blake2b_256(std::span(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
}

std::string to_hex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0F]);
  }
  return out;
}

std::optional<std::vector<uint8_t>> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;  // upper case is not our encoding: one spelling per value
  };
  std::vector<uint8_t> out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(hex[2 * i]);
    const int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<uint8_t>((hi << 4) | lo);
  }
  return out;
}

std::string base64url_encode(std::span<const uint8_t> bytes) {
  if (crypto::ensure_ready() != Status::ok) return {};
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
  out.resize(out.size() - 1);  // drop the terminating NUL
  return out;
}

std::optional<std::vector<uint8_t>> base64url_decode(std::string_view text) {
  if (crypto::ensure_ready() != Status::ok) return std::nullopt;
  std::vector<uint8_t> out(text.size() * 3 / 4 + 3);
  size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  // One spelling per value: the canonical re-encoding must give back the same text.
  if (base64url_encode(out) != text) return std::nullopt;
  return out;
}

bool is_valid_utf8(std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  auto cont = [&](size_t k) { return k < n && (static_cast<uint8_t>(text[k]) & 0xC0) == 0x80; };
  while (i < n) {
    const auto b0 = static_cast<uint8_t>(text[i]);
    if (b0 < 0x80) {
      i += 1;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
      if (!cont(i + 1)) return false;
      i += 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      if (!cont(i + 1) || !cont(i + 2)) return false;
      const auto b1 = static_cast<uint8_t>(text[i + 1]);
      if (b0 == 0xE0 && b1 < 0xA0) return false;  // overlong
      if (b0 == 0xED && b1 > 0x9F) return false;  // UTF-16 surrogate
      i += 3;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return false;
      const auto b1 = static_cast<uint8_t>(text[i + 1]);
      if (b0 == 0xF0 && b1 < 0x90) return false;  // overlong
      if (b0 == 0xF4 && b1 > 0x8F) return false;  // above U+10FFFF
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

size_t utf8_length(std::string_view text) {
  size_t count = 0;
  for (const char c : text) {
    if ((static_cast<uint8_t>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

}  // namespace sealdesk::consent
