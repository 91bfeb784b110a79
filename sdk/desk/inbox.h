// What one side of a conversation does with a sealed record from its peer: open it with the
// session, check its body, admit it through the consent sequence (agent), keep only what the
// record's purpose allows, and apply a consent update to the session's keys. Bytes and times in,
// one typed record out; no clock, socket or DOM.
//
// Record type x purpose, what each side accepts (anything else: malformed, nothing shown):
//   customer <- agent:    signal, reveal-key under routing; text, typing under chat
//   agent    <- customer: signal, consent under routing;    text, typing under chat
// Chat text under voice or routing would show what the customer never granted chat for.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sdk/common/status.h"
#include "sdk/crypto/identity.h"
#include "sdk/desk/record_body.h"
#include "sdk/session/session.h"

namespace sealdesk::desk {

struct InboundRecord {
  BodyType type = BodyType::text;
  std::string purpose;          // the purpose the record was sealed under
  std::string json;             // the checked body (record_body.h), for the JS edge to show
  bool reveal_granted = false;  // a consent update: the customer grants pii_reveal
  bool privacy_mode = false;    // the conversation is in privacy mode (as of this record)
};

// The agent's inbox for one conversation (one relay session), across its epochs.
class AgentInbox {
 public:
  // Opens one record (the bytes of a "record" payload). Errors, and nothing shown: the session's
  // own (auth_failed, replayed, unknown_key, key_wiped...), malformed / too_large bodies, a type
  // under the wrong purpose (malformed), a ring without a 16-byte call id (malformed), and
  // consent_gap: the record names a consent update that never arrived. Then every key of the
  // epoch is wiped and every later record of the epoch refused with consent_gap, until the
  // customer's next handshake starts a new epoch (and a new count).
  // A consent update wipes the keys of every purpose it does not name as granted.
  // stopped() lists the purposes whose keys this call wiped (routing not included).
  Status receive(session::Session& session, std::span<const uint8_t> sealed, double now_ms, InboundRecord& out,
                 std::string* why = nullptr);
  const std::vector<std::string>& stopped() const { return stopped_; }
  // A message the customer left while no agent had accepted (left_message.h): opened with the
  // desk's identity for relay_session, shown as text under chat. Its signer is pinned on session,
  // so a customer still on the page must complete the handshake with the same identity
  // (key_mismatch otherwise; so is a left message from another customer than the session knows).
  // replayed for a message id this conversation already showed; the errors of open_left_message.
  Status receive_left(session::Session& session, const crypto::IdentityKey& desk, std::string_view relay_session,
                      std::span<const uint8_t> sealed, double now_ms, InboundRecord& out, std::string* why = nullptr);
  // Privacy mode: on from the first consent update that says so, for the rest of the
  // conversation (every epoch, every agent it is transferred to). Only the customer's sealed
  // update turns it on; nothing turns it off: an update without the flag leaves it on, so neither
  // the agent's software nor a relay replaying an old update can end it.
  bool privacy_mode() const { return privacy_mode_; }
  // The conversation ended, or moved to another agent: every key of session is wiped at once
  // (Session::end). Returns whether the agent must also forget every record it was shown of it:
  // true in privacy mode, so what the customer said outlives the end nowhere on the agent's side.
  bool end(session::Session& session);
  // Stopped at a lost consent update in session's current epoch (a re-key opens it again).
  bool closed(const session::Session& session) const { return session.epoch() == epoch_ && gate_.closed(); }

 private:
  ConsentGate gate_;
  uint32_t epoch_ = 0;
  bool privacy_mode_ = false;
  std::vector<std::string> stopped_;
  std::vector<std::string> left_ids_;
};

// The customer's side: the same, without a consent sequence (the customer is its source). A
// reveal-key record's key is checked to be 32 bytes of base64url.
Status customer_receive(session::Session& session, std::span<const uint8_t> sealed, double now_ms, InboundRecord& out,
                        std::string* why = nullptr);

}  // namespace sealdesk::desk
