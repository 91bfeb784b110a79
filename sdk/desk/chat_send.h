// The customer's send path in one call: consent check, size checks, mask, record body, seal,
// payload. What a chat message goes through before the relay sees it, in the order that keeps
// every promise: nothing unmasked is sealed, nothing is sealed without the chat grant.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sdk/common/status.h"
#include "sdk/consent/engine.h"
#include "sdk/pii/masker.h"
#include "sdk/session/session.h"

namespace sealdesk::desk {

// Masks text into masked (the preview the customer sees, findings in UTF-16 offsets), then seals
// the text record { t: "text", id, text, findings, at, cs } under chat and writes the relay
// payload (record kind | sealed) into payload. Errors, and nothing sealed:
// consent_required / consent_expired (chat.send not allowed; detail names the purpose),
// too_large (over kMaxTextUnits UTF-16 units), invalid_argument (nothing left but blanks, or a
// bad id), and the session's own (unknown_key before the handshake, key_wiped after a revoke).
// The masking half of it: checks the size, masks text into masked and writes the text record body
// (record_body.h) into body_json. The same errors, minus the consent and session ones.
// reveal_key (optional, 32 bytes): the agent's reveal key while the customer grants pii_reveal;
// each finding then carries `reveal`, its original sealed to that key, from the same masking pass.
Status encode_text_body(pii::Masker& masker, std::string_view text, std::string_view id, int64_t now_ms,
                        uint64_t consent_seq, pii::MaskResult& masked, std::string& body_json,
                        std::span<const uint8_t> reveal_key = {});

Status seal_chat_message(const consent::ConsentEngine& engine, pii::Masker& masker, session::Session& session,
                         std::string_view text, std::string_view id, int64_t now_ms, uint64_t consent_seq,
                         pii::MaskResult& masked, std::vector<uint8_t>& payload, std::string* why = nullptr,
                         std::span<const uint8_t> reveal_key = {});

}  // namespace sealdesk::desk
