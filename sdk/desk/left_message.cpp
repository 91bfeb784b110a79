#include "sdk/desk/left_message.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sdk/consent/canonical.h"
#include "sdk/crypto/library.h"
#include "sdk/desk/chat_send.h"
#include "sdk/desk/payload.h"
#include "sdk/desk/record_body.h"

namespace sealdesk::desk {
namespace {

constexpr std::string_view kDomain = "SealDesk/1 left message";
constexpr size_t kInnerHeaderBytes = 1 + crypto::kIdentityPublicKeyBytes + crypto::kSignatureBytes;

bool is_relay_session_id(std::string_view id) {
  return !id.empty() && id.size() <= kMaxRelaySessionIdBytes &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
         });
}

// What the customer signs: the domain, the desk it is for, the conversation, the body.
std::vector<uint8_t> signed_bytes(std::span<const uint8_t> desk_key, std::string_view relay_session, std::string_view body) {
  std::vector<uint8_t> out(kDomain.size() + desk_key.size() + 1 + relay_session.size() + body.size());
  uint8_t* at = out.data();
  std::memcpy(at, kDomain.data(), kDomain.size());
  at += kDomain.size();
  std::memcpy(at, desk_key.data(), desk_key.size());
  at += desk_key.size();
  *at++ = static_cast<uint8_t>(relay_session.size());
  std::memcpy(at, relay_session.data(), relay_session.size());
  at += relay_session.size();
  if (!body.empty()) std::memcpy(at, body.data(), body.size());
  return out;
}

// A contact as typed, or why not: valid UTF-8, UTF-16 units at most kMaxContactUnits, no control characters.
Status check_contact(std::string_view contact) {
  if (!consent::is_valid_utf8(contact)) return Status::invalid_utf8;
  size_t units = 0;
  for (unsigned char c : contact) {
    if (c < 0x20 || c == 0x7F) return Status::invalid_argument;
    if ((c & 0xC0) != 0x80) units += c >= 0xF0 ? 2 : 1;
  }
  return units > kMaxContactUnits ? Status::too_large : Status::ok;
}

}  // namespace

Status seal_left_message(const consent::ConsentEngine& engine, pii::Masker& masker, const crypto::IdentityKey& customer,
                         std::span<const uint8_t> desk_key, std::string_view relay_session, std::string_view text,
                         std::string_view contact, std::string_view id, int64_t now_ms, pii::MaskResult& masked,
                         std::vector<uint8_t>& payload, std::string* why) {
  payload.clear();
  if (Status s = engine.allows_capability("chat.send", now_ms, why); s != Status::ok) return s;
  if (desk_key.size() != crypto::kIdentityPublicKeyBytes || !is_relay_session_id(relay_session)) return Status::invalid_argument;
  if (Status s = check_contact(contact); s != Status::ok) {
    if (why) *why = "the contact for the reply is too long or has control characters";
    return s;
  }
  std::string body_text;
  if (Status s = encode_text_body(masker, text, id, now_ms, 0, masked, body_text); s != Status::ok) return s;
  if (!contact.empty()) {
    nlohmann::json body = nlohmann::json::parse(body_text, nullptr, false);
    crypto::wipe(body_text.data(), body_text.size());
    body["contact"] = std::string(contact);
    body_text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::vector<uint8_t> inner(kInnerHeaderBytes + body_text.size());
  inner[0] = kLeftMessageVersion;
  std::memcpy(inner.data() + 1, customer.public_key().data(), crypto::kIdentityPublicKeyBytes);
  std::vector<uint8_t> to_sign = signed_bytes(desk_key, relay_session, body_text);
  const crypto::Signature signature = customer.sign(to_sign);
  std::memcpy(inner.data() + 1 + crypto::kIdentityPublicKeyBytes, signature.data(), crypto::kSignatureBytes);
  std::memcpy(inner.data() + kInnerHeaderBytes, body_text.data(), body_text.size());
  payload.resize(1 + inner.size() + crypto::kSealedToIdentityOverheadBytes);
  payload[0] = static_cast<uint8_t>(PayloadKind::left);
  const Status s = crypto::seal_to_identity(std::span(payload).subspan(1), inner, desk_key);
  crypto::wipe(body_text.data(), body_text.size());
  crypto::wipe(to_sign.data(), to_sign.size());
  crypto::wipe(inner.data(), inner.size());
  if (s != Status::ok) payload.clear();
  return s;
}

Status open_left_message(const crypto::IdentityKey& desk, std::string_view relay_session, std::span<const uint8_t> sealed,
                         double now_ms, LeftMessage& out, std::string* why) {
  auto fail = [why](Status s, const char* detail) {
    if (why) *why = detail;
    return s;
  };
  if (sealed.size() < crypto::kSealedToIdentityOverheadBytes + kInnerHeaderBytes + 2) {
    return fail(Status::malformed, "left message too short");
  }
  if (sealed.size() > crypto::kSealedToIdentityOverheadBytes + kInnerHeaderBytes + kMaxBodyBytes + 4 * kMaxContactUnits + 32) {
    return fail(Status::too_large, "left message larger than a message");
  }
  if (!is_relay_session_id(relay_session)) return fail(Status::invalid_argument, "not a relay session id");
  std::vector<uint8_t> inner(sealed.size() - crypto::kSealedToIdentityOverheadBytes);
  if (Status s = desk.open_sealed(inner, sealed); s != Status::ok) return fail(s, "left message not sealed to this desk");
  auto finish = [&](Status s, const char* detail) {
    crypto::wipe(inner.data(), inner.size());
    return s == Status::ok ? s : fail(s, detail);
  };
  if (inner[0] != kLeftMessageVersion) return finish(Status::unsupported_version, "left message version unknown");
  const std::span<const uint8_t> customer_key(inner.data() + 1, crypto::kIdentityPublicKeyBytes);
  const std::span<const uint8_t> signature(inner.data() + 1 + crypto::kIdentityPublicKeyBytes, crypto::kSignatureBytes);
  const std::string_view body_text(reinterpret_cast<const char*>(inner.data()) + kInnerHeaderBytes, inner.size() - kInnerHeaderBytes);
  std::vector<uint8_t> to_verify = signed_bytes(desk.public_key(), relay_session, body_text);
  const Status verified = crypto::verify_signature(signature, to_verify, customer_key);
  crypto::wipe(to_verify.data(), to_verify.size());
  if (verified != Status::ok) return finish(Status::signature_invalid, "left message not signed for this conversation");
  auto body = decode_body(std::span(inner).subspan(kInnerHeaderBytes), now_ms);
  if (!body.ok()) return finish(body.status(), "left message body is malformed");
  if (body.value().type != BodyType::text) return finish(Status::malformed, "a left message is text");
  nlohmann::json checked = nlohmann::json::parse(body.value().json, nullptr, false);
  nlohmann::json doc = nlohmann::json::parse(body_text, nullptr, false);
  if (doc.contains("contact")) {
    if (!doc["contact"].is_string() || check_contact(doc["contact"].get_ref<const std::string&>()) != Status::ok) {
      return finish(Status::malformed, "left message contact is malformed");
    }
    checked["contact"] = doc["contact"];
  }
  checked["left"] = true;
  std::copy(customer_key.begin(), customer_key.end(), out.customer.begin());
  out.json = checked.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  crypto::wipe(body.value().json.data(), body.value().json.size());
  return finish(Status::ok, "");
}

}  // namespace sealdesk::desk
