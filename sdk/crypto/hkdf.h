// HKDF-SHA256 (RFC 5869) on libsodium's HMAC-SHA256.
//
// Debian's libsodium 1.0.18 predates crypto_kdf_hkdf_sha256_*, so the two steps are written here
// in a few lines over crypto_auth_hmacsha256_*; tests pin them to RFC 5869's Appendix A vectors.
// Why HKDF-SHA256 and not BLAKE2b's KDF: the frame layer follows RFC 9605, whose key schedule is
// HKDF by definition, and one KDF for the whole protocol means one construction to review
// (see sdk/crypto/PROTOCOL.md, "Key derivation").
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>

#include "sdk/common/status.h"

namespace sealdesk::crypto {

inline constexpr size_t kHkdfHashBytes = 32;                        // SHA-256 output
inline constexpr size_t kHkdfMaxOutputBytes = 255 * kHkdfHashBytes;  // RFC 5869 §2.3: L <= 255*HashLen

// PRK = HMAC-SHA256(salt, IKM) (RFC 5869 §2.2). An empty salt means HashLen zero bytes.
Status hkdf_sha256_extract(std::span<uint8_t, kHkdfHashBytes> prk, std::span<const uint8_t> salt,
                           std::span<const uint8_t> ikm);

// OKM = T(1) || T(2) || ... truncated to out.size() (RFC 5869 §2.3). The info string is the
// concatenation of info_parts, so callers can pass a label and binary fields without building
// a buffer. invalid_argument when out is empty or longer than 255*32 bytes.
Status hkdf_sha256_expand(std::span<uint8_t> out, std::span<const uint8_t> prk,
                          std::initializer_list<std::span<const uint8_t>> info_parts);

// Convenience for a text label: info = label bytes (no terminator) || the other parts.
std::span<const uint8_t> label_bytes(const char* label);

}  // namespace sealdesk::crypto
