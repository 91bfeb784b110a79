// ChaCha20 keystream XOR (RFC 8439 §2.4) with a 32-bit initial block counter: the same result
// as libsodium's crypto_stream_chacha20_ietf_xor_ic, which it is everywhere but in WebAssembly
// with SIMD. There it computes four blocks at a time: libsodium 1.0.18 has no vector code for
// WebAssembly, and its scalar ChaCha20 is most of a 1,200-byte media frame's sealing cost.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sealdesk::crypto {

inline constexpr size_t kChaCha20KeyBytes = 32;
inline constexpr size_t kChaCha20NonceBytes = 12;

// out and in may be the same address (in place) or disjoint. The block counter must not wrap:
// (len + 63) / 64 blocks from initial_counter stay below 2^32 (frames are far smaller).
void chacha20_ietf_xor_ic(uint8_t* out, const uint8_t* in, size_t len, const uint8_t nonce[kChaCha20NonceBytes],
                          uint32_t initial_counter, const uint8_t key[kChaCha20KeyBytes]);

}  // namespace sealdesk::crypto
