#include "sdk/crypto/aead.h"

#include <sodium.h>

#include "sdk/crypto/chacha20.h"
#include "sdk/crypto/library.h"

namespace sealdesk::crypto {
namespace {

static_assert(crypto_aead_chacha20poly1305_ietf_KEYBYTES == kAeadKeyBytes);
static_assert(crypto_aead_chacha20poly1305_ietf_ABYTES == kAeadTagBytes);
static_assert(crypto_core_hchacha20_OUTPUTBYTES == kAeadKeyBytes);

void poly1305_pad(crypto_onetimeauth_poly1305_state* state, size_t len) {
  static const uint8_t kZeros[16] = {};
  if (len % 16 != 0) crypto_onetimeauth_poly1305_update(state, kZeros, 16 - len % 16);
}

void poly1305_lengths(crypto_onetimeauth_poly1305_state* state, uint64_t ad_len, uint64_t ct_len) {
  uint8_t lengths[16];
  for (int i = 0; i < 8; ++i) {
    lengths[i] = static_cast<uint8_t>(ad_len >> (8 * i));
    lengths[8 + i] = static_cast<uint8_t>(ct_len >> (8 * i));
  }
  crypto_onetimeauth_poly1305_update(state, lengths, sizeof lengths);
}

// RFC 8439 §2.8: the one-time Poly1305 key is block 0 of the keystream; the message is
// ad | pad16 | ciphertext | pad16 | len(ad) | len(ciphertext), lengths little-endian 64-bit.
void compute_tag(uint8_t tag[kAeadTagBytes], std::span<const uint8_t> ad1, std::span<const uint8_t> ad2,
                 const uint8_t* ciphertext, size_t len, const uint8_t nonce[12], const uint8_t* key) {
  uint8_t block0[64];
  crypto_stream_chacha20_ietf(block0, sizeof block0, nonce, key);
  crypto_onetimeauth_poly1305_state state;
  crypto_onetimeauth_poly1305_init(&state, block0);
  wipe(block0, sizeof block0);
  if (!ad1.empty()) crypto_onetimeauth_poly1305_update(&state, ad1.data(), ad1.size());
  if (!ad2.empty()) crypto_onetimeauth_poly1305_update(&state, ad2.data(), ad2.size());
  poly1305_pad(&state, ad1.size() + ad2.size());
  if (len > 0) crypto_onetimeauth_poly1305_update(&state, ciphertext, len);
  poly1305_pad(&state, len);
  poly1305_lengths(&state, ad1.size() + ad2.size(), len);
  crypto_onetimeauth_poly1305_final(&state, tag);
  wipe(&state, sizeof state);
}

// draft-irtf-cfrg-xchacha-03 §2.3: subkey and the 12-byte nonce for ChaCha20-Poly1305.
void xchacha_subkey(const uint8_t nonce[24], const uint8_t key[kAeadKeyBytes], uint8_t subkey[kAeadKeyBytes],
                    uint8_t inner_nonce[12]) {
  crypto_core_hchacha20(subkey, nonce, key, nullptr);
  for (int i = 0; i < 4; ++i) inner_nonce[i] = 0;
  for (int i = 0; i < 8; ++i) inner_nonce[4 + i] = nonce[16 + i];
}

}  // namespace

void chacha20poly1305_seal(uint8_t* ciphertext, const uint8_t* plaintext, size_t len, std::span<const uint8_t> ad1,
                           std::span<const uint8_t> ad2, const uint8_t nonce[12], const uint8_t key[kAeadKeyBytes],
                           uint8_t tag[kAeadTagBytes]) {
  if (len > 0) chacha20_ietf_xor_ic(ciphertext, plaintext, len, nonce, 1, key);  // empty: no pointers
  compute_tag(tag, ad1, ad2, ciphertext, len, nonce, key);
}

bool chacha20poly1305_open(uint8_t* plaintext, const uint8_t* ciphertext, size_t len, std::span<const uint8_t> ad1,
                           std::span<const uint8_t> ad2, const uint8_t nonce[12], const uint8_t key[kAeadKeyBytes],
                           const uint8_t tag[kAeadTagBytes]) {
  uint8_t expected[kAeadTagBytes];
  compute_tag(expected, ad1, ad2, ciphertext, len, nonce, key);
  const bool authentic = crypto_verify_16(expected, tag) == 0;
  wipe(expected, sizeof expected);
  if (!authentic) return false;
  if (len > 0) chacha20_ietf_xor_ic(plaintext, ciphertext, len, nonce, 1, key);
  return true;
}

void xchacha20poly1305_seal(uint8_t* ciphertext, const uint8_t* plaintext, size_t len, std::span<const uint8_t> ad,
                            const uint8_t nonce[24], const uint8_t key[kAeadKeyBytes], uint8_t tag[kAeadTagBytes]) {
  uint8_t subkey[kAeadKeyBytes];
  uint8_t inner_nonce[12];
  xchacha_subkey(nonce, key, subkey, inner_nonce);
  chacha20poly1305_seal(ciphertext, plaintext, len, ad, {}, inner_nonce, subkey, tag);
  wipe(subkey, sizeof subkey);
}

bool xchacha20poly1305_open(uint8_t* plaintext, const uint8_t* ciphertext, size_t len, std::span<const uint8_t> ad,
                            const uint8_t nonce[24], const uint8_t key[kAeadKeyBytes], const uint8_t tag[kAeadTagBytes]) {
  uint8_t subkey[kAeadKeyBytes];
  uint8_t inner_nonce[12];
  xchacha_subkey(nonce, key, subkey, inner_nonce);
  const bool authentic = chacha20poly1305_open(plaintext, ciphertext, len, ad, {}, inner_nonce, subkey, tag);
  wipe(subkey, sizeof subkey);
  return authentic;
}

}  // namespace sealdesk::crypto
