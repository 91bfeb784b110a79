// Drives both desks' receive paths (sdk/desk/inbox.h) through a real handshake with a sequence
// of records the input chooses: body, purpose, consent number, and what a hostile relay does with
// each one (deliver, drop, replay, flip a byte, re-key). What must always hold:
//   - nothing crashes; every refusal is a typed Status;
//   - chat text and typing are shown only under chat; a consent update only under routing;
//   - once the agent's gate closes, no record of that epoch opens;
//   - a consent update that does not grant a purpose leaves that purpose without keys;
//   - a tampered or replayed record never opens.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "sdk/crypto/identity.h"
#include "sdk/desk/inbox.h"
#include "sdk/desk/record_body.h"
#include "sdk/session/session.h"

using namespace sealdesk;
using namespace sealdesk::desk;

namespace {

constexpr double kNow = 1.7e12;
const std::array<const char*, 4> kPurposes = {"routing", "chat", "voice", "video"};
const std::vector<std::string> kGranted = {"routing", "chat", "voice", "video"};

void require(bool ok) {
  if (!ok) std::abort();
}

struct Pair {
  crypto::IdentityKey desk = crypto::IdentityKey::generate().value();
  crypto::IdentityKey customer_key = crypto::IdentityKey::generate().value();
  session::Session customer = session::Session::create_customer(std::vector<uint8_t>(16, 7), desk.public_key()).value();
  session::Session agent = session::Session::create_agent().value();

  void handshake() {
    auto hello = customer.begin_handshake(kGranted);
    require(hello.ok());
    auto reply = agent.handle_handshake(hello.value(), desk);
    require(reply.ok());
    auto finish = customer.handle_handshake(reply.value(), customer_key);
    require(finish.ok());
    require(agent.handle_handshake(finish.value(), desk).ok());
  }
};

// A body the input picks; the last choice takes raw input bytes as the body.
std::string body_for(uint8_t pick, uint8_t grants, const uint8_t*& data, size_t& size) {
  auto state = [&](int bit) { return (grants >> bit) & 1 ? "\"granted\"" : "\"denied\""; };
  switch (pick % 9) {
    case 0: return R"({"t":"text","id":"m1","text":"hello 13800138000","at":1})";
    case 1: return R"({"t":"typing"})";
    case 2:
      return std::string(R"({"t":"consent","summary":{"purposes":{"chat":)") + state(0) + ",\"voice\":" + state(1) +
             ",\"video\":" + state(2) + ",\"pii_reveal\":" + state(3) + "}}}";
    case 3: return R"({"t":"signal","m":{"type":"ring","call":"AAAAAAAAAAAAAAAAAAAAAA"}})";
    case 4: return R"({"t":"signal","m":{"type":"ring","call":"short"}})";
    case 5: return R"({"t":"reveal-key","key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})";
    case 6: return R"({"t":"text","id":"m2","text":"x","findings":[{"type":"mobile","start":0,"end":1,"reveal":"[sealed:mobile:AAAA]"}]})";
    case 7: return R"({"t":"consent","summary":{}})";
    default: {
      size_t n = size < 64 ? size : 64;
      std::string raw(reinterpret_cast<const char*>(data), n);
      data += n;
      size -= n;
      return raw;
    }
  }
}

// Seals plaintext as a record (encode_body's checks are skipped on purpose: a hostile peer's
// software seals whatever it wants, cs included).
std::vector<uint8_t> seal(session::Session& from, const char* purpose, const std::string& plain) {
  if (!from.has_keys(purpose)) return {};
  std::vector<uint8_t> out(session::Session::sealed_message_bytes(plain.size()));
  auto n = from.seal_message(purpose, std::span(reinterpret_cast<const uint8_t*>(plain.data()), plain.size()), out);
  if (!n.ok()) return {};
  out.resize(n.value());
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Pair pair;
  pair.handshake();
  AgentInbox inbox;
  uint64_t cs = 0;
  std::vector<uint8_t> last;  // the last record sealed, and the grants its consent body names
  uint8_t last_grants = 0;
  for (int step = 0; step < 24 && size >= 3; ++step) {
    const uint8_t op = data[0], purpose_pick = data[1];
    uint8_t arg = data[2];
    data += 3;
    size -= 3;
    const char* purpose = kPurposes[purpose_pick % kPurposes.size()];
    const bool from_customer = (op & 0x80) == 0;
    const uint8_t relay = (op >> 4) & 0x7;  // 0-3 deliver, 4 drop, 5 replay the last, 6 flip a byte, 7 re-key
    if (relay == 7) {
      pair.handshake();
      cs = 0;
      continue;
    }
    std::string plain = body_for(op, arg, data, size);
    // The customer numbers its consent updates; arg's top bits let a buggy peer lie.
    if (from_customer && !plain.empty() && plain.back() == '}') {
      if (plain.find("\"t\":\"consent\"") != std::string::npos) ++cs;
      uint64_t named = cs + ((arg >> 6) == 3 ? 1 : 0);
      if (named > 0) plain.insert(plain.size() - 1, ",\"cs\":" + std::to_string(named));
    }
    session::Session& sender = from_customer ? pair.customer : pair.agent;
    session::Session& receiver = from_customer ? pair.agent : pair.customer;
    std::vector<uint8_t> record = seal(sender, purpose, plain);
    if (record.empty()) continue;
    bool must_fail = false;
    if (relay == 4) {
      last = record;
      last_grants = arg;
      continue;  // dropped
    }
    if (relay == 5 && !last.empty()) {
      std::swap(record, last);  // the relay delivers an earlier record (maybe once more)
      std::swap(arg, last_grants);
    } else {
      last = record;
      last_grants = arg;
    }
    if (relay == 6) {
      record[arg % record.size()] ^= static_cast<uint8_t>(1u << (op & 7));
      must_fail = true;
    }
    const bool was_closed = from_customer && inbox.closed(receiver);
    InboundRecord in;
    Status status = from_customer ? inbox.receive(receiver, record, kNow, in) : customer_receive(receiver, record, kNow, in);
    if (status != Status::ok) continue;
    if (must_fail) std::abort();                              // a flipped bit opened
    if (was_closed) std::abort();  // the gate let a record of its epoch through
    if ((in.type == BodyType::text || in.type == BodyType::typing) && in.purpose != "chat") std::abort();
    if ((in.type == BodyType::consent || in.type == BodyType::signal || in.type == BodyType::reveal_key) &&
        in.purpose != "routing")
      std::abort();
    if (!from_customer && in.type == BodyType::consent) std::abort();  // the agent is not a consent source
    if (from_customer && in.type == BodyType::reveal_key) std::abort();
    if (from_customer && in.type == BodyType::consent) {
      for (int bit = 0; bit < 3; ++bit) {
        const char* p = kPurposes[bit + 1];
        if (!((arg >> bit) & 1) && receiver.has_keys(p)) std::abort();  // not granted: no key left
      }
    }
  }
  return 0;
}
