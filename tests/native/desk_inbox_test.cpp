#include "sdk/desk/inbox.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "sdk/consent/canonical.h"
#include "tests/native/desk_test_support.h"

namespace sealdesk::desk {
namespace {

using testing::SessionPair;
using testing::seal_record;

constexpr double kNow = 1'760'000'000'000;
const std::vector<std::string> kPurposes = {"routing", "chat", "voice", "pii_reveal"};

std::string consent_update(bool chat, bool voice, bool reveal) {
  auto state = [](bool g) { return g ? "granted" : "denied"; };
  return nlohmann::json{{"t", "consent"},
                        {"summary", {{"purposes", {{"routing", "granted"}, {"chat", state(chat)}, {"voice", state(voice)}, {"pii_reveal", state(reveal)}}}}}}
      .dump();
}

const std::string kText = R"({"t":"text","id":"m1","text":"my order is late","findings":[],"at":1})";

TEST(DeskInbox, AgentTakesChatTextAndTypingUnderChatOnly) {
  SessionPair pair;
  pair.handshake(kPurposes);
  AgentInbox inbox;
  InboundRecord in;
  ASSERT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "chat", kText), kNow, in), Status::ok);
  EXPECT_EQ(in.type, BodyType::text);
  EXPECT_EQ(in.purpose, "chat");
  EXPECT_EQ(nlohmann::json::parse(in.json)["text"], "my order is late");
  ASSERT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "chat", R"({"t":"typing"})"), kNow, in), Status::ok);
  EXPECT_EQ(in.type, BodyType::typing);
  // The same text under voice or routing is dropped: it would show what chat consent never covered.
  std::string why;
  EXPECT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "voice", kText), kNow, in, &why), Status::malformed);
  EXPECT_NE(why.find("under voice"), std::string::npos);
  EXPECT_TRUE(in.json.empty());
  EXPECT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "routing", kText), kNow, in), Status::malformed);
  // A customer has no reveal key to offer, and a consent update under chat is not one.
  EXPECT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "routing", R"({"t":"reveal-key","key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})"), kNow, in),
            Status::malformed);
  EXPECT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "chat", consent_update(true, true, true), 1), kNow, in), Status::malformed);
  EXPECT_TRUE(pair.agent.has_keys("voice"));  // the misplaced update changed nothing
}

TEST(DeskInbox, TamperedAndReplayedRecordsAreRefused) {
  SessionPair pair;
  pair.handshake(kPurposes);
  AgentInbox inbox;
  InboundRecord in;
  auto record = seal_record(pair.customer, "chat", kText);
  auto tampered = record;
  tampered[tampered.size() / 2] ^= 1;
  EXPECT_EQ(inbox.receive(pair.agent, tampered, kNow, in), Status::auth_failed);
  ASSERT_EQ(inbox.receive(pair.agent, record, kNow, in), Status::ok);
  EXPECT_EQ(inbox.receive(pair.agent, record, kNow, in), Status::replayed);
  EXPECT_EQ(inbox.receive(pair.agent, std::vector<uint8_t>{1, 2, 3}, kNow, in), Status::malformed);
  EXPECT_FALSE(inbox.closed(pair.agent));
}

TEST(DeskInbox, ConsentUpdateWipesWhatItDoesNotGrant) {
  SessionPair pair;
  pair.handshake(kPurposes);
  AgentInbox inbox;
  InboundRecord in;
  ASSERT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "routing", consent_update(true, true, true), 1), kNow, in), Status::ok);
  EXPECT_TRUE(in.reveal_granted);
  EXPECT_TRUE(inbox.stopped().empty());
  ASSERT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "routing", consent_update(true, false, false), 2), kNow, in), Status::ok);
  EXPECT_FALSE(in.reveal_granted);
  EXPECT_EQ(inbox.stopped(), (std::vector<std::string>{"voice", "pii_reveal"}));
  EXPECT_FALSE(pair.agent.has_keys("voice"));
  EXPECT_TRUE(pair.agent.has_keys("chat"));
  // An update that leaves chat out (not even "denied") still takes chat's keys: fail closed.
  const std::string partial = R"({"t":"consent","summary":{"purposes":{"routing":"granted"}}})";
  ASSERT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "routing", partial, 3), kNow, in), Status::ok);
  EXPECT_EQ(inbox.stopped(), std::vector<std::string>{"chat"});
  EXPECT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "chat", kText, 3), kNow, in), Status::key_wiped);
}

