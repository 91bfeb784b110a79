#include "sdk/crypto/identity.h"

#include <sodium.h>

#include <utility>

#include "sdk/crypto/library.h"

namespace sealdesk::crypto {

static_assert(kIdentityPublicKeyBytes == crypto_sign_PUBLICKEYBYTES);
static_assert(kIdentitySeedBytes == crypto_sign_SEEDBYTES);
static_assert(kSignatureBytes == crypto_sign_BYTES);
static_assert(64 == crypto_sign_SECRETKEYBYTES);

Result<IdentityKey> IdentityKey::generate() {
  if (Status s = ensure_ready(); s != Status::ok) return s;
  IdentityKey key;
  if (crypto_sign_keypair(key.public_key_.data(), key.secret_key_.data()) != 0) return Status::internal;
  return key;
}

Result<IdentityKey> IdentityKey::from_seed(std::span<const uint8_t> seed) {
  if (Status s = ensure_ready(); s != Status::ok) return s;
  if (seed.size() != kIdentitySeedBytes) return Error{Status::invalid_argument, "identity seed must be 32 bytes"};
  IdentityKey key;
  if (crypto_sign_seed_keypair(key.public_key_.data(), key.secret_key_.data(), seed.data()) != 0) {
    return Status::internal;
  }
  return key;
}

IdentityKey::IdentityKey(IdentityKey&& other) noexcept
    : public_key_(other.public_key_), secret_key_(other.secret_key_) {
  wipe(other.secret_key_.data(), other.secret_key_.size());
}

IdentityKey& IdentityKey::operator=(IdentityKey&& other) noexcept {
  if (this != &other) {
    public_key_ = other.public_key_;
    secret_key_ = other.secret_key_;
    wipe(other.secret_key_.data(), other.secret_key_.size());
  }
  return *this;
}

IdentityKey::~IdentityKey() { wipe(secret_key_.data(), secret_key_.size()); }

Signature IdentityKey::sign(std::span<const uint8_t> message) const {
  Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_key_.data());
  return sig;
}

Status IdentityKey::export_seed(std::span<uint8_t, kIdentitySeedBytes> out) const {
  return crypto_sign_ed25519_sk_to_seed(out.data(), secret_key_.data()) == 0 ? Status::ok : Status::internal;
}

Status IdentityKey::open_sealed(std::span<uint8_t> out, std::span<const uint8_t> sealed) const {
  if (sealed.size() < kSealedToIdentityOverheadBytes || out.size() != sealed.size() - kSealedToIdentityOverheadBytes) {
    return Status::auth_failed;
  }
  std::array<uint8_t, crypto_box_SECRETKEYBYTES> x_secret{};
  std::array<uint8_t, crypto_box_PUBLICKEYBYTES> x_public{};
  Status s = Status::ok;
  if (crypto_sign_ed25519_sk_to_curve25519(x_secret.data(), secret_key_.data()) != 0 ||
      crypto_sign_ed25519_pk_to_curve25519(x_public.data(), public_key_.data()) != 0) {
    s = Status::internal;
  } else if (crypto_box_seal_open(out.data(), sealed.data(), sealed.size(), x_public.data(), x_secret.data()) != 0) {
    wipe(out.data(), out.size());
    s = Status::auth_failed;
  }
  wipe(x_secret.data(), x_secret.size());
  return s;
}

Status seal_to_identity(std::span<uint8_t> out, std::span<const uint8_t> message, std::span<const uint8_t> public_key) {
  static_assert(kSealedToIdentityOverheadBytes == crypto_box_SEALBYTES);
  if (Status s = ensure_ready(); s != Status::ok) return s;
  if (public_key.size() != kIdentityPublicKeyBytes || out.size() != message.size() + kSealedToIdentityOverheadBytes) {
    return Status::invalid_argument;
  }
  std::array<uint8_t, crypto_box_PUBLICKEYBYTES> x_public{};
  if (crypto_sign_ed25519_pk_to_curve25519(x_public.data(), public_key.data()) != 0) {
    return Status::invalid_argument;  // not an Ed25519 point
  }
  return crypto_box_seal(out.data(), message.data(), message.size(), x_public.data()) == 0 ? Status::ok : Status::internal;
}

Status verify_signature(std::span<const uint8_t> signature, std::span<const uint8_t> message,
                        std::span<const uint8_t> public_key) {
  if (Status s = ensure_ready(); s != Status::ok) return s;
  if (signature.size() != kSignatureBytes || public_key.size() != kIdentityPublicKeyBytes) {
    return Status::signature_invalid;
  }
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), public_key.data()) == 0
             ? Status::ok
             : Status::signature_invalid;
}

}  // namespace sealdesk::crypto
