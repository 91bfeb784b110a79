// Anonymous public-key encryption to a recipient (libsodium crypto_box_seal: X25519 +
// XSalsa20-Poly1305 with an ephemeral sender key). Used where a value must be readable only by
// the agent desk, e.g. PII reveal tokens. Outputs first, explicit sizes, Status returned.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "sdk/common/status.h"

namespace sealdesk::crypto {

inline constexpr size_t kSealedBoxPublicKeyBytes = 32;
inline constexpr size_t kSealedBoxSecretKeyBytes = 32;
inline constexpr size_t kSealedBoxOverheadBytes = 48;  // ephemeral public key + MAC

// Ciphertext size for a message of message_len bytes.
constexpr size_t sealed_box_sealed_bytes(size_t message_len) { return message_len + kSealedBoxOverheadBytes; }

// Writes a fresh key pair. The caller wipes secret_key when done.
Status sealed_box_keypair(std::span<uint8_t, kSealedBoxPublicKeyBytes> public_key,
                          std::span<uint8_t, kSealedBoxSecretKeyBytes> secret_key);

// Seals message to public_key into out, which must be exactly sealed_box_sealed_bytes(message.size()).
Status sealed_box_seal(std::span<uint8_t> out, std::span<const uint8_t> message,
                       std::span<const uint8_t, kSealedBoxPublicKeyBytes> public_key);

// Opens sealed into out (exactly sealed.size() - kSealedBoxOverheadBytes bytes).
// auth_failed when sealed was altered or is not for this key pair; out is then zeroed.
Status sealed_box_open(std::span<uint8_t> out, std::span<const uint8_t> sealed,
                       std::span<const uint8_t, kSealedBoxPublicKeyBytes> public_key,
                       std::span<const uint8_t, kSealedBoxSecretKeyBytes> secret_key);

}  // namespace sealdesk::crypto
