// A message the customer leaves for support while no agent has accepted the conversation ("away"):
// it waits in the relay's store, sealed to the agent desk's pinned key, until an agent accepts
// (or the chat retention deletes it). There is no session yet, so it is sealed to the desk's
// identity (crypto::seal_to_identity) and signed by the customer's identity for this
// conversation, the same identity its handshake will present if the customer is still there:
//
//   payload  = left kind (sdk/desk/payload.h) | seal_to_identity(desk key, inner)
//   inner    = version 0x01 | customer identity public key (32) | signature (64) | body JSON
//   body     = { t: "text", id, text, findings, at, contact? }   text masked as a chat message
//   signed   = "SealDesk/1 left message" | desk public key | len(relay session id) (u8) |
//              relay session id | body JSON
//
// The relay session id under the signature keeps a relay from moving the message into another
// conversation; the customer key under it is pinned on the agent's Session, so a customer who is
// still on the page and completes the handshake must be the one who left the message
// (key_mismatch otherwise). The relay reads none of it; it can drop it, as it can drop any frame,
// or make up a message of its own, as any visitor can. contact is what the customer typed into
// "how can we reach you" for the reply, kept as typed (the customer gave it for that), at most
// kMaxContactUnits and without control characters.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sdk/common/status.h"
#include "sdk/consent/engine.h"
#include "sdk/crypto/identity.h"
#include "sdk/pii/masker.h"
#include "sdk/session/session.h"

namespace sealdesk::desk {

inline constexpr uint8_t kLeftMessageVersion = 1;
inline constexpr size_t kMaxContactUnits = 200;
inline constexpr size_t kMaxRelaySessionIdBytes = 64;

// Masks text (the preview in masked), builds the body, signs it with customer and seals it to
// desk_key into payload. Errors, and nothing sealed: consent_required / consent_expired (chat.send
// not granted), too_large (text over kMaxTextUnits, contact over kMaxContactUnits),
// invalid_argument (blank text, a bad id, relay session id or desk key, control characters in
// contact), invalid_utf8 (text or contact).
Status seal_left_message(const consent::ConsentEngine& engine, pii::Masker& masker, const crypto::IdentityKey& customer,
                         std::span<const uint8_t> desk_key, std::string_view relay_session, std::string_view text,
                         std::string_view contact, std::string_view id, int64_t now_ms, pii::MaskResult& masked,
                         std::vector<uint8_t>& payload, std::string* why = nullptr);

struct LeftMessage {
  crypto::IdentityPublicKey customer{};  // who signed it
  std::string json;                      // the checked body, { t: "text", id, text, findings, at, left: true, contact? }
};

// Opens the bytes of a left payload with the desk's identity and checks it was left in
// relay_session. Errors, and nothing shown: auth_failed (not sealed to this desk, or altered),
// unsupported_version, malformed (short, bad body), signature_invalid (not signed by the key it
// names, or for another conversation), too_large.
Status open_left_message(const crypto::IdentityKey& desk, std::string_view relay_session, std::span<const uint8_t> sealed,
                         double now_ms, LeftMessage& out, std::string* why = nullptr);

}  // namespace sealdesk::desk
