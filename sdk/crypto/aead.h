// The AEADs the records and frames use, composed from ChaCha20 (sdk/crypto/chacha20.h) and
// libsodium's Poly1305, as libsodium's own aead_chacha20poly1305.c and aead_xchacha20poly1305.c
// do. Composed here for two reasons: the frame's associated data comes in two pieces that are
// not adjacent in memory (the clear prefix and the SFrame header are split when H.264 escaping
// moves the encrypted part), and ChaCha20 runs four blocks at a time in WebAssembly. The output
// is byte for byte libsodium's crypto_aead_(x)chacha20poly1305_ietf_*_detached (tests check it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace sealdesk::crypto {

inline constexpr size_t kAeadKeyBytes = 32;
inline constexpr size_t kAeadTagBytes = 16;

// AEAD_CHACHA20_POLY1305 (RFC 8439 §2.8), 12-byte nonce. ciphertext and plaintext: the same
// address or disjoint. The associated data is ad1 || ad2.
void chacha20poly1305_seal(uint8_t* ciphertext, const uint8_t* plaintext, size_t len, std::span<const uint8_t> ad1,
                           std::span<const uint8_t> ad2, const uint8_t nonce[12], const uint8_t key[kAeadKeyBytes],
                           uint8_t tag[kAeadTagBytes]);
// Verifies the tag first, then decrypts; false (nothing written) when it does not authenticate.
bool chacha20poly1305_open(uint8_t* plaintext, const uint8_t* ciphertext, size_t len, std::span<const uint8_t> ad1,
                           std::span<const uint8_t> ad2, const uint8_t nonce[12], const uint8_t key[kAeadKeyBytes],
                           const uint8_t tag[kAeadTagBytes]);

// XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03 §2.3), 24-byte nonce: the subkey is HChaCha20
// of the key and the nonce's first 16 bytes, then ChaCha20-Poly1305 with 4 zero bytes || the
// nonce's last 8 as its nonce.
void xchacha20poly1305_seal(uint8_t* ciphertext, const uint8_t* plaintext, size_t len, std::span<const uint8_t> ad,
                            const uint8_t nonce[24], const uint8_t key[kAeadKeyBytes], uint8_t tag[kAeadTagBytes]);
bool xchacha20poly1305_open(uint8_t* plaintext, const uint8_t* ciphertext, size_t len, std::span<const uint8_t> ad,
                            const uint8_t nonce[24], const uint8_t key[kAeadKeyBytes], const uint8_t tag[kAeadTagBytes]);

}  // namespace sealdesk::crypto