TEST(DeskInbox, DroppedRevokeStopsTheEpochUntilANewHandshake) {
  SessionPair pair;
  pair.handshake(kPurposes);
  AgentInbox inbox;
  InboundRecord in;
  ASSERT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "routing", consent_update(true, true, true), 1), kNow, in), Status::ok);
  // Update 2 revokes voice; the relay drops it. The next chat line names update 2.
  (void)seal_record(pair.customer, "routing", consent_update(true, false, true), 2);
  std::string why;
  EXPECT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "chat", kText, 2), kNow, in, &why), Status::consent_gap);
  EXPECT_TRUE(in.json.empty());
  EXPECT_TRUE(inbox.closed(pair.agent));
  EXPECT_EQ(inbox.stopped(), (std::vector<std::string>{"chat", "voice", "pii_reveal"}));
  for (const auto& p : kPurposes) EXPECT_FALSE(pair.agent.has_keys(p)) << p;
  // Closed for the rest of the epoch, whatever comes next.
  EXPECT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "routing", consent_update(true, false, true), 3), kNow, in),
            Status::consent_gap);
  // The customer reconnects: a new epoch, a new count, the conversation goes on.
  pair.handshake({"routing", "chat"});
  EXPECT_FALSE(inbox.closed(pair.agent)) << "the new epoch is open before its first record";
  ASSERT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "chat", R"({"t":"text","id":"m9","text":"back","at":2})"), kNow, in),
            Status::ok);
  EXPECT_FALSE(inbox.closed(pair.agent));
}

std::string with_privacy(std::string update) {
  auto doc = nlohmann::json::parse(update);
  doc["summary"]["privacy"] = true;
  return doc.dump();
}

TEST(DeskInbox, PrivacyModeIsOnFromTheCustomersUpdateAndNeverOffAgain) {
  SessionPair pair;
  pair.handshake(kPurposes);
  AgentInbox inbox;
  InboundRecord in;
  ASSERT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "routing", consent_update(true, true, true), 1), kNow, in), Status::ok);
  EXPECT_FALSE(in.privacy_mode);
  EXPECT_FALSE(inbox.privacy_mode());
  // Switched on mid-conversation: the update says so and every later record carries it.
  ASSERT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "routing", with_privacy(consent_update(true, true, true)), 2), kNow, in), Status::ok);
  EXPECT_TRUE(in.privacy_mode);
  EXPECT_TRUE(nlohmann::json::parse(in.json)["summary"]["privacy"].get<bool>());
  ASSERT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "chat", kText, 2), kNow, in), Status::ok);
  EXPECT_TRUE(in.privacy_mode);
  // A later update without the flag (old software, or one replayed from before) does not end it.
  ASSERT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "routing", consent_update(true, true, true), 3), kNow, in), Status::ok);
  EXPECT_TRUE(inbox.privacy_mode());
  // Nor does a new epoch (a reconnect): it holds for the whole conversation.
  pair.handshake(kPurposes);
  ASSERT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "chat", kText), kNow, in), Status::ok);
  EXPECT_TRUE(in.privacy_mode);
  // Only `true` is a flag: anything else is malformed, and changes nothing.
  auto odd = nlohmann::json::parse(consent_update(true, true, true));
  odd["summary"]["privacy"] = "off";
  AgentInbox fresh;
  SessionPair other;
  other.handshake(kPurposes);
  // encode_body refuses to seal it; a buggy or hostile peer seals the bytes itself.
  odd["cs"] = 1;
  const std::string text = odd.dump();
  EXPECT_FALSE(encode_body(text, 1).ok());
  std::vector<uint8_t> raw(session::Session::sealed_message_bytes(text.size()));
  auto n = other.customer.seal_message("routing", std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()), raw);
  ASSERT_TRUE(n.ok());
  raw.resize(n.value());
  EXPECT_EQ(fresh.receive(other.agent, raw, kNow, in), Status::malformed);
  EXPECT_FALSE(fresh.privacy_mode());
}

TEST(DeskInbox, EndWipesEveryKeyAtOnceAndSaysToForgetInPrivacyMode) {
  for (const bool privacy : {false, true}) {
    SCOPED_TRACE(privacy ? "privacy mode" : "plain");
    SessionPair pair;
    pair.handshake(kPurposes);
    AgentInbox inbox;
    InboundRecord in;
    const std::string update = consent_update(true, true, true);
    ASSERT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "routing", privacy ? with_privacy(update) : update, 1), kNow, in), Status::ok);
    ASSERT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "chat", kText, 1), kNow, in), Status::ok);
    // A record sealed before the end and delivered after it (the relay held it back).
    const auto late = seal_record(pair.customer, "chat", kText, 1);
    EXPECT_EQ(inbox.end(pair.agent), privacy);
    for (const std::string& p : kPurposes) EXPECT_FALSE(pair.agent.has_keys(p)) << p;
    EXPECT_NE(inbox.receive(pair.agent, late, kNow, in), Status::ok);
    EXPECT_TRUE(in.json.empty());
    EXPECT_EQ(inbox.end(pair.agent), privacy);  // a second end (a transfer after the end) changes nothing
  }
}

