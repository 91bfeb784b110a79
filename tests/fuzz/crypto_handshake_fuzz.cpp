// libFuzzer: untrusted handshake messages at every step (agent receiving a hello, customer
// receiving a reply, agent receiving a finish, sessions of both roles). Nothing may crash, and no
// step may succeed on fuzzer bytes where a signature is required.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "sdk/session/handshake.h"
#include "sdk/session/session.h"

using namespace sealdesk;
using namespace sealdesk::session;

namespace {

struct Fixture {
  crypto::IdentityKey agent = crypto::IdentityKey::generate().value();
  crypto::IdentityKey customer = crypto::IdentityKey::generate().value();
  SessionId id{};
  std::vector<uint8_t> hello, reply;
  std::optional<CustomerHandshake> customer_handshake;
  std::optional<AgentHandshake> agent_handshake;
  Fixture() {
    const std::vector<std::string> purposes = {"chat", "camera"};
    customer_handshake.emplace(CustomerHandshake::start(id, 1, agent.public_key(), purposes, hello).value());
    agent_handshake.emplace(AgentHandshake::accept(hello, agent, reply).value());
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> input(data, size);
  Fixture& f = fixture();
  (void)handshake_message_type(input);

  std::vector<uint8_t> out;
  (void)AgentHandshake::accept(input, f.agent, out);  // a hello is unauthenticated: may succeed
  if (f.customer_handshake->finish(input, f.customer, out).ok()) std::abort();  // needs the agent's signature
  if (f.agent_handshake->finish(input).ok()) std::abort();                      // needs the customer's signature

  auto customer = Session::create_customer(f.id, f.agent.public_key()).value();
  const std::vector<std::string> purposes = {"chat"};
  (void)customer.begin_handshake(purposes);
  if (customer.handle_handshake(input, f.customer).ok()) std::abort();
  auto agent = Session::create_agent().value();
  auto reply = agent.handle_handshake(input, f.agent);
  if (reply.ok() && reply.value().empty()) std::abort();  // a finish cannot complete without a hello
  return 0;
}
