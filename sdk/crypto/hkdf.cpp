#include "sdk/crypto/hkdf.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "sdk/crypto/library.h"

namespace sealdesk::crypto {

static_assert(kHkdfHashBytes == crypto_auth_hmacsha256_BYTES);

Status hkdf_sha256_extract(std::span<uint8_t, kHkdfHashBytes> prk, std::span<const uint8_t> salt,
                           std::span<const uint8_t> ikm) {
  if (Status s = ensure_ready(); s != Status::ok) return s;
  // HMAC pads the key with zeros to the block size, so an empty key equals HashLen zero bytes.
  static const uint8_t kEmpty[1] = {0};
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, salt.empty() ? kEmpty : salt.data(), salt.size());
  crypto_auth_hmacsha256_update(&state, ikm.data(), ikm.size());
  crypto_auth_hmacsha256_final(&state, prk.data());
  wipe(&state, sizeof state);
  return Status::ok;
}

Status hkdf_sha256_expand(std::span<uint8_t> out, std::span<const uint8_t> prk,
                          std::initializer_list<std::span<const uint8_t>> info_parts) {
  if (Status s = ensure_ready(); s != Status::ok) return s;
  if (out.empty() || out.size() > kHkdfMaxOutputBytes || prk.empty()) return Status::invalid_argument;
  crypto_auth_hmacsha256_state keyed;  // HMAC keyed with PRK, reused for every block
  crypto_auth_hmacsha256_init(&keyed, prk.data(), prk.size());
  uint8_t block[kHkdfHashBytes];
  size_t written = 0;
  for (uint8_t counter = 1; written < out.size(); ++counter) {
    crypto_auth_hmacsha256_state state;
    std::memcpy(&state, &keyed, sizeof state);
    if (counter > 1) crypto_auth_hmacsha256_update(&state, block, sizeof block);  // T(i-1)
    for (const auto& part : info_parts) {
      if (!part.empty()) crypto_auth_hmacsha256_update(&state, part.data(), part.size());
    }
    crypto_auth_hmacsha256_update(&state, &counter, 1);
    crypto_auth_hmacsha256_final(&state, block);
    wipe(&state, sizeof state);
    const size_t take = std::min(sizeof block, out.size() - written);
    std::memcpy(out.data() + written, block, take);
    written += take;
  }
  wipe(block, sizeof block);
  wipe(&keyed, sizeof keyed);
  return Status::ok;
}

std::span<const uint8_t> label_bytes(const char* label) {
  return {reinterpret_cast<const uint8_t*>(label), std::strlen(label)};
}

}  // namespace sealdesk::crypto
