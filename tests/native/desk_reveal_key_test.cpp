#include "sdk/desk/reveal_key.h"

#include <gtest/gtest.h>

#include <string>

#include "sdk/pii/masker.h"

namespace sealdesk::desk {
namespace {

std::string hex(const std::array<uint8_t, 32>& key) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : key) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

// The customer's masker seals findings to the agent's public key; only that key's holder opens
// them, and not after wipe().
TEST(DeskRevealKey, OpensTokensSealedToItUntilWiped) {
  auto key = RevealKey::generate();
  ASSERT_TRUE(key.ok());
  auto other = RevealKey::generate();
  ASSERT_TRUE(other.ok());
  EXPECT_NE(key.value().public_key(), other.value().public_key());
  auto masker = pii::Masker::create(R"({"style":"sealed","styles":{},"revealKey":")" + hex(key.value().public_key()) + "\"}");
  ASSERT_TRUE(masker.ok()) << masker.error().detail;
  pii::MaskResult result;
  ASSERT_EQ(masker.value().mask("ID 11010519491231002X", result), Status::ok);
  ASSERT_EQ(result.findings.size(), 1u);
  const auto& f = result.findings[0];
  const std::string token = result.text.substr(f.masked_start, f.masked_end - f.masked_start);
  auto opened = key.value().open(token);
  ASSERT_TRUE(opened.ok()) << opened.error().detail;
  EXPECT_EQ(opened.value().type, "cn_id");
  EXPECT_EQ(opened.value().text, "11010519491231002X");
  EXPECT_EQ(other.value().open(token).status(), Status::auth_failed);
  EXPECT_EQ(key.value().open("[sealed:cn_id:AAAA]").status(), Status::malformed);
  key.value().wipe();
  EXPECT_TRUE(key.value().wiped());
  EXPECT_EQ(key.value().open(token).status(), Status::key_wiped);
}

}  // namespace
}  // namespace sealdesk::desk