TEST(DeskInbox, DroppedPrivacySwitchStopsTheConversation) {
  // The switch is a consent update: a relay that drops it so the agent keeps a copy is caught.
  SessionPair pair;
  pair.handshake(kPurposes);
  AgentInbox inbox;
  InboundRecord in;
  ASSERT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "routing", consent_update(true, true, true), 1), kNow, in), Status::ok);
  (void)seal_record(pair.customer, "routing", with_privacy(consent_update(true, true, true)), 2);  // dropped
  EXPECT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "chat", kText, 2), kNow, in), Status::consent_gap);
  EXPECT_FALSE(pair.agent.has_keys("chat"));
  EXPECT_TRUE(in.json.empty());
}

TEST(DeskInbox, RingMustCarryASixteenByteCallId) {
  SessionPair pair;
  pair.handshake(kPurposes);
  AgentInbox inbox;
  InboundRecord in;
  const std::string id = consent::base64url_encode(std::vector<uint8_t>(16, 9));
  const std::string short_id = consent::base64url_encode(std::vector<uint8_t>(8, 9));
  EXPECT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "routing", R"({"t":"signal","m":{"type":"ring"}})"), kNow, in), Status::malformed);
  EXPECT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "routing", R"({"t":"signal","m":{"type":"ring","call":")" + short_id + R"("}})"), kNow, in),
            Status::malformed);
  EXPECT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "routing", R"({"t":"signal","m":{"type":"ring","call":42}})"), kNow, in), Status::malformed);
  ASSERT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "routing", R"({"t":"signal","m":{"type":"ring","call":")" + id + R"("}})"), kNow, in),
            Status::ok);
  EXPECT_EQ(in.type, BodyType::signal);
  EXPECT_EQ(inbox.receive(pair.agent, seal_record(pair.customer, "voice", R"({"t":"signal","m":{"type":"hangup"}})"), kNow, in), Status::malformed);
}

TEST(DeskInbox, CustomerTakesAgentRecordsByPurpose) {
  SessionPair pair;
  pair.handshake(kPurposes);
  InboundRecord in;
  ASSERT_EQ(customer_receive(pair.customer, seal_record(pair.agent, "chat", R"({"t":"text","id":"a1","text":"How can I help?","at":1})"), kNow, in), Status::ok);
  EXPECT_EQ(in.type, BodyType::text);
  // Agent text under voice: the customer granted voice, not chat, for it.
  EXPECT_EQ(customer_receive(pair.customer, seal_record(pair.agent, "voice", R"({"t":"text","id":"a2","text":"hi","at":1})"), kNow, in), Status::malformed);
  // An agent cannot speak for the customer's consent.
  EXPECT_EQ(customer_receive(pair.customer, seal_record(pair.agent, "routing", consent_update(true, true, true)), kNow, in), Status::malformed);
  const std::string key = consent::base64url_encode(std::vector<uint8_t>(32, 5));
  ASSERT_EQ(customer_receive(pair.customer, seal_record(pair.agent, "routing", R"({"t":"reveal-key","key":")" + key + R"("})"), kNow, in), Status::ok);
  EXPECT_EQ(in.type, BodyType::reveal_key);
  const std::string not_b64 = std::string(42, 'A') + "*";
  EXPECT_EQ(customer_receive(pair.customer, seal_record(pair.agent, "routing", R"({"t":"reveal-key","key":")" + not_b64 + R"("})"), kNow, in),
            Status::malformed);
  EXPECT_EQ(customer_receive(pair.customer, seal_record(pair.agent, "chat", R"({"t":"reveal-key","key":")" + key + R"("})"), kNow, in), Status::malformed);
  ASSERT_EQ(pair.customer.wipe_purpose("chat"), Status::ok);
  EXPECT_NE(customer_receive(pair.customer, seal_record(pair.agent, "chat", R"({"t":"typing"})"), kNow, in), Status::ok);
}

}  // namespace
}  // namespace sealdesk::desk
