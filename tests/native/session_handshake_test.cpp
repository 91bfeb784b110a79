#include "sdk/session/handshake.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "sdk/session/session.h"

namespace sealdesk::session {
namespace {

using crypto::IdentityKey;

SessionId session_id(uint8_t fill = 0x5A) {
  SessionId id{};
  id.fill(fill);
  return id;
}

const std::vector<std::string> kPurposes = {"chat", "voice", "camera", "screen_share"};

struct Parties {
  IdentityKey customer = IdentityKey::generate().value();
  IdentityKey agent = IdentityKey::generate().value();
};

struct HandshakeRun {
  std::vector<uint8_t> hello, reply, finish;
  std::optional<CustomerHandshake> customer;
  std::optional<AgentHandshake> agent;
};

HandshakeRun start(const Parties& parties, uint32_t epoch = 1) {
  HandshakeRun run;
  auto customer = CustomerHandshake::start(session_id(), epoch, parties.agent.public_key(), kPurposes, run.hello);
  EXPECT_TRUE(customer.ok());
  run.customer.emplace(std::move(customer.value()));
  auto agent = AgentHandshake::accept(run.hello, parties.agent, run.reply);
  EXPECT_TRUE(agent.ok()) << agent.error().detail;
  run.agent.emplace(std::move(agent.value()));
  return run;
}

TEST(Handshake, CompletesWithTheSameSafetyCodeOnBothSides) {
  Parties parties;
  HandshakeRun run = start(parties);
  EXPECT_EQ(run.reply.size(), kHandshakeReplyBytes);
  auto customer_side = run.customer->finish(run.reply, parties.customer, run.finish);
  ASSERT_TRUE(customer_side.ok()) << customer_side.error().detail;
  EXPECT_EQ(run.finish.size(), kHandshakeFinishBytes);
  auto agent_side = run.agent->finish(run.finish);
  ASSERT_TRUE(agent_side.ok()) << agent_side.error().detail;

  EXPECT_EQ(customer_side.value().safety_code, agent_side.value().safety_code);
  EXPECT_TRUE(std::regex_match(customer_side.value().safety_code, std::regex("[0-9]{5} [0-9]{5} [0-9]{5}")));
  EXPECT_EQ(customer_side.value().transcript_hash, agent_side.value().transcript_hash);
  EXPECT_EQ(std::vector<uint8_t>(customer_side.value().master.data(), customer_side.value().master.data() + 32),
            std::vector<uint8_t>(agent_side.value().master.data(), agent_side.value().master.data() + 32));
  EXPECT_EQ(customer_side.value().peer_identity, parties.agent.public_key());
  EXPECT_EQ(agent_side.value().peer_identity, parties.customer.public_key());
  EXPECT_EQ(agent_side.value().purposes, kPurposes);
  EXPECT_EQ(agent_side.value().epoch, 1u);
}

TEST(Handshake, EveryHandshakeHasItsOwnSafetyCodeAndKeys) {
  Parties parties;
  HandshakeRun a = start(parties), b = start(parties);
  auto first = a.customer->finish(a.reply, parties.customer, a.finish);
  auto second = b.customer->finish(b.reply, parties.customer, b.finish);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(first.value().safety_code, second.value().safety_code);
  EXPECT_NE(first.value().transcript_hash, second.value().transcript_hash);
}

TEST(Handshake, RelaySwappingTheAgentKeyIsKeyMismatch) {
  Parties parties;
  HandshakeRun run = start(parties);
  // The relay answers the hello itself, with its own (valid, self-signed) identity.
  IdentityKey relay = IdentityKey::generate().value();
  std::vector<uint8_t> relay_reply;
  ASSERT_TRUE(AgentHandshake::accept(run.hello, relay, relay_reply).ok());
  auto refused = run.customer->finish(relay_reply, parties.customer, run.finish);
  EXPECT_EQ(refused.status(), Status::key_mismatch);
  EXPECT_EQ(std::string(status_name(refused.status())), "KEY_MISMATCH");
  // The refused forgery did not spoil the handshake: the genuine reply still completes.
  EXPECT_TRUE(run.customer->finish(run.reply, parties.customer, run.finish).ok());
}

TEST(Handshake, PinnedKeyWithTheRelaysSignatureFails) {
  Parties parties;
  HandshakeRun run = start(parties);
  IdentityKey relay = IdentityKey::generate().value();
  std::vector<uint8_t> relay_reply;
  ASSERT_TRUE(AgentHandshake::accept(run.hello, relay, relay_reply).ok());
  std::copy(parties.agent.public_key().begin(), parties.agent.public_key().end(), relay_reply.begin() + 54);
  EXPECT_EQ(run.customer->finish(relay_reply, parties.customer, run.finish).status(), Status::handshake_failed);
}

TEST(Handshake, RelaySwappingTheCustomerEphemeralFails) {
  Parties parties;
  std::vector<uint8_t> hello, reply, finish;
  auto customer = CustomerHandshake::start(session_id(), 1, parties.agent.public_key(), kPurposes, hello);
  ASSERT_TRUE(customer.ok());
  std::vector<uint8_t> swapped = hello;
  std::vector<uint8_t> relay_hello;
  ASSERT_TRUE(CustomerHandshake::start(session_id(), 1, parties.agent.public_key(), kPurposes, relay_hello).ok());
  std::copy(relay_hello.begin() + 22, relay_hello.begin() + 54, swapped.begin() + 22);  // the relay's own ephemeral key
  ASSERT_TRUE(AgentHandshake::accept(swapped, parties.agent, reply).ok());
  EXPECT_EQ(customer.value().finish(reply, parties.customer, finish).status(), Status::handshake_failed);
}

TEST(Handshake, EverySingleBitFlipInTheReplyIsRejected) {
  Parties parties;
  HandshakeRun run = start(parties);
  for (size_t bit = 0; bit < run.reply.size() * 8; ++bit) {
    auto flipped = run.reply;
    flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    auto result = run.customer->finish(flipped, parties.customer, run.finish);
    ASSERT_FALSE(result.ok()) << "bit " << bit;
    if (bit / 8 >= 54 && bit / 8 < 86) {
      EXPECT_EQ(result.status(), Status::key_mismatch) << bit;
    }
  }
  EXPECT_TRUE(run.customer->finish(run.reply, parties.customer, run.finish).ok());
}

TEST(Handshake, EverySingleBitFlipInTheFinishIsRejected) {
  Parties parties;
  HandshakeRun run = start(parties);
  ASSERT_TRUE(run.customer->finish(run.reply, parties.customer, run.finish).ok());
  for (size_t bit = 0; bit < run.finish.size() * 8; ++bit) {
    auto flipped = run.finish;
    flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    ASSERT_FALSE(run.agent->finish(flipped).ok()) << "bit " << bit;
  }
  EXPECT_TRUE(run.agent->finish(run.finish).ok());
}

TEST(Handshake, EverySingleBitFlipInTheHelloIsCaughtByTheCustomer) {
  Parties parties;
  std::vector<uint8_t> hello, reply, finish;
  auto customer = CustomerHandshake::start(session_id(), 1, parties.agent.public_key(), {kPurposes.data(), 1}, hello);
  ASSERT_TRUE(customer.ok());
  for (size_t bit = 0; bit < hello.size() * 8; ++bit) {
    auto flipped = hello;
    flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    // The hello is not authenticated on its own; the agent's signature over it is what catches a change.
    if (!AgentHandshake::accept(flipped, parties.agent, reply).ok()) continue;
    ASSERT_FALSE(customer.value().finish(reply, parties.customer, finish).ok()) << "bit " << bit;
  }
}

TEST(Handshake, ReplyForAnotherSessionOrEpochFails) {
  Parties parties;
  HandshakeRun run = start(parties);
  std::vector<uint8_t> other_hello, other_reply;
  ASSERT_TRUE(CustomerHandshake::start(session_id(0x11), 1, parties.agent.public_key(), kPurposes, other_hello).ok());
  ASSERT_TRUE(AgentHandshake::accept(other_hello, parties.agent, other_reply).ok());
  EXPECT_EQ(run.customer->finish(other_reply, parties.customer, run.finish).status(), Status::handshake_failed);
  HandshakeRun later = start(parties, 2);
  EXPECT_EQ(run.customer->finish(later.reply, parties.customer, run.finish).status(), Status::handshake_failed);
}

TEST(Handshake, MalformedAndOutOfOrderMessagesAreTypedErrors) {
  Parties parties;
  HandshakeRun run = start(parties);
  std::vector<uint8_t> out;
  EXPECT_EQ(run.customer->finish(run.hello, parties.customer, out).status(), Status::handshake_failed);
  EXPECT_EQ(run.customer->finish(std::span(run.reply).first(100), parties.customer, out).status(), Status::malformed);
  auto v2 = run.reply;
  v2[0] = 2;
  EXPECT_EQ(run.customer->finish(v2, parties.customer, out).status(), Status::unsupported_version);
  EXPECT_EQ(AgentHandshake::accept(run.reply, parties.agent, out).status(), Status::handshake_failed);
  EXPECT_EQ(AgentHandshake::accept(std::span(run.hello).first(40), parties.agent, out).status(), Status::malformed);
  EXPECT_EQ(run.agent->finish(run.reply).status(), Status::handshake_failed);
  EXPECT_EQ(handshake_message_type(std::vector<uint8_t>{1}).status(), Status::malformed);
  EXPECT_EQ(handshake_message_type(std::vector<uint8_t>{1, 0x13}).status(), Status::malformed);
}

TEST(Handshake, LowOrderEphemeralKeyIsRefused) {
  Parties parties;
  std::vector<uint8_t> hello, reply;
  ASSERT_TRUE(CustomerHandshake::start(session_id(), 1, parties.agent.public_key(), kPurposes, hello).ok());
  std::fill(hello.begin() + 22, hello.begin() + 54, uint8_t{0});  // the identity point: X25519 gives all zeros
  EXPECT_EQ(AgentHandshake::accept(hello, parties.agent, reply).status(), Status::handshake_failed);
}

TEST(Handshake, PurposeListsAreValidated) {
  Parties parties;
  std::vector<uint8_t> hello;
  for (const auto& bad : std::vector<std::vector<std::string>>{
           {}, {""}, {"Chat"}, {"chat", "chat"}, {std::string(33, 'a')}, {"chat room"},
           std::vector<std::string>(17, "x")}) {
    EXPECT_EQ(CustomerHandshake::start(session_id(), 1, parties.agent.public_key(), bad, hello).status(),
              Status::invalid_argument);
  }
  EXPECT_EQ(CustomerHandshake::start(session_id(), 0, parties.agent.public_key(), kPurposes, hello).status(),
            Status::invalid_argument);
}

TEST(SessionHandshake, CustomerWithoutAPinnedKeyCannotBeCreated) {
  const SessionId id = session_id();
  EXPECT_EQ(Session::create_customer(id, {}).status(), Status::invalid_argument);
  EXPECT_EQ(Session::create_customer(id, std::vector<uint8_t>(32, 0)).status(), Status::invalid_argument);
  EXPECT_EQ(Session::create_customer(id, std::vector<uint8_t>(31, 1)).status(), Status::invalid_argument);
  EXPECT_EQ(Session::create_customer(std::span(id).first(15), std::vector<uint8_t>(32, 1)).status(), Status::invalid_argument);
}

TEST(SessionHandshake, SwappedAgentKeyThenGenuineReply) {
  Parties parties;
  const SessionId id = session_id();
  auto customer = Session::create_customer(id, parties.agent.public_key()).value();
  auto agent = Session::create_agent().value();
  auto relay = Session::create_agent().value();
  IdentityKey relay_identity = IdentityKey::generate().value();
  auto hello = customer.begin_handshake(kPurposes);
  ASSERT_TRUE(hello.ok());
  auto relay_reply = relay.handle_handshake(hello.value(), relay_identity);
  ASSERT_TRUE(relay_reply.ok());
  EXPECT_EQ(customer.handle_handshake(relay_reply.value(), parties.customer).status(), Status::key_mismatch);
  EXPECT_FALSE(customer.established());
  auto reply = agent.handle_handshake(hello.value(), parties.agent);
  ASSERT_TRUE(reply.ok());
  auto finish = customer.handle_handshake(reply.value(), parties.customer);
  ASSERT_TRUE(finish.ok());
  ASSERT_TRUE(agent.handle_handshake(finish.value(), parties.agent).ok());
  EXPECT_EQ(customer.safety_code(), agent.safety_code());
  EXPECT_EQ(customer.epoch(), 1u);
  EXPECT_EQ(agent.epoch(), 1u);
  EXPECT_EQ(agent.purposes(), kPurposes);
  EXPECT_EQ(agent.peer_identity(), parties.customer.public_key());
}

TEST(SessionHandshake, MessagesInTheWrongRoleOrOrderAreRefused) {
  Parties parties;
  auto customer = Session::create_customer(session_id(), parties.agent.public_key()).value();
  auto agent = Session::create_agent().value();
  EXPECT_EQ(agent.begin_handshake(kPurposes).status(), Status::invalid_argument);
  auto hello = customer.begin_handshake(kPurposes).value();
  EXPECT_EQ(customer.handle_handshake(hello, parties.customer).status(), Status::handshake_failed);
  auto reply = agent.handle_handshake(hello, parties.agent).value();
  EXPECT_EQ(agent.handle_handshake(reply, parties.agent).status(), Status::handshake_failed);
  auto finish = customer.handle_handshake(reply, parties.customer).value();
  EXPECT_EQ(customer.handle_handshake(reply, parties.customer).status(), Status::handshake_failed);  // no pending
  ASSERT_TRUE(agent.handle_handshake(finish, parties.agent).ok());
  EXPECT_EQ(agent.handle_handshake(finish, parties.agent).status(), Status::handshake_failed);
  EXPECT_EQ(agent.handle_handshake(hello, parties.agent).status(), Status::handshake_failed);  // stale epoch
  EXPECT_TRUE(agent.established());
}

}  // namespace
}  // namespace sealdesk::session
