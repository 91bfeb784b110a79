// The agent's X25519 key pair for one conversation's sealed PII reveal tokens (sdk/pii/masker.h,
// style "sealed"). The secret half never leaves the core: JS holds a handle, reads the public
// half (sent to the customer, sealed) and asks the handle to open a token. Destroying or wiping
// the handle wipes the secret (sodium_memzero through SecretBytes).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "sdk/common/status.h"
#include "sdk/crypto/secret_bytes.h"
#include "sdk/pii/masker.h"

namespace sealdesk::desk {

class RevealKey {
 public:
  static Result<RevealKey> generate();
  RevealKey(RevealKey&&) noexcept = default;
  RevealKey& operator=(RevealKey&&) noexcept = default;

  const std::array<uint8_t, pii::kRevealKeyBytes>& public_key() const { return public_key_; }
  // The original of a "[sealed:type:base64url]" token: malformed, auth_failed (another key, or
  // altered), key_wiped after wipe().
  Result<pii::RevealedValue> open(std::string_view token) const;
  void wipe();
  bool wiped() const { return wiped_; }

 private:
  RevealKey() = default;
  std::array<uint8_t, pii::kRevealKeyBytes> public_key_{};
  crypto::SecretBytes<pii::kRevealKeyBytes> secret_key_;
  bool wiped_ = false;
};

}  // namespace sealdesk::desk
