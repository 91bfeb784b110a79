#include "sdk/crypto/chacha20.h"

#include <sodium.h>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>

#include <cstring>
#endif

namespace sealdesk::crypto {

#if defined(__wasm_simd128__)
namespace {

// Four blocks side by side: vector i holds state word i of blocks n..n+3 (lane j = block n+j),
// so every quarter round works on all four at once (the usual "vertical" layout).
inline v128_t rotl(v128_t x, int bits) { return wasm_v128_or(wasm_i32x4_shl(x, bits), wasm_u32x4_shr(x, 32 - bits)); }
// 16- and 8-bit rotations are byte moves: one shuffle instead of two shifts and an or.
inline v128_t rotl16(v128_t x) { return wasm_i8x16_shuffle(x, x, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13); }
inline v128_t rotl8(v128_t x) { return wasm_i8x16_shuffle(x, x, 3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14); }

// RFC 8439 §2.1: a += b; d ^= a; d <<<= 16; c += d; b ^= c; b <<<= 12; a += b; d ^= a;
// d <<<= 8; c += d; b ^= c; b <<<= 7.
inline void quarter_round(v128_t& a, v128_t& b, v128_t& c, v128_t& d) {
  a = wasm_i32x4_add(a, b);
  d = rotl16(wasm_v128_xor(d, a));
  c = wasm_i32x4_add(c, d);
  b = rotl(wasm_v128_xor(b, c), 12);
  a = wasm_i32x4_add(a, b);
  d = rotl8(wasm_v128_xor(d, a));
  c = wasm_i32x4_add(c, d);
  b = rotl(wasm_v128_xor(b, c), 7);
}

uint32_t load32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);  // WebAssembly is little-endian, as ChaCha20's words are
  return v;
}

// Writes blocks counter..counter+3 of the keystream (256 bytes) XORed with in into out; in and
// out may be the same. state holds the 16 input words with word 12 unused.
void four_blocks(uint8_t* out, const uint8_t* in, const uint32_t state[16], uint32_t counter) {
  v128_t x[16];
  for (int i = 0; i < 16; ++i) x[i] = wasm_i32x4_splat(static_cast<int32_t>(state[i]));
  x[12] = wasm_i32x4_add(wasm_i32x4_splat(static_cast<int32_t>(counter)), wasm_i32x4_make(0, 1, 2, 3));
  const v128_t counters = x[12];
  for (int round = 0; round < 10; ++round) {  // 20 rounds: 10 column + diagonal pairs (§2.3)
    quarter_round(x[0], x[4], x[8], x[12]);
    quarter_round(x[1], x[5], x[9], x[13]);
    quarter_round(x[2], x[6], x[10], x[14]);
    quarter_round(x[3], x[7], x[11], x[15]);
    quarter_round(x[0], x[5], x[10], x[15]);
    quarter_round(x[1], x[6], x[11], x[12]);
    quarter_round(x[2], x[7], x[8], x[13]);
    quarter_round(x[3], x[4], x[9], x[14]);
  }
  for (int i = 0; i < 16; ++i) {
    x[i] = wasm_i32x4_add(x[i], i == 12 ? counters : wasm_i32x4_splat(static_cast<int32_t>(state[i])));
  }
  // Transpose each group of four words back into block order: group g (words 4g..4g+3) of
  // block j goes to bytes 64j + 16g.
  for (int g = 0; g < 4; ++g) {
    const v128_t a = x[4 * g], b = x[4 * g + 1], c = x[4 * g + 2], d = x[4 * g + 3];
    const v128_t ab_lo = wasm_i32x4_shuffle(a, b, 0, 4, 1, 5);  // a0 b0 a1 b1
    const v128_t cd_lo = wasm_i32x4_shuffle(c, d, 0, 4, 1, 5);
    const v128_t ab_hi = wasm_i32x4_shuffle(a, b, 2, 6, 3, 7);  // a2 b2 a3 b3
    const v128_t cd_hi = wasm_i32x4_shuffle(c, d, 2, 6, 3, 7);
    const v128_t blocks[4] = {
        wasm_i32x4_shuffle(ab_lo, cd_lo, 0, 1, 4, 5), wasm_i32x4_shuffle(ab_lo, cd_lo, 2, 3, 6, 7),
        wasm_i32x4_shuffle(ab_hi, cd_hi, 0, 1, 4, 5), wasm_i32x4_shuffle(ab_hi, cd_hi, 2, 3, 6, 7)};
    for (int j = 0; j < 4; ++j) {
      const size_t at = 64 * static_cast<size_t>(j) + 16 * static_cast<size_t>(g);
      wasm_v128_store(out + at, wasm_v128_xor(wasm_v128_load(in + at), blocks[j]));
    }
  }
}

}  // namespace
#endif

void chacha20_ietf_xor_ic(uint8_t* out, const uint8_t* in, size_t len, const uint8_t nonce[kChaCha20NonceBytes],
                          uint32_t initial_counter, const uint8_t key[kChaCha20KeyBytes]) {
#if defined(__wasm_simd128__)
  // RFC 8439 §2.3: constants "expand 32-byte k", key, block counter, nonce.
  uint32_t state[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
  for (int i = 0; i < 8; ++i) state[4 + i] = load32(key + 4 * i);
  for (int i = 0; i < 3; ++i) state[13 + i] = load32(nonce + 4 * i);
  uint32_t counter = initial_counter;
  while (len >= 256) {
    four_blocks(out, in, state, counter);
    counter += 4;
    out += 256;
    in += 256;
    len -= 256;
  }
  if (len > 0) {  // the tail through a block-sized buffer, wiped after
    uint8_t buffer[256] = {};
    std::memcpy(buffer, in, len);
    four_blocks(buffer, buffer, state, counter);
    std::memcpy(out, buffer, len);
    sodium_memzero(buffer, sizeof buffer);
  }
  sodium_memzero(state, sizeof state);
#else
  crypto_stream_chacha20_ietf_xor_ic(out, in, len, nonce, initial_counter, key);
#endif
}

}  // namespace sealdesk::crypto
