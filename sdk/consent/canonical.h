// Canonical JSON, digests and text encodings used by consent receipts.
//
// Canonical form: RFC 8785 (JSON Canonicalization Scheme), restricted to the values receipts
// carry: null, booleans, strings, integers within ±(2^53-1), arrays and objects. Object members
// are sorted by their UTF-16 code units (RFC 8785 §3.2.3), strings are escaped as ECMAScript's
// JSON.stringify does (§3.2.2.2), no insignificant whitespace. Floating-point numbers are outside
// the subset and rejected, so a JavaScript verifier reproduces the bytes with
// JSON.stringify on a key-sorted copy.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sdk/common/status.h"

namespace sealdesk::consent {

inline constexpr size_t kDigestBytes = 32;  // BLAKE2b-256
using Digest = std::array<uint8_t, kDigestBytes>;

// The canonical bytes of value; malformed (with a detail) for a float, an integer outside
// ±(2^53-1), invalid UTF-8 or a binary value.
Result<std::string> canonical_json(const nlohmann::json& value);

// BLAKE2b-256 (RFC 7693) of data, unkeyed: libsodium crypto_generichash.
Digest blake2b_256(std::span<const uint8_t> data);
Digest blake2b_256(std::string_view data);

// Lower-case hex, and its strict inverse (nullopt for odd length or a non-hex digit).
std::string to_hex(std::span<const uint8_t> bytes);
std::optional<std::vector<uint8_t>> from_hex(std::string_view hex);

// base64url without padding (RFC 4648 §5), the encoding of JWK "x" and of our signatures.
std::string base64url_encode(std::span<const uint8_t> bytes);
std::optional<std::vector<uint8_t>> base64url_decode(std::string_view text);

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text);
// Number of code points in valid UTF-8 (what JSON Schema's minLength/maxLength count).
size_t utf8_length(std::string_view text);

}  // namespace sealdesk::consent
