// A message left for support (sdk/desk/left_message.h) as a hostile relay would handle it: the
// input picks the text and contact the customer typed, then what happens to the sealed bytes on
// their way (delivered, one byte flipped, cut short, moved to another conversation, replaced by
// input bytes). What must always hold:
//   - nothing crashes; every refusal is a typed Status and leaves the output empty;
//   - only the untouched message opens, in its own conversation, with the text the customer saw
//     (masked) and the contact typed, signed by the customer who left it;
//   - the inbox shows one message id once, and pins its signer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sdk/consent/engine.h"
#include "sdk/desk/inbox.h"
#include "sdk/desk/left_message.h"
#include "sdk/desk/payload.h"
#include "tests/fuzz/consent_fuzz_support.h"

using namespace sealdesk;
using namespace sealdesk::desk;

namespace {

constexpr int64_t kNow = 1'760'000'000'000;

void require(bool ok) {
  if (!ok) std::abort();
}

struct World {
  crypto::IdentityKey desk = crypto::IdentityKey::from_seed(std::vector<uint8_t>(32, 1)).value();
  crypto::IdentityKey customer = crypto::IdentityKey::from_seed(std::vector<uint8_t>(32, 2)).value();
  consent::ConsentEngine engine = consent::fuzzing::make_engine();
  pii::Masker masker = pii::Masker::create().value();
  World() { require(engine.grant({"routing", "chat"}, kNow).ok()); }
};

World& world() {
  static World w;
  return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  World& w = world();
  const uint8_t action = data[0];
  const size_t split = std::min<size_t>(data[1], size - 2);
  const std::string text(reinterpret_cast<const char*>(data + 2), split);
  const std::string contact(reinterpret_cast<const char*>(data + 2 + split), size - 2 - split);
  constexpr std::string_view kSession = "FuzzConversation000001";

  pii::MaskResult masked;
  std::vector<uint8_t> payload;
  const Status sealed = seal_left_message(w.engine, w.masker, w.customer, w.desk.public_key(), kSession, text,
                                          contact.substr(0, 64), "id-1", kNow, masked, payload);
  if (sealed != Status::ok) {
    require(payload.empty());
    // Raw input as the sealed bytes: refused with a type, never opened.
    LeftMessage left;
    const Status s = open_left_message(w.desk, kSession, std::span(data, size), kNow, left);
    require(s != Status::ok && left.json.empty());
    return 0;
  }
  auto decoded = decode_payload(payload);
  require(decoded.ok() && decoded.value().kind == PayloadKind::left);
  std::vector<uint8_t> bytes(decoded.value().bytes.begin(), decoded.value().bytes.end());
  std::string conversation(kSession);
  bool intact = false;
  switch (action % 5) {
    case 0: intact = true; break;
    case 1: bytes[(size_t{data[1]} * 131 + size) % bytes.size()] ^= static_cast<uint8_t>(1u << (action % 8)); break;
    case 2: bytes.resize((size_t{data[1]} * 17) % bytes.size()); break;
    case 3: conversation = "AnotherConversation002"; break;
    case 4: bytes.assign(data, data + size); break;
  }
  session::Session agent = session::Session::create_agent().value();
  AgentInbox inbox;
  InboundRecord in;
  const Status s = inbox.receive_left(agent, w.desk, conversation, bytes, static_cast<double>(kNow), in);
  if (!intact) {
    require(s != Status::ok && in.json.empty());
    return 0;
  }
  require(s == Status::ok && in.type == BodyType::text && in.purpose == "chat");
  const nlohmann::json body = nlohmann::json::parse(in.json, nullptr, false);
  require(body.is_object() && body.value("text", std::string()) == masked.text && body.value("left", false));
  if (!contact.substr(0, 64).empty()) require(body.value("contact", std::string()) == contact.substr(0, 64));
  // Shown once; the signer is the only customer this conversation accepts.
  require(inbox.receive_left(agent, w.desk, conversation, bytes, static_cast<double>(kNow), in) == Status::replayed);
  require(agent.expect_peer(w.customer.public_key()) == Status::ok);
  require(agent.expect_peer(w.desk.public_key()) == Status::key_mismatch);
  return 0;
}
