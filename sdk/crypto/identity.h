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

  // Opens a box sealed to this identity (seal_to_identity) into out, exactly
  // sealed.size() - kSealedToIdentityOverheadBytes bytes. auth_failed when it was altered or is
  // for another identity (out is then zeroed); the X25519 secret lives only for this call.
  Status open_sealed(std::span<uint8_t> out, std::span<const uint8_t> sealed) const;

 private:
  IdentityKey() = default;
  IdentityPublicKey public_key_{};
  std::array<uint8_t, 64> secret_key_{};  // libsodium's seed || public key form
};

// Anonymous encryption to an identity's public key, for a message its holder reads later with
// no session between the two (a message left for the agent desk while nobody is online):
// libsodium's crypto_box_seal to the X25519 form of the Ed25519 key (RFC 7748's birational map,
// crypto_sign_ed25519_pk_to_curve25519). One key for signing and sealing is sound here: the
// desk's key is what every widget already pins, and the two uses never share a transcript.
inline constexpr size_t kSealedToIdentityOverheadBytes = 48;  // ephemeral public key + MAC
// out must be exactly message.size() + kSealedToIdentityOverheadBytes. invalid_argument for a
// public key that is not a valid Ed25519 point.
Status seal_to_identity(std::span<uint8_t> out, std::span<const uint8_t> message, std::span<const uint8_t> public_key);

// Verifies a detached Ed25519 signature. signature_invalid when it does not verify.
Status verify_signature(std::span<const uint8_t> signature, std::span<const uint8_t> message,
                        std::span<const uint8_t> public_key);

}  // namespace sealdesk::crypto
