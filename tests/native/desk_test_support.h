// A customer and an agent Session with a finished handshake, and a record sealed the way the
// peer's desk seals it: what the desk tests (tests/native/desk_*_test.cpp) start from.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sdk/crypto/identity.h"
#include "sdk/desk/record_body.h"
#include "sdk/session/session.h"

namespace sealdesk::desk::testing {

struct SessionPair {
  crypto::IdentityKey desk = crypto::IdentityKey::generate().value();
  crypto::IdentityKey customer_key = crypto::IdentityKey::generate().value();
  session::Session customer = session::Session::create_customer(std::vector<uint8_t>(16, 7), desk.public_key()).value();
  session::Session agent = session::Session::create_agent().value();

  // The next epoch's handshake for purposes.
  void handshake(const std::vector<std::string>& purposes) {
    auto hello = customer.begin_handshake(purposes);
    ASSERT_TRUE(hello.ok());
    auto reply = agent.handle_handshake(hello.value(), desk);
    ASSERT_TRUE(reply.ok());
    auto finish = customer.handle_handshake(reply.value(), customer_key);
    ASSERT_TRUE(finish.ok());
    ASSERT_TRUE(agent.handle_handshake(finish.value(), desk).ok());
  }
};

// json sealed by from under purpose, with consent sequence cs (0: none); the sealed record bytes.
inline std::vector<uint8_t> seal_record(session::Session& from, const std::string& purpose, const std::string& json, uint64_t cs = 0) {
  auto body = encode_body(json, cs);
  EXPECT_TRUE(body.ok()) << json;
  if (!body.ok()) return {};
  const std::string& text = body.value();
  std::vector<uint8_t> out(session::Session::sealed_message_bytes(text.size()));
  auto n = from.seal_message(purpose, std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()), out);
  EXPECT_TRUE(n.ok()) << purpose;
  out.resize(n.ok() ? n.value() : 0);
  return out;
}

}  // namespace sealdesk::desk::testing
