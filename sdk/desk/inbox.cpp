#include "sdk/desk/inbox.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "sdk/consent/canonical.h"
#include "sdk/crypto/library.h"
#include "sdk/desk/left_message.h"

namespace sealdesk::desk {
namespace {

using nlohmann::json;

// Opens and checks one record; the plaintext is wiped before this returns.
Status open_body(session::Session& session, std::span<const uint8_t> sealed, double now_ms, RecordBody& body,
                 std::string& purpose, std::string* why) {
  std::vector<uint8_t> plain(sealed.size());  // the plaintext is never longer than the record
  auto opened = session.open_message(sealed, plain);
  if (!opened.ok()) {
    crypto::wipe(plain.data(), plain.size());
    if (why) *why = "a record from the peer did not open";
    return opened.status();
  }
  auto decoded = decode_body(std::span<const uint8_t>(plain).first(opened.value().length), now_ms);
  crypto::wipe(plain.data(), plain.size());
  if (!decoded.ok()) {
    if (why) *why = decoded.error().detail;
    return decoded.status();
  }
  body = std::move(decoded).value();
  purpose = session.purposes().at(opened.value().purpose);
  return Status::ok;
}

bool is_key_of(const json& value, size_t bytes) {
  if (!value.is_string()) return false;
  auto decoded = consent::base64url_decode(value.get<std::string>());
  const bool ok = decoded && decoded->size() == bytes;
  if (decoded) crypto::wipe(decoded->data(), decoded->size());
  return ok;
}

Status dropped(const RecordBody& body, const std::string& purpose, std::string* why) {
  if (why) *why = std::string("a ") + body_type_name(body.type) + " record under " + purpose + " was dropped";
  return Status::malformed;
}

}  // namespace

Status AgentInbox::receive(session::Session& session, std::span<const uint8_t> sealed, double now_ms, InboundRecord& out,
                           std::string* why) {
  out = InboundRecord{};
  stopped_.clear();
  // The consent sequence counts per epoch: the customer's new handshake opens a closed gate.
  if (session.epoch() != epoch_) {
    gate_.reset();
    epoch_ = session.epoch();
  }
  if (gate_.closed()) {
    if (why) *why = "this conversation stopped at a lost consent update until the customer reconnects";
    return Status::consent_gap;
  }
  RecordBody body;
  if (Status s = open_body(session, sealed, now_ms, body, out.purpose, why); s != Status::ok) return s;
  if (Status s = gate_.admit(body.type, body.consent_seq); s != Status::ok) {
    if (s == Status::consent_gap) {
      // Maybe a revoke was dropped: nothing the customer may have withdrawn goes on working.
      for (const std::string& p : session.purposes()) {
        if (session.has_keys(p) && p != "routing") stopped_.push_back(p);
        session.wipe_purpose(p);
      }
      if (why) *why = "a consent update from the customer was lost on the way";
    }
    return s;
  }
  const bool routing = out.purpose == "routing", chat = out.purpose == "chat";
  switch (body.type) {
    case BodyType::text:
    case BodyType::typing:
      if (!chat) return dropped(body, out.purpose, why);
      break;
    case BodyType::signal: {
      if (!routing) return dropped(body, out.purpose, why);
      const json doc = json::parse(body.json);
      const json& m = doc["m"];
      // A ring names the call's id, from which both sides derive the call's frame keys.
      if (m.contains("type") && m["type"] == "ring" && !(m.contains("call") && is_key_of(m["call"], session::Session::kCallIdBytes))) {
        if (why) *why = "a ring without a valid call id was dropped";
        return Status::malformed;
      }
      break;
    }
    case BodyType::consent: {
      if (!routing) return dropped(body, out.purpose, why);
      const json doc = json::parse(body.json);
      const json& purposes = doc["summary"]["purposes"];
      // A purpose the update does not name as granted loses its keys here too (fail closed).
      for (const std::string& p : session.purposes()) {
        auto state = purposes.find(p);
        if (state != purposes.end() && *state == "granted") continue;
        if (session.has_keys(p) && p != "routing") stopped_.push_back(p);
        session.wipe_purpose(p);
      }
      auto reveal = purposes.find("pii_reveal");
      out.reveal_granted = reveal != purposes.end() && *reveal == "granted";
      if (doc["summary"].contains("privacy")) privacy_mode_ = true;  // decode_body admits only `true`
      break;
    }
    case BodyType::reveal_key:
      return dropped(body, out.purpose, why);  // the customer has no reveal key to offer
  }
  out.type = body.type;
  out.json = std::move(body.json);
  out.privacy_mode = privacy_mode_;
  return Status::ok;
}

Status AgentInbox::receive_left(session::Session& session, const crypto::IdentityKey& desk, std::string_view relay_session,
                                std::span<const uint8_t> sealed, double now_ms, InboundRecord& out, std::string* why) {
  out = InboundRecord{};
  LeftMessage left;
  if (Status s = open_left_message(desk, relay_session, sealed, now_ms, left, why); s != Status::ok) return s;
  const nlohmann::json body = nlohmann::json::parse(left.json, nullptr, false);
  const std::string id = body.value("id", "");
  if (std::find(left_ids_.begin(), left_ids_.end(), id) != left_ids_.end()) {
    if (why) *why = "this left message was already shown";
    return Status::replayed;
  }
  if (Status s = session.expect_peer(left.customer); s != Status::ok) {
    if (why) *why = "a left message from another customer than this conversation's";
    return s;
  }
  left_ids_.push_back(id);
  out.type = BodyType::text;
  out.purpose = "chat";
  out.json = std::move(left.json);
  out.privacy_mode = privacy_mode_;
  return Status::ok;
}

bool AgentInbox::end(session::Session& session) {
  session.end();
  gate_.reset();
  stopped_.clear();
  return privacy_mode_;
}

Status customer_receive(session::Session& session, std::span<const uint8_t> sealed, double now_ms, InboundRecord& out,
                        std::string* why) {
  out = InboundRecord{};
  RecordBody body;
  if (Status s = open_body(session, sealed, now_ms, body, out.purpose, why); s != Status::ok) return s;
  const bool routing = out.purpose == "routing", chat = out.purpose == "chat";
  switch (body.type) {
    case BodyType::text:
    case BodyType::typing:
      if (!chat) return dropped(body, out.purpose, why);
      break;
    case BodyType::signal:
      if (!routing) return dropped(body, out.purpose, why);
      break;
    case BodyType::reveal_key:
      if (!routing) return dropped(body, out.purpose, why);
      if (!is_key_of(json::parse(body.json)["key"], 32)) {
        if (why) *why = "reveal key is not 32 bytes of base64url";
        return Status::malformed;
      }
      break;
    case BodyType::consent:
      return dropped(body, out.purpose, why);  // the agent does not speak for the customer's consent
  }
  out.type = body.type;
  out.json = std::move(body.json);
  return Status::ok;
}

}  // namespace sealdesk::desk
