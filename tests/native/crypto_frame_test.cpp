#include "sdk/crypto/frame_crypto.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace sealdesk::crypto {
namespace {

std::vector<uint8_t> from_hex(const std::string& hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

std::array<uint8_t, kFrameBaseKeyBytes> base_key(uint8_t first = 0) {
  std::array<uint8_t, kFrameBaseKeyBytes> key{};
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(first + i);
  return key;
}

constexpr uint64_t kKid = 0x01000000;  // epoch 1, purpose 0, customer -> agent, track 0, generation 0

std::vector<uint8_t> random_bytes(size_t n, uint32_t seed) {
  std::vector<uint8_t> v(n);
  std::mt19937 rng(seed);
  for (auto& b : v) b = static_cast<uint8_t>(rng());
  return v;
}

std::vector<uint8_t> vp8_frame(bool key_frame, size_t n) {
  auto f = random_bytes(n, 7);
  f[0] = static_cast<uint8_t>(key_frame ? (f[0] & 0xFE) : (f[0] | 0x01));
  return f;
}

std::vector<uint8_t> h264_frame(size_t slice_bytes, uint32_t seed = 9) {
  std::vector<uint8_t> f = {0, 0, 0, 1, 0x67, 0x42, 0xc0, 0x1e, 0xab, 0xcd,  // SPS
                            0, 0, 0, 1, 0x68, 0xce, 0x3c, 0x80,              // PPS
                            0, 0, 1, 0x65, 0x88};                            // IDR slice header
  auto body = random_bytes(slice_bytes, seed);
  for (size_t i = 2; i < body.size(); ++i) {  // keep the clear H.264 input free of start codes
    if (body[i - 2] == 0 && body[i - 1] == 0 && body[i] <= 3) body[i] = 0x55;
  }
  f.insert(f.end(), body.begin(), body.end());
  return f;
}
constexpr size_t kH264Prefix = 23;  // up to and including the byte after the IDR NAL header

std::vector<uint8_t> seal(FrameSealer& sealer, FrameCodec codec, const std::vector<uint8_t>& frame) {
  std::vector<uint8_t> out(sealed_frame_max_bytes(codec, frame.size()));
  auto sealed = sealer.seal(codec, frame, out);
  EXPECT_TRUE(sealed.ok()) << sealed.error().detail;
  out.resize(sealed.ok() ? sealed.value() : 0);
  return out;
}

Result<std::vector<uint8_t>> open(FrameOpener& opener, FrameCodec codec, const std::vector<uint8_t>& sealed) {
  std::vector<uint8_t> out(sealed.size());
  auto opened = opener.open(codec, sealed, out);
  if (!opened.ok()) return opened.error();
  out.resize(opened.value());
  return out;
}

struct Pair {
  FrameSealer sealer = FrameSealer::create(kKid, base_key()).value();
  FrameOpener opener = FrameOpener::create(kKid, base_key()).value();
};

// RFC 9605 Appendix C.1: header encoding.
TEST(FrameHeader, Rfc9605HeaderVectors) {
  const std::vector<std::tuple<uint64_t, uint64_t, std::string>> vectors = {
      {0x0000000000010000, 0x0000000000000000, "a0010000"},
      {0x0000000000010000, 0x00000000000000ff, "a8010000ff"},
      {0x0000000000010000, 0xffffffffffffffff, "af010000ffffffffffffffff"},
      {0x000000000000ffff, 0x0000000100000000, "9cffff0100000000"},
      {0x0000000001000000, 0x0000000000000001, "b101000000"},
      {0x00000000ffffffff, 0x0000000000010000, "baffffffff010000"},
      {0x0000000100000000, 0x0000000000000100, "c901000000000100"},
      {0x0000010000000000, 0x0000ffffffffffff, "dd010000000000ffffffffffff"},
      {0x0001000000000000, 0x00ffffffffffffff, "ee01000000000000ffffffffffffff"},
      {0x00ffffffffffffff, 0x0000000000000000, "e0ffffffffffffff"},
      {0x0100000000000000, 0x0100000000000000, "ff01000000000000000100000000000000"},
      {0xffffffffffffffff, 0xffffffffffffffff, "ffffffffffffffffffffffffffffffffff"},
      {0x0000000000000123, 0x0000000000004567, "9901234567"},  // Appendix C.3
      {0, 0, "00"},  // values 0..7 sit in the config byte (§4.3)
      {7, 7, "77"},
      {8, 0, "8008"},
  };
  for (const auto& [kid, ctr, hex] : vectors) {
    SCOPED_TRACE(hex);
    std::array<uint8_t, kMaxFrameHeaderBytes> out{};
    const size_t n = encode_frame_header(kid, ctr, out);
    EXPECT_EQ(std::vector<uint8_t>(out.begin(), out.begin() + static_cast<long>(n)), from_hex(hex));
    auto parsed = parse_frame_header(from_hex(hex));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed.value().key_id, kid);
    EXPECT_EQ(parsed.value().counter, ctr);
    EXPECT_EQ(parsed.value().size, n);
  }
}

TEST(FrameHeader, TruncatedOrNonMinimalHeadersAreMalformed) {
  for (const std::string hex : {"", "99", "990123", "8005", "900001", "88", "c9010000000001"}) {
    EXPECT_EQ(parse_frame_header(from_hex(hex)).status(), Status::malformed) << hex;
  }
}

// RFC 9605 Appendix C.3, suite 0x0004 (AES_128_GCM_SHA256_128): the HKDF-SHA256 key schedule is
// the one the private suite uses.
TEST(FrameKeys, Rfc9605KeyScheduleVector) {
  const auto base = from_hex("000102030405060708090a0b0c0d0e0f");
  std::vector<uint8_t> key(16), salt(12);
  ASSERT_EQ(derive_sframe_key_salt(base, 0x123, 0x0004, key, salt), Status::ok);
  EXPECT_EQ(key, from_hex("d34f547f4ca4f9a7447006fe7fcbf768"));
  EXPECT_EQ(salt, from_hex("75234edefe07819026751816"));
}

// Sealed with suite 0xF001, cross-checked with an independent implementation (Python: hmac/hashlib
// HKDF and the `cryptography` package's ChaCha20Poly1305). The node tests use the same vector.
TEST(FrameSealer, KnownAnswerVector) {
  Pair pair;
  std::vector<uint8_t> frame = {0x78};
  const std::string text = "SealDesk frame KAT";
  frame.insert(frame.end(), text.begin(), text.end());
  EXPECT_EQ(seal(pair.sealer, FrameCodec::opus, frame),
            from_hex("78b00100000027c00e33aeeb0cbccd23c474d18191d04ebe1e6b256ba8a9da73c352583bbf2c7ed3"));
  EXPECT_EQ(seal(pair.sealer, FrameCodec::opus, frame),
            from_hex("78b101000000eb7e116b4cd6e29cc3eea2aacd14c3b4d426f384d506ccc2f4b162b9ea802f47671b"));
}

TEST(FrameSealer, AeadMatchesLibsodiumChaCha20Poly1305Ietf) {
  Pair pair;
  const auto frame = random_bytes(1200, 3);
  const auto sealed = seal(pair.sealer, FrameCodec::opaque, frame);
  SecretBytes<kFrameKeyBytes> key;
  SecretBytes<kFrameSaltBytes> salt;
  ASSERT_EQ(derive_frame_key(base_key(), kKid, key, salt), Status::ok);
  const size_t h = parse_frame_header(sealed).value().size;
  std::vector<uint8_t> expected(frame.size() + 16);
  unsigned long long len = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(expected.data(), &len, frame.data(), frame.size(), sealed.data(), h, nullptr,
                                            salt.data(), key.data());  // counter 0: nonce == salt
  EXPECT_EQ(std::vector<uint8_t>(sealed.begin() + static_cast<long>(h), sealed.end()), expected);
}

TEST(FrameCodecPrefix, ClearBytesPerCodec) {
  EXPECT_EQ(frame_clear_prefix_bytes(FrameCodec::opaque, random_bytes(10, 1)).value(), 0u);
  EXPECT_EQ(frame_clear_prefix_bytes(FrameCodec::opus, random_bytes(10, 1)).value(), 1u);
  EXPECT_EQ(frame_clear_prefix_bytes(FrameCodec::vp8, vp8_frame(true, 50)).value(), 10u);
  EXPECT_EQ(frame_clear_prefix_bytes(FrameCodec::vp8, vp8_frame(false, 50)).value(), 3u);
  EXPECT_EQ(frame_clear_prefix_bytes(FrameCodec::h264, h264_frame(100)).value(), kH264Prefix);
  const std::vector<uint8_t> p_slice = {0, 0, 1, 0x41, 0x9a, 0x11, 0x22};
  EXPECT_EQ(frame_clear_prefix_bytes(FrameCodec::h264, p_slice).value(), 5u);

  EXPECT_EQ(frame_clear_prefix_bytes(FrameCodec::opus, {}).status(), Status::malformed);
  EXPECT_EQ(frame_clear_prefix_bytes(FrameCodec::vp8, vp8_frame(true, 9)).status(), Status::malformed);
  EXPECT_EQ(frame_clear_prefix_bytes(FrameCodec::h264, std::vector<uint8_t>{0x65, 1, 2}).status(), Status::malformed);
  const std::vector<uint8_t> sps_only = {0, 0, 0, 1, 0x67, 0x42, 0xc0, 0x1e};
  EXPECT_EQ(frame_clear_prefix_bytes(FrameCodec::h264, sps_only).status(), Status::malformed);
  EXPECT_EQ(frame_clear_prefix_bytes(static_cast<FrameCodec>(9), sps_only).status(), Status::invalid_argument);
}

TEST(FrameSealer, RoundTripKeepsCodecPrefixInTheClear) {
  struct Case {
    FrameCodec codec;
    std::vector<uint8_t> frame;
    size_t prefix;
  };
  const std::vector<Case> cases = {
      {FrameCodec::opaque, random_bytes(1200, 1), 0}, {FrameCodec::opaque, {}, 0},
      {FrameCodec::opus, random_bytes(100, 2), 1},    {FrameCodec::opus, {0xf8}, 1},
      {FrameCodec::vp8, vp8_frame(true, 4000), 10},   {FrameCodec::vp8, vp8_frame(false, 900), 3},
      {FrameCodec::vp8, vp8_frame(false, 3), 3},      {FrameCodec::h264, h264_frame(5000), kH264Prefix},
  };
  Pair pair;
  for (const auto& c : cases) {
    SCOPED_TRACE(static_cast<int>(c.codec));
    const auto sealed = seal(pair.sealer, c.codec, c.frame);
    EXPECT_TRUE(std::equal(c.frame.begin(), c.frame.begin() + static_cast<long>(c.prefix), sealed.begin()));
    if (c.codec != FrameCodec::h264) {
      EXPECT_LE(sealed.size(), c.frame.size() + kMaxFrameHeaderBytes + kFrameTagBytes);
    }
    auto opened = open(pair.opener, c.codec, sealed);
    ASSERT_TRUE(opened.ok()) << opened.error().detail;
    EXPECT_EQ(opened.value(), c.frame);
  }
}

TEST(FrameSealer, SealsAndOpensInPlace) {
  Pair pair;
  const auto frame = vp8_frame(true, 1200);
  std::vector<uint8_t> buffer(sealed_frame_max_bytes(FrameCodec::vp8, frame.size()));
  std::copy(frame.begin(), frame.end(), buffer.begin());
  auto sealed = pair.sealer.seal(FrameCodec::vp8, std::span(buffer).first(frame.size()), buffer);
  ASSERT_TRUE(sealed.ok());
  auto opened = pair.opener.open(FrameCodec::vp8, std::span(buffer).first(sealed.value()), buffer);
  ASSERT_TRUE(opened.ok()) << opened.error().detail;
  EXPECT_EQ(std::vector<uint8_t>(buffer.begin(), buffer.begin() + static_cast<long>(opened.value())), frame);

  const auto h264 = h264_frame(3000);
  std::vector<uint8_t> big(sealed_frame_max_bytes(FrameCodec::h264, h264.size()));
  std::copy(h264.begin(), h264.end(), big.begin());
  sealed = pair.sealer.seal(FrameCodec::h264, std::span(big).first(h264.size()), big);
  ASSERT_TRUE(sealed.ok());
  opened = pair.opener.open(FrameCodec::h264, std::span(big).first(sealed.value()), big);
  ASSERT_TRUE(opened.ok()) << opened.error().detail;
  EXPECT_EQ(std::vector<uint8_t>(big.begin(), big.begin() + static_cast<long>(opened.value())), h264);
}

TEST(FrameSealer, H264PayloadNeverContainsAStartCode) {
  Pair pair;
  size_t escapes = 0;
  for (uint32_t seed = 0; seed < 60; ++seed) {
    const auto frame = h264_frame(20000, seed);
    const auto sealed = seal(pair.sealer, FrameCodec::h264, frame);
    const size_t unescaped = frame.size() + parse_frame_header(std::span(sealed).subspan(kH264Prefix)).value().size + 16;
    escapes += sealed.size() - unescaped;
    for (size_t i = kH264Prefix; i + 2 < sealed.size(); ++i) {
      ASSERT_FALSE(sealed[i] == 0 && sealed[i + 1] == 0 && sealed[i + 2] <= 2) << "start code at " << i << " seed " << seed;
    }
    auto opened = open(pair.opener, FrameCodec::h264, sealed);
    ASSERT_TRUE(opened.ok()) << opened.error().detail;
    EXPECT_EQ(opened.value(), frame);
  }
  EXPECT_GT(escapes, 0u);  // ~1.2 MB of ciphertext: emulation prevention was exercised
}

TEST(FrameOpener, EverySingleBitFlipIsRejectedAndNothingLeaks) {
  const std::vector<std::pair<FrameCodec, std::vector<uint8_t>>> samples = {
      {FrameCodec::opus, random_bytes(120, 4)},
      {FrameCodec::vp8, vp8_frame(true, 200)},
      {FrameCodec::h264, h264_frame(150)},
  };
  for (const auto& [codec, frame] : samples) {
    SCOPED_TRACE(static_cast<int>(codec));
    Pair pair;
    const auto sealed = seal(pair.sealer, codec, frame);
    const std::vector<uint8_t> secret_part(frame.end() - 40, frame.end());
    std::vector<uint8_t> out(sealed.size());
    for (size_t bit = 0; bit < sealed.size() * 8; ++bit) {
      auto flipped = sealed;
      flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
      std::fill(out.begin(), out.end(), 0xEE);
      auto opened = pair.opener.open(codec, flipped, out);
      ASSERT_FALSE(opened.ok()) << "bit " << bit;
      EXPECT_TRUE(std::search(out.begin(), out.end(), secret_part.begin(), secret_part.end()) == out.end());
    }
    auto opened = open(pair.opener, codec, sealed);  // failures left the replay window untouched
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(opened.value(), frame);
  }
}

TEST(FrameOpener, ReplayIsRejectedAndReorderWithinTheWindowAccepted) {
  Pair pair;
  std::vector<std::vector<uint8_t>> sealed;
  for (int i = 0; i < 300; ++i) sealed.push_back(seal(pair.sealer, FrameCodec::opus, random_bytes(60, static_cast<uint32_t>(i))));
  ASSERT_TRUE(open(pair.opener, FrameCodec::opus, sealed[200]).ok());
  EXPECT_EQ(open(pair.opener, FrameCodec::opus, sealed[200]).status(), Status::replayed);
  for (int i = 199; i > 200 - static_cast<int>(kFrameReplayWindow); --i) {
    ASSERT_TRUE(open(pair.opener, FrameCodec::opus, sealed[i]).ok()) << i;  // out of order, inside 128
  }
  EXPECT_EQ(open(pair.opener, FrameCodec::opus, sealed[72]).status(), Status::outside_window);  // 128 behind
  EXPECT_EQ(open(pair.opener, FrameCodec::opus, sealed[150]).status(), Status::replayed);
  ASSERT_TRUE(open(pair.opener, FrameCodec::opus, sealed[299]).ok());  // jumps ahead freely
  EXPECT_EQ(open(pair.opener, FrameCodec::opus, sealed[171]).status(), Status::outside_window);  // 128 behind 299
  ASSERT_TRUE(open(pair.opener, FrameCodec::opus, sealed[201]).ok());                          // never seen, 98 behind
  EXPECT_EQ(open(pair.opener, FrameCodec::opus, sealed[201]).status(), Status::replayed);
}

TEST(FrameOpener, RotationMakesOldKeysUseless) {
  Pair pair;
  const auto frame = random_bytes(500, 5);
  const auto old_generation = seal(pair.sealer, FrameCodec::opaque, frame);
  const auto old_generation_late = seal(pair.sealer, FrameCodec::opaque, frame);
  ASSERT_TRUE(open(pair.opener, FrameCodec::opaque, old_generation).ok());

  ASSERT_EQ(pair.sealer.rotate(), Status::ok);
  EXPECT_EQ(pair.sealer.key_id(), kKid + 1);
  EXPECT_EQ(pair.sealer.next_counter(), 0u);
  const auto new_generation = seal(pair.sealer, FrameCodec::opaque, frame);
  EXPECT_EQ(peek_frame_key_id(FrameCodec::opaque, new_generation).value(), kKid + 1);

  // A forged frame under the next key id does not move the opener.
  auto forged = new_generation;
  forged.back() ^= 1;
  EXPECT_EQ(open(pair.opener, FrameCodec::opaque, forged).status(), Status::auth_failed);
  EXPECT_EQ(pair.opener.key_id(), kKid);

  ASSERT_TRUE(open(pair.opener, FrameCodec::opaque, new_generation).ok());
  EXPECT_EQ(pair.opener.key_id(), kKid + 1);
  auto late = open(pair.opener, FrameCodec::opaque, old_generation_late);
  EXPECT_EQ(late.status(), Status::unknown_key);  // the older generation's key is gone

  // Generations more than 16 ahead are not derived.
  for (int i = 0; i < 17; ++i) ASSERT_EQ(pair.sealer.rotate(), Status::ok);
  EXPECT_EQ(open(pair.opener, FrameCodec::opaque, seal(pair.sealer, FrameCodec::opaque, frame)).status(), Status::unknown_key);
}

TEST(FrameSealer, RotationStopsAtGeneration255) {
  auto sealer = FrameSealer::create(kKid | 0xFE, base_key()).value();
  EXPECT_EQ(sealer.rotate(), Status::ok);
  EXPECT_EQ(sealer.rotate(), Status::too_large);
  EXPECT_EQ(sealer.key_id(), kKid | 0xFF);
}

TEST(FrameOpener, OtherSenderOrKeyIsRejected) {
  auto other_sender = FrameSealer::create(kKid | 0x100, base_key()).value();  // another track
  FrameOpener opener = FrameOpener::create(kKid, base_key()).value();
  EXPECT_EQ(open(opener, FrameCodec::opus, seal(other_sender, FrameCodec::opus, random_bytes(50, 1))).status(),
            Status::unknown_key);
  auto wrong_key = FrameSealer::create(kKid, base_key(1)).value();
  EXPECT_EQ(open(opener, FrameCodec::opus, seal(wrong_key, FrameCodec::opus, random_bytes(50, 1))).status(),
            Status::auth_failed);
}

TEST(FrameSealer, SizeLimitsAndBuffers) {
  Pair pair;
  std::vector<uint8_t> huge(kMaxFrameBytes + 1);
  std::vector<uint8_t> out(16);
  EXPECT_EQ(pair.sealer.seal(FrameCodec::opaque, huge, out).status(), Status::too_large);
  const auto frame = random_bytes(100, 1);
  std::vector<uint8_t> small(frame.size() + 5 + 15);
  EXPECT_EQ(pair.sealer.seal(FrameCodec::opaque, frame, small).status(), Status::buffer_too_small);
  const auto sealed = seal(pair.sealer, FrameCodec::opaque, frame);
  std::vector<uint8_t> short_out(sealed.size() - 1);
  EXPECT_EQ(pair.opener.open(FrameCodec::opaque, sealed, short_out).status(), Status::buffer_too_small);
  std::vector<uint8_t> overlap(300);
  EXPECT_EQ(pair.sealer.seal(FrameCodec::opaque, std::span(overlap).subspan(10, 100), std::span(overlap).subspan(20)).status(),
            Status::invalid_argument);
  EXPECT_EQ(open(pair.opener, FrameCodec::opaque, std::vector<uint8_t>(sealed.begin(), sealed.begin() + 15)).status(),
            Status::malformed);
}

}  // namespace
}  // namespace sealdesk::crypto
