#include "sdk/crypto/identity.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sealdesk::crypto {
namespace {

std::vector<uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

TEST(IdentityKey, SignatureVerifiesAndTamperFails) {
  auto key = IdentityKey::generate();
  ASSERT_TRUE(key.ok());
  const auto msg = bytes(R"({"consentReceiptID":"r1"})");
  const Signature sig = key.value().sign(msg);
  EXPECT_EQ(verify_signature(sig, msg, key.value().public_key()), Status::ok);

  auto edited = msg;
  edited[5] ^= 1;
  EXPECT_EQ(verify_signature(sig, edited, key.value().public_key()), Status::signature_invalid);
  auto other = IdentityKey::generate();
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(verify_signature(sig, msg, other.value().public_key()), Status::signature_invalid);
  EXPECT_EQ(verify_signature(std::span(sig).first(63), msg, key.value().public_key()), Status::signature_invalid);
}

TEST(IdentityKey, SeedRestoresTheSameIdentity) {
  auto key = IdentityKey::generate();
  ASSERT_TRUE(key.ok());
  std::array<uint8_t, kIdentitySeedBytes> seed{};
  ASSERT_EQ(key.value().export_seed(seed), Status::ok);
  auto again = IdentityKey::from_seed(seed);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().public_key(), key.value().public_key());
  EXPECT_EQ(IdentityKey::from_seed(std::span(seed).first(31)).status(), Status::invalid_argument);
}

TEST(IdentityKey, Rfc8032TestVector1) {
  // RFC 8032 §7.1, TEST 1: empty message.
  const std::vector<uint8_t> seed = {0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a,
                                     0xf4, 0x92, 0xec, 0x2c, 0xc4, 0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32,
                                     0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60};
  const IdentityPublicKey expected_pk = {0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe,
                                         0xd3, 0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6,
                                         0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a};
  auto key = IdentityKey::from_seed(seed);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key.value().public_key(), expected_pk);
  const Signature sig = key.value().sign({});
  EXPECT_EQ(sig[0], 0xe5);
  EXPECT_EQ(sig[63], 0x0b);
}

}  // namespace
}  // namespace sealdesk::crypto
