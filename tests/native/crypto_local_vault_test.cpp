#include "sdk/crypto/local_vault.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "sdk/consent/policy.h"
#include "tests/native/consent_test_support.h"

namespace sealdesk::crypto {
namespace {

std::vector<uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

std::vector<uint8_t> seal(LocalVault& v, const std::string& purpose, const std::string& id, const std::string& text, int64_t now) {
  std::vector<uint8_t> out(LocalVault::sealed_bytes(text.size()));
  auto n = v.seal(purpose, bytes(id), bytes(text), out, now);
  EXPECT_TRUE(n.ok()) << (n.ok() ? "" : n.error().detail);
  out.resize(n.ok() ? n.value() : 0);
  return out;
}

Result<std::string> open(LocalVault& v, const std::string& purpose, const std::string& id, const std::vector<uint8_t>& sealed, int64_t now) {
  std::vector<uint8_t> out(sealed.size());
  auto n = v.open(purpose, bytes(id), sealed, out, now);
  if (!n.ok()) return n.error();
  return std::string(out.begin(), out.begin() + static_cast<long>(n.value()));
}

constexpr int64_t kNow = 1'800'000'000'000;

TEST(LocalVault, RecordsRoundTripAndHideTheirPlaintext) {
  LocalVault v;
  ASSERT_EQ(v.open_purpose("chat", kNow + 1000, kNow), Status::ok);
  const std::string canary = "canary-plum-4471 13812345678";
  auto sealed = seal(v, "chat", "m1", canary, kNow);
  EXPECT_EQ(std::string(sealed.begin(), sealed.end()).find("canary"), std::string::npos);
  auto opened = open(v, "chat", "m1", sealed, kNow + 10);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened.value(), canary);
  // Same plaintext twice: different records (random nonces).
  EXPECT_NE(seal(v, "chat", "m1", canary, kNow), sealed);
}

TEST(LocalVault, RecordsAreBoundToPurposeAndIdAndRefuseTampering) {
  LocalVault v;
  ASSERT_EQ(v.open_purpose("chat", kNow + 1000, kNow), Status::ok);
  ASSERT_EQ(v.open_purpose("voice", kNow + 1000, kNow), Status::ok);
  auto sealed = seal(v, "chat", "m1", "hello", kNow);
  EXPECT_EQ(open(v, "chat", "m2", sealed, kNow).status(), Status::auth_failed);
  EXPECT_EQ(open(v, "voice", "m1", sealed, kNow).status(), Status::auth_failed);
  for (size_t i = 0; i < sealed.size(); ++i) {
    auto altered = sealed;
    altered[i] ^= 0x01;
    EXPECT_EQ(open(v, "chat", "m1", altered, kNow).status(), Status::auth_failed) << "byte " << i;
  }
  std::vector<uint8_t> cut(sealed.begin(), sealed.begin() + 20);
  EXPECT_EQ(open(v, "chat", "m1", cut, kNow).status(), Status::truncated);
}

TEST(LocalVault, RetentionEndWipesTheKeyAndTheRecordsBecomeUnreadable) {
  LocalVault v;
  ASSERT_EQ(v.open_purpose("chat", kNow + 2000, kNow), Status::ok);
  ASSERT_EQ(v.open_purpose("voice", kNow + 5000, kNow), Status::ok);
  auto sealed = seal(v, "chat", "m1", "kept for two seconds", kNow);
  EXPECT_EQ(v.next_deadline(), kNow + 2000);
  EXPECT_TRUE(open(v, "chat", "m1", sealed, kNow + 1999).ok());
  EXPECT_EQ(v.expire(kNow + 1999), std::vector<std::string>{});
  EXPECT_EQ(v.expire(kNow + 2000), std::vector<std::string>{"chat"});
  EXPECT_EQ(open(v, "chat", "m1", sealed, kNow + 2000).status(), Status::not_found);
  // Re-opening the purpose makes a new key: the old records stay unreadable.
  ASSERT_EQ(v.open_purpose("chat", kNow + 9000, kNow + 2000), Status::ok);
  EXPECT_EQ(open(v, "chat", "m1", sealed, kNow + 2001).status(), Status::auth_failed);
  EXPECT_EQ(v.next_deadline(), kNow + 5000);
  // A read after the deadline expires the key by itself, even without expire().
  auto voice = seal(v, "voice", "n1", "note", kNow);
  EXPECT_EQ(open(v, "voice", "n1", voice, kNow + 5000).status(), Status::not_found);
}

TEST(LocalVault, ForgetIsImmediate) {
  LocalVault v;
  ASSERT_EQ(v.open_purpose("chat", kNow + 100000, kNow), Status::ok);
  auto sealed = seal(v, "chat", "m1", "revoked soon", kNow);
  v.forget("chat");
  EXPECT_EQ(open(v, "chat", "m1", sealed, kNow).status(), Status::not_found);
  std::vector<uint8_t> out(64);
  EXPECT_EQ(v.seal("chat", bytes("m2"), bytes("x"), out, kNow).status(), Status::not_found);
  EXPECT_TRUE(v.purposes().empty());
}

TEST(LocalVault, StateSurvivesARestoreAndDropsExpiredKeys) {
  LocalVault v;
  ASSERT_EQ(v.open_purpose("chat", kNow + 1000, kNow), Status::ok);
  ASSERT_EQ(v.open_purpose("attachments", kNow + 50000, kNow), Status::ok);
  auto chat = seal(v, "chat", "m1", "before reload", kNow);
  auto file = seal(v, "attachments", "f1", "file", kNow);
  const auto state = v.export_state();
  auto again = LocalVault::restore(state, kNow + 10);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(open(again.value(), "chat", "m1", chat, kNow + 10).value(), "before reload");
  auto later = LocalVault::restore(state, kNow + 1000);
  ASSERT_TRUE(later.ok());
  ASSERT_EQ(later.value().purposes().size(), 1u);
  EXPECT_EQ(later.value().purposes()[0].purpose, "attachments");
  EXPECT_EQ(open(later.value(), "attachments", "f1", file, kNow + 1000).value(), "file");
  // Malformed states are refused, never half-read.
  for (size_t cut = 0; cut < state.size(); ++cut) {
    EXPECT_FALSE(LocalVault::restore(std::span(state.data(), cut), kNow).ok()) << cut;
  }
  auto extra = state;
  extra.push_back(0);
  EXPECT_EQ(LocalVault::restore(extra, kNow).status(), Status::malformed);
}

TEST(LocalVault, BadArgumentsAreTyped) {
  LocalVault v;
  EXPECT_EQ(v.open_purpose("chat", kNow, kNow), Status::invalid_argument);  // nothing may be kept
  EXPECT_EQ(v.open_purpose("", kNow + 1, kNow), Status::invalid_argument);
  ASSERT_EQ(v.open_purpose("chat", kNow + 1000, kNow), Status::ok);
  std::vector<uint8_t> small(10);
  EXPECT_EQ(v.seal("chat", bytes("m"), bytes("hello"), small, kNow).status(), Status::buffer_too_small);
  std::vector<uint8_t> big(100);
  EXPECT_EQ(v.seal("chat", std::vector<uint8_t>(65, 1), bytes("hello"), big, kNow).status(), Status::invalid_argument);
}

TEST(LocalVault, DeadlinesComeFromThePolicysRetention) {
  auto policy = consent::parse_policy(consent::testing::default_policy_text());
  ASSERT_TRUE(policy.ok()) << policy.error().detail;
  constexpr int64_t kDay = 86'400'000;
  EXPECT_EQ(consent::retention_deadline(policy.value(), "chat", kNow).value(), kNow + 30 * kDay);      // P30D
  EXPECT_EQ(consent::retention_deadline(policy.value(), "face_verification", kNow).value(), kNow + 3'600'000);  // PT1H
  EXPECT_EQ(consent::retention_deadline(policy.value(), "screen_share", kNow).value(), kNow);  // PT0S: keep nothing
  EXPECT_EQ(consent::retention_deadline(policy.value(), "fax", kNow).status(), Status::not_found);
}

}  // namespace
}  // namespace sealdesk::crypto
