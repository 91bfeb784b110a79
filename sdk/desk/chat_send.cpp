#include "sdk/desk/chat_send.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "sdk/crypto/library.h"
#include "sdk/desk/payload.h"
#include "sdk/desk/record_body.h"

namespace sealdesk::desk {

Status encode_text_body(pii::Masker& masker, std::string_view text, std::string_view id, int64_t now_ms,
                        uint64_t consent_seq, pii::MaskResult& masked, std::string& body_json,
                        std::span<const uint8_t> reveal_key) {
  if (id.empty() || id.size() > 64) return Status::invalid_argument;
  // UTF-16 units (a four-byte sequence is two) before masking: the limit is the customer's text.
  size_t units = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) units += c >= 0xF0 ? 2 : 1;
    if (units > kMaxTextUnits) return Status::too_large;
  }
  if (Status s = masker.mask(text, masked, reveal_key); s != Status::ok) return s;
  if (std::all_of(masked.text.begin(), masked.text.end(), [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); })) {
    return Status::invalid_argument;  // an empty message is not sent
  }
  nlohmann::json findings = nlohmann::json::array();
  for (size_t i = 0; i < masked.findings.size(); ++i) {
    const pii::Finding& f = masked.findings[i];
    nlohmann::json one = {{"type", f.type},
                          {"style", pii::style_name(f.style)},
                          {"maskedStart", f.masked_start_utf16},
                          {"maskedEnd", f.masked_end_utf16}};
    if (i < masked.reveal_tokens.size()) one["reveal"] = masked.reveal_tokens[i];
    findings.push_back(std::move(one));
  }
  nlohmann::json body = {{"t", "text"}, {"id", id}, {"text", masked.text}, {"findings", std::move(findings)}, {"at", now_ms}};
  if (consent_seq > 0) body["cs"] = consent_seq;
  body_json = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return Status::ok;
}

Status seal_chat_message(const consent::ConsentEngine& engine, pii::Masker& masker, session::Session& session,
                         std::string_view text, std::string_view id, int64_t now_ms, uint64_t consent_seq,
                         pii::MaskResult& masked, std::vector<uint8_t>& payload, std::string* why,
                         std::span<const uint8_t> reveal_key) {
  payload.clear();
  if (Status s = engine.allows_capability("chat.send", now_ms, why); s != Status::ok) return s;
  // Reveal tokens only while pii_reveal is granted: without it nothing of the original leaves.
  if (!reveal_key.empty() && engine.allows_capability("chat.reveal_pii", now_ms) != Status::ok) reveal_key = {};
  std::string plaintext;
  if (Status s = encode_text_body(masker, text, id, now_ms, consent_seq, masked, plaintext, reveal_key); s != Status::ok) return s;
  payload.resize(1 + session::Session::sealed_message_bytes(plaintext.size()));
  payload[0] = static_cast<uint8_t>(PayloadKind::record);
  auto sealed = session.seal_message(
      "chat", std::span(reinterpret_cast<const uint8_t*>(plaintext.data()), plaintext.size()), std::span(payload).subspan(1));
  crypto::wipe(plaintext.data(), plaintext.size());
  if (!sealed.ok()) {
    payload.clear();
    return sealed.status();
  }
  payload.resize(1 + sealed.value());
  return Status::ok;
}

}  // namespace sealdesk::desk
