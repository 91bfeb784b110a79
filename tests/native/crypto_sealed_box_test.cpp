#include "sdk/crypto/sealed_box.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "sdk/crypto/library.h"

namespace sealdesk::crypto {
namespace {

std::vector<uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

struct KeyPair {
  std::array<uint8_t, kSealedBoxPublicKeyBytes> pk{};
  std::array<uint8_t, kSealedBoxSecretKeyBytes> sk{};
  KeyPair() { EXPECT_EQ(sealed_box_keypair(pk, sk), Status::ok); }
  ~KeyPair() { wipe(sk.data(), sk.size()); }
};

TEST(SealedBox, LibraryReportsDebianVersion) {
  ASSERT_EQ(ensure_ready(), Status::ok);
  EXPECT_EQ(std::string(sodium_version()), "1.0.18");
}

TEST(SealedBox, RoundTripRestoresMessage) {
  KeyPair kp;
  const auto msg = bytes("身份证 110101199003071234 — only the agent may read this");
  std::vector<uint8_t> sealed(sealed_box_sealed_bytes(msg.size()));
  ASSERT_EQ(sealed_box_seal(sealed, msg, kp.pk), Status::ok);
  EXPECT_NE(std::vector<uint8_t>(sealed.begin() + kSealedBoxOverheadBytes, sealed.end()), msg);

  std::vector<uint8_t> opened(msg.size());
  ASSERT_EQ(sealed_box_open(opened, sealed, kp.pk, kp.sk), Status::ok);
  EXPECT_EQ(opened, msg);
}

TEST(SealedBox, SealingTwiceGivesDifferentCiphertexts) {
  KeyPair kp;
  const auto msg = bytes("same input");
  std::vector<uint8_t> a(sealed_box_sealed_bytes(msg.size())), b(a.size());
  ASSERT_EQ(sealed_box_seal(a, msg, kp.pk), Status::ok);
  ASSERT_EQ(sealed_box_seal(b, msg, kp.pk), Status::ok);
  EXPECT_NE(a, b);  // a fresh ephemeral key each time: equal inputs are not linkable
}

TEST(SealedBox, EveryBitFlipIsRejectedAndOutputZeroed) {
  KeyPair kp;
  const auto msg = bytes("card 6222 0200 0000 0000 000");
  std::vector<uint8_t> sealed(sealed_box_sealed_bytes(msg.size()));
  ASSERT_EQ(sealed_box_seal(sealed, msg, kp.pk), Status::ok);
  std::vector<uint8_t> opened(msg.size());
  for (size_t bit = 0; bit < sealed.size() * 8; ++bit) {
    auto tampered = sealed;
    tampered[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    std::fill(opened.begin(), opened.end(), 0xAA);
    ASSERT_EQ(sealed_box_open(opened, tampered, kp.pk, kp.sk), Status::auth_failed) << "bit " << bit;
    ASSERT_EQ(opened, std::vector<uint8_t>(msg.size(), 0)) << "bit " << bit;
  }
}

TEST(SealedBox, WrongRecipientCannotOpen) {
  KeyPair alice, mallory;
  const auto msg = bytes("for alice");
  std::vector<uint8_t> sealed(sealed_box_sealed_bytes(msg.size())), opened(msg.size());
  ASSERT_EQ(sealed_box_seal(sealed, msg, alice.pk), Status::ok);
  EXPECT_EQ(sealed_box_open(opened, sealed, mallory.pk, mallory.sk), Status::auth_failed);
}

TEST(SealedBox, SizesAreChecked) {
  KeyPair kp;
  const auto msg = bytes("x");
  std::vector<uint8_t> small(sealed_box_sealed_bytes(msg.size()) - 1);
  EXPECT_EQ(sealed_box_seal(small, msg, kp.pk), Status::buffer_too_small);
  std::vector<uint8_t> short_input(kSealedBoxOverheadBytes - 1), out(0);
  EXPECT_EQ(sealed_box_open(out, short_input, kp.pk, kp.sk), Status::malformed);
}

}  // namespace
}  // namespace sealdesk::crypto
