#include "sdk/crypto/sealed_box.h"

#include <sodium.h>

#include "sdk/crypto/library.h"

namespace sealdesk::crypto {

static_assert(kSealedBoxPublicKeyBytes == crypto_box_PUBLICKEYBYTES);
static_assert(kSealedBoxSecretKeyBytes == crypto_box_SECRETKEYBYTES);
static_assert(kSealedBoxOverheadBytes == crypto_box_SEALBYTES);

Status sealed_box_keypair(std::span<uint8_t, kSealedBoxPublicKeyBytes> public_key,
                          std::span<uint8_t, kSealedBoxSecretKeyBytes> secret_key) {
  if (Status s = ensure_ready(); s != Status::ok) return s;
  return crypto_box_keypair(public_key.data(), secret_key.data()) == 0 ? Status::ok : Status::internal;
}

Status sealed_box_seal(std::span<uint8_t> out, std::span<const uint8_t> message,
                       std::span<const uint8_t, kSealedBoxPublicKeyBytes> public_key) {
  if (Status s = ensure_ready(); s != Status::ok) return s;
  if (out.size() != sealed_box_sealed_bytes(message.size())) return Status::buffer_too_small;
  return crypto_box_seal(out.data(), message.data(), message.size(), public_key.data()) == 0 ? Status::ok
                                                                                           : Status::invalid_argument;
}

Status sealed_box_open(std::span<uint8_t> out, std::span<const uint8_t> sealed,
                       std::span<const uint8_t, kSealedBoxPublicKeyBytes> public_key,
                       std::span<const uint8_t, kSealedBoxSecretKeyBytes> secret_key) {
  if (Status s = ensure_ready(); s != Status::ok) return s;
  if (sealed.size() < kSealedBoxOverheadBytes) return Status::malformed;
  if (out.size() != sealed.size() - kSealedBoxOverheadBytes) return Status::buffer_too_small;
  if (crypto_box_seal_open(out.data(), sealed.data(), sealed.size(), public_key.data(), secret_key.data()) != 0) {
    wipe(out.data(), out.size());
    return Status::auth_failed;
  }
  return Status::ok;
}

}  // namespace sealdesk::crypto
