#include "sdk/desk/left_message.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "sdk/desk/inbox.h"
#include "sdk/desk/payload.h"
#include "tests/native/consent_test_support.h"
#include "tests/native/desk_test_support.h"

namespace sealdesk::desk {
namespace {

using testing::SessionPair;

constexpr int64_t kNow = 1'760'000'000'000;
constexpr std::string_view kRelaySession = "Qm9vdHN0cmFwU2Vzc2lvbg";
const std::vector<std::string> kPurposes = {"routing", "chat"};

struct Customer {
  consent::ConsentEngine engine = consent::testing::make_engine();
  pii::Masker masker = pii::Masker::create().value();
  crypto::IdentityKey identity = crypto::IdentityKey::generate().value();
  pii::MaskResult masked;

  Customer() { EXPECT_TRUE(engine.grant({"routing", "chat"}, kNow).ok()); }

  std::vector<uint8_t> leave(const crypto::IdentityPublicKey& desk, std::string_view text, std::string_view contact = "",
                             std::string_view id = "left-1", std::string_view relay_session = kRelaySession) {
    std::vector<uint8_t> payload;
    EXPECT_EQ(seal_left_message(engine, masker, identity, desk, relay_session, text, contact, id, kNow, masked, payload), Status::ok);
    return payload;
  }
};

std::span<const uint8_t> sealed_part(const std::vector<uint8_t>& payload) {
  auto decoded = decode_payload(payload);
  EXPECT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value().kind, PayloadKind::left);
  return decoded.value().bytes;
}

TEST(DeskLeftMessage, SealedToTheDeskMaskedAndOpenedWithItsContact) {
  const auto desk = crypto::IdentityKey::generate().value();
  Customer customer;
  const auto payload = customer.leave(desk.public_key(), "My card 6222 0212 3456 7890 128 was charged twice", "ana@example.org");
  const std::string wire(payload.begin(), payload.end());
  // Nothing readable on the wire: not the text, not the contact, not the masked card.
  for (const char* plain : {"charged", "ana@example.org", "6222", "7890"}) EXPECT_EQ(wire.find(plain), std::string::npos) << plain;

  LeftMessage left;
  std::string why;
  ASSERT_EQ(open_left_message(desk, kRelaySession, sealed_part(payload), kNow, left, &why), Status::ok) << why;
  EXPECT_EQ(left.customer, customer.identity.public_key());
  const auto body = nlohmann::json::parse(left.json);
  EXPECT_EQ(body["t"], "text");
  EXPECT_EQ(body["left"], true);
  EXPECT_EQ(body["id"], "left-1");
  EXPECT_EQ(body["text"], customer.masked.text);
  EXPECT_EQ(body["text"].get<std::string>().find("3456"), std::string::npos);  // masked before sealing
  EXPECT_EQ(body["contact"], "ana@example.org");                               // given for the reply, kept
  EXPECT_EQ(body["at"], kNow);
  EXPECT_FALSE(body["findings"].empty());
}

TEST(DeskLeftMessage, OnlyTheDeskItWasSealedToAndOnlyInItsConversationOpensIt) {
  const auto desk = crypto::IdentityKey::generate().value();
  const auto other_desk = crypto::IdentityKey::generate().value();
  Customer customer;
  const auto payload = customer.leave(desk.public_key(), "Are you open on Sunday?");
  LeftMessage left;
  EXPECT_EQ(open_left_message(other_desk, kRelaySession, sealed_part(payload), kNow, left), Status::auth_failed);
  // A relay that moves it into another conversation: the signature names the first one.
  EXPECT_EQ(open_left_message(desk, "AnotherConversation0001", sealed_part(payload), kNow, left), Status::signature_invalid);
  // Any flipped byte of the sealed box.
  for (size_t i = 1; i < payload.size(); i += 7) {
    auto tampered = payload;
    tampered[i] ^= 0x20;
    EXPECT_EQ(open_left_message(desk, kRelaySession, sealed_part(tampered), kNow, left), Status::auth_failed) << i;
  }
  // Truncated and empty.
  const auto sealed = sealed_part(payload);
  EXPECT_NE(open_left_message(desk, kRelaySession, sealed.first(sealed.size() - 1), kNow, left), Status::ok);
  EXPECT_EQ(open_left_message(desk, kRelaySession, sealed.first(10), kNow, left), Status::malformed);
}

TEST(DeskLeftMessage, ARelayCannotReSignAnotherCustomersWordsUnderTheSameKey) {
  // A relay knows the desk's public key, so it can seal a box of its own; what it cannot do is
  // sign as the customer. Re-sealing the customer's inner bytes with a swapped key fails.
  const auto desk = crypto::IdentityKey::generate().value();
  Customer customer;
  const auto payload = customer.leave(desk.public_key(), "Please cancel order 4411");
  std::vector<uint8_t> inner(sealed_part(payload).size() - crypto::kSealedToIdentityOverheadBytes);
  ASSERT_EQ(desk.open_sealed(inner, sealed_part(payload)), Status::ok);  // (the test plays the desk to get the inner bytes)
  const auto impostor = crypto::IdentityKey::generate().value();
  std::copy(impostor.public_key().begin(), impostor.public_key().end(), inner.begin() + 1);
  std::vector<uint8_t> forged(inner.size() + crypto::kSealedToIdentityOverheadBytes);
  ASSERT_EQ(crypto::seal_to_identity(forged, inner, desk.public_key()), Status::ok);
  LeftMessage left;
  EXPECT_EQ(open_left_message(desk, kRelaySession, forged, kNow, left), Status::signature_invalid);
  // An unknown version is refused as such.
  inner[0] = 9;
  ASSERT_EQ(crypto::seal_to_identity(forged, inner, desk.public_key()), Status::ok);
  EXPECT_EQ(open_left_message(desk, kRelaySession, forged, kNow, left), Status::unsupported_version);
}

TEST(DeskLeftMessage, RefusedBeforeSealingWithoutChatConsentOrWithBadInput) {
  const auto desk = crypto::IdentityKey::generate().value();
  auto engine = consent::testing::make_engine();  // nothing granted
  auto masker = pii::Masker::create().value();
  const auto identity = crypto::IdentityKey::generate().value();
  pii::MaskResult masked;
  std::vector<uint8_t> payload;
  std::string why;
  auto leave = [&](std::string_view text, std::string_view contact, std::span<const uint8_t> key, std::string_view sid) {
    return seal_left_message(engine, masker, identity, key, sid, text, contact, "m1", kNow, masked, payload, &why);
  };
  EXPECT_EQ(leave("hello", "", desk.public_key(), kRelaySession), Status::consent_required);
  EXPECT_TRUE(payload.empty());
  ASSERT_TRUE(engine.grant({"routing", "chat"}, kNow).ok());
  EXPECT_EQ(leave("  \n ", "", desk.public_key(), kRelaySession), Status::invalid_argument);
  EXPECT_EQ(leave(std::string(kMaxTextUnits + 1, 'x'), "", desk.public_key(), kRelaySession), Status::too_large);
  EXPECT_EQ(leave("hello", std::string(kMaxContactUnits + 1, 'a'), desk.public_key(), kRelaySession), Status::too_large);
  EXPECT_EQ(leave("hello", "ana@example.org\r\nBcc: x", desk.public_key(), kRelaySession), Status::invalid_argument);
  EXPECT_EQ(leave("hello", "ana\xC3", desk.public_key(), kRelaySession), Status::invalid_utf8);
  EXPECT_EQ(leave("hello", "", std::vector<uint8_t>(31, 1), kRelaySession), Status::invalid_argument);
  EXPECT_EQ(leave("hello", "", desk.public_key(), "no spaces allowed"), Status::invalid_argument);
  EXPECT_EQ(leave("hello", "", desk.public_key(), ""), Status::invalid_argument);
  EXPECT_TRUE(payload.empty());
  // Chinese text and a contact with a full-width name are fine.
  EXPECT_EQ(leave("你好，我的快递三天没到了", "王女士 微信 wang_li", desk.public_key(), kRelaySession), Status::ok);
}

TEST(DeskLeftMessage, InboxPinsTheSignerSoAnotherCustomerCannotTakeOverTheConversation) {
  SessionPair pair;  // pair.customer_key plays the customer who left the message
  Customer customer;
  customer.identity = crypto::IdentityKey::from_seed(std::vector<uint8_t>(32, 3)).value();
  const auto genuine = crypto::IdentityKey::from_seed(std::vector<uint8_t>(32, 3)).value();
  AgentInbox inbox;
  InboundRecord in;
  const auto payload = customer.leave(pair.desk.public_key(), "Call me back about my refund");
  ASSERT_EQ(inbox.receive_left(pair.agent, pair.desk, kRelaySession, sealed_part(payload), kNow, in), Status::ok);
  EXPECT_EQ(in.type, BodyType::text);
  EXPECT_EQ(in.purpose, "chat");
  // The relay replays it: shown once.
  EXPECT_EQ(inbox.receive_left(pair.agent, pair.desk, kRelaySession, sealed_part(payload), kNow, in), Status::replayed);
  // Another customer identity completing the handshake in this conversation: refused.
  auto hello = pair.customer.begin_handshake(kPurposes);
  auto reply = pair.agent.handle_handshake(hello.value(), pair.desk);
  ASSERT_TRUE(reply.ok());
  auto finish = pair.customer.handle_handshake(reply.value(), pair.customer_key);  // not the one who left the message
  ASSERT_TRUE(finish.ok());
  EXPECT_EQ(pair.agent.handle_handshake(finish.value(), pair.desk).status(), Status::key_mismatch);
  EXPECT_FALSE(pair.agent.established());

  // The customer who left it comes back: the handshake with its identity goes through.
  SessionPair same;
  AgentInbox inbox2;
  ASSERT_EQ(inbox2.receive_left(same.agent, same.desk, kRelaySession, sealed_part(customer.leave(same.desk.public_key(), "hi")), kNow, in),
            Status::ok);
  hello = same.customer.begin_handshake(kPurposes);
  reply = same.agent.handle_handshake(hello.value(), same.desk);
  finish = same.customer.handle_handshake(reply.value(), genuine);
  ASSERT_TRUE(finish.ok());
  EXPECT_TRUE(same.agent.handle_handshake(finish.value(), same.desk).ok());
  EXPECT_TRUE(same.agent.established());
  // And a second left message from someone else in that conversation is refused.
  Customer stranger;
  EXPECT_EQ(inbox2.receive_left(same.agent, same.desk, kRelaySession,
                                sealed_part(stranger.leave(same.desk.public_key(), "ignore the above", "", "left-2")), kNow, in),
            Status::key_mismatch);
}

}  // namespace
}  // namespace sealdesk::desk
