#include "sdk/desk/chat_send.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "sdk/desk/payload.h"
#include "sdk/desk/record_body.h"
#include "sdk/desk/reveal_key.h"
#include "tests/native/consent_test_support.h"
#include "tests/native/desk_test_support.h"

namespace sealdesk::desk {
namespace {

using testing::SessionPair;

constexpr int64_t kNow = 1'760'000'000'000;

nlohmann::json open_at_agent(session::Session& agent, const std::vector<uint8_t>& payload) {
  auto decoded = decode_payload(payload);
  EXPECT_TRUE(decoded.ok());
  std::vector<uint8_t> out(payload.size());
  auto opened = agent.open_message(decoded.value().bytes, out);
  EXPECT_TRUE(opened.ok()) << opened.error().detail;
  auto body = decode_body(std::span(out).first(opened.ok() ? opened.value().length : 0), 0);
  EXPECT_TRUE(body.ok());
  return nlohmann::json::parse(body.ok() ? body.value().json : "{}");
}

TEST(DeskChatSend, ConsentThenMaskThenSealInOneCall) {
  auto engine = consent::testing::make_engine();
  auto masker = pii::Masker::create().value();
  SessionPair pair;
  pair.handshake({"routing", "chat"});
  pii::MaskResult masked;
  std::vector<uint8_t> payload;
  std::string why;
  // No chat grant: refused before anything is masked or sealed.
  EXPECT_EQ(seal_chat_message(engine, masker, pair.customer, "call 13812345678", "m1", kNow, 0, masked, payload, &why),
            Status::consent_required);
  EXPECT_TRUE(payload.empty());
  EXPECT_NE(why.find("chat"), std::string::npos);
  ASSERT_TRUE(engine.grant({"routing", "chat"}, kNow).ok());
  ASSERT_EQ(seal_chat_message(engine, masker, pair.customer, "call 13812345678 ok", "m1", kNow, 3, masked, payload), Status::ok);
  EXPECT_EQ(payload[0], static_cast<uint8_t>(PayloadKind::record));
  const std::string wire(payload.begin(), payload.end());
  EXPECT_EQ(wire.find("13812345678"), std::string::npos);
  EXPECT_EQ(wire.find("call"), std::string::npos);
  const auto body = open_at_agent(pair.agent, payload);
  EXPECT_EQ(body["text"], masked.text);
  EXPECT_EQ(body["text"].get<std::string>().find("13812345678"), std::string::npos);
  EXPECT_EQ(body["cs"], 3);
  EXPECT_EQ(body["at"], kNow);
  ASSERT_EQ(body["findings"].size(), 1u);
  EXPECT_EQ(body["findings"][0]["maskedStart"], masked.findings[0].masked_start_utf16);

  // Blank, oversized and revoked: typed errors, nothing sealed.
  EXPECT_EQ(seal_chat_message(engine, masker, pair.customer, " \n\t", "m2", kNow, 3, masked, payload), Status::invalid_argument);
  EXPECT_EQ(seal_chat_message(engine, masker, pair.customer, std::string(kMaxTextUnits + 1, 'a'), "m3", kNow, 3, masked, payload),
            Status::too_large);
  EXPECT_TRUE(payload.empty());
  ASSERT_EQ(pair.customer.wipe_purpose("chat"), Status::ok);
  EXPECT_EQ(seal_chat_message(engine, masker, pair.customer, "hello", "m4", kNow, 3, masked, payload), Status::key_wiped);
  EXPECT_TRUE(payload.empty());
}

// One masking pass gives the label the agent sees and, only while pii_reveal is granted, the
// sealed original it may open: the two always describe the same finding.
TEST(DeskChatSend, RevealTokensComeFromTheSameMaskingPassAndOnlyWithTheGrant) {
  auto engine = consent::testing::make_engine();
  auto masker = pii::Masker::create().value();
  auto reveal = RevealKey::generate().value();
  SessionPair pair;
  pair.handshake({"routing", "chat", "pii_reveal"});
  ASSERT_TRUE(engine.grant({"routing", "chat"}, kNow).ok());
  pii::MaskResult masked;
  std::vector<uint8_t> payload;
  const std::string text = "card 6222 0212 3456 7890 128, call 13812345678";
  // Without pii_reveal: the key is ignored, no finding carries an original.
  ASSERT_EQ(seal_chat_message(engine, masker, pair.customer, text, "m1", kNow, 0, masked, payload, nullptr, reveal.public_key()), Status::ok);
  auto body = open_at_agent(pair.agent, payload);
  ASSERT_EQ(body["findings"].size(), 2u);
  for (const auto& f : body["findings"]) EXPECT_FALSE(f.contains("reveal"));
  EXPECT_TRUE(masked.reveal_tokens.empty());

  ASSERT_TRUE(engine.grant({"pii_reveal"}, kNow).ok());
  ASSERT_EQ(seal_chat_message(engine, masker, pair.customer, text, "m2", kNow, 0, masked, payload, nullptr, reveal.public_key()), Status::ok);
  body = open_at_agent(pair.agent, payload);
  ASSERT_EQ(body["findings"].size(), 2u);
  const std::string masked_text = body["text"];
  EXPECT_EQ(masked_text.find("13812345678"), std::string::npos);
  std::vector<std::string> originals;
  for (const auto& f : body["findings"]) {
    ASSERT_TRUE(f.contains("reveal"));
    auto opened = reveal.open(f["reveal"].get<std::string>());
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(opened.value().type, f["type"]);  // the token is the finding's own
    originals.push_back(opened.value().text);
  }
  EXPECT_EQ(originals, (std::vector<std::string>{"6222 0212 3456 7890 128", "13812345678"}));
  // Another desk's key opens none of them.
  auto other = RevealKey::generate().value();
  EXPECT_FALSE(other.open(body["findings"][0]["reveal"].get<std::string>()).ok());
}

}  // namespace
}  // namespace sealdesk::desk
