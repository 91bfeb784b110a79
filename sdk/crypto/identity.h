// A long-term Ed25519 identity: the agent desk's pinned key, or the customer's per-install key
// that signs consent receipts and authenticates the session handshake. The secret half never
// leaves the core except as the 32-byte seed the JS layer persists for this install.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "sdk/common/status.h"

namespace sealdesk::crypto {

inline constexpr size_t kIdentityPublicKeyBytes = 32;
inline constexpr size_t kIdentitySeedBytes = 32;
inline constexpr size_t kSignatureBytes = 64;

using IdentityPublicKey = std::array<uint8_t, kIdentityPublicKeyBytes>;
using Signature = std::array<uint8_t, kSignatureBytes>;

class IdentityKey {
 public:
  // A fresh random identity.
  static Result<IdentityKey> generate();
  // The identity derived from a stored seed (deterministic).
  static Result<IdentityKey> from_seed(std::span<const uint8_t> seed);

  IdentityKey(IdentityKey&& other) noexcept;
  IdentityKey& operator=(IdentityKey&& other) noexcept;
  IdentityKey(const IdentityKey&) = delete;
  IdentityKey& operator=(const IdentityKey&) = delete;
  ~IdentityKey();  // wipes the secret key

  const IdentityPublicKey& public_key() const { return public_key_; }

  // Ed25519 detached signature over message (RFC 8032, pure Ed25519).
  Signature sign(std::span<const uint8_t> message) const;

  // Copies the seed out (for persistence by the caller, who must wipe its copy).
  Status export_seed(std::span<uint8_t, kIdentitySeedBytes> out) const;

 private:
  IdentityKey() = default;
  IdentityPublicKey public_key_{};
  std::array<uint8_t, 64> secret_key_{};  // libsodium's seed || public key form
};

// Verifies a detached Ed25519 signature. signature_invalid when it does not verify.
Status verify_signature(std::span<const uint8_t> signature, std::span<const uint8_t> message,
                        std::span<const uint8_t> public_key);

}  // namespace sealdesk::crypto
