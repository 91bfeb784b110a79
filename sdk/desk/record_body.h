// The plaintext of a sealed record: a small JSON body, checked on the way in (the peer is
// authenticated, but its software may be buggy or old), and the consent sequence that binds the
// customer's consent state into every record it sends.
//
//   { t: "text", id, text, findings?, at, cs }   a chat message (the customer's: already masked)
//   { t: "typing", cs }                          typing indicator (chat purpose)
//   { t: "consent", summary, cs }                the customer's consent state (routing purpose);
//                                                summary.privacy: true once privacy mode is on
//   { t: "reveal-key", key }                     agent: this session's X25519 public key for
//                                                sealed PII reveal tokens (routing purpose)
//   { t: "signal", m, cs }                       call signaling (routing purpose)
// A text message's findings may carry `reveal`: the original sealed to the agent's reveal key
// ("[sealed:type:base64url]", sdk/pii/masker.h), sent only while the customer grants pii_reveal.
//
// Consent sequence (cs): the customer numbers its consent updates per epoch, 1, 2, ..., and puts
// the number of the latest one it sent in every record. The record is sealed, so the relay can
// neither change the number nor forge an update; it can only drop records. The agent's
// ConsentGate refuses a record that names an update it never received, and stays closed for
// the epoch: dropping a revoke stops the conversation instead of letting it go on under the old
// consent. (The number sits in the sealed plaintext, which the AEAD authenticates like its
// associated data; the record header stays the ratchet's.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "sdk/common/status.h"

namespace sealdesk::desk {

inline constexpr size_t kMaxTextUnits = 16 * 1024;                     // UTF-16 units of one chat message
inline constexpr size_t kMaxBodyBytes = 4 * kMaxTextUnits + 16 * 1024;  // UTF-8 worst case plus findings

enum class BodyType : uint8_t { text, typing, consent, reveal_key, signal };
const char* body_type_name(BodyType type);  // the JSON `t`

struct RecordBody {
  BodyType type = BodyType::text;
  uint64_t consent_seq = 0;  // 0 when the body carries none
  std::string json;          // the checked body, normalised (what the JS edge shows)
};

// Checks and normalises a body: malformed (not UTF-8 JSON, no known type, a text message without
// id or text, findings out of range are dropped), too_large (over kMaxBodyBytes or kMaxTextUnits).
// now_ms stands in for a missing `at`.
Result<RecordBody> decode_body(std::span<const uint8_t> plaintext, double now_ms);
// Checks a body this side is about to seal (same rules) and stamps cs when consent_seq > 0.
Result<std::string> encode_body(std::string_view json_text, uint64_t consent_seq);

// The agent's side of the consent sequence, for one epoch of one conversation.
class ConsentGate {
 public:
  // Admits a record: a consent update must be the next one (last + 1); any other record may not
  // name an update newer than the last one received (older is fine: it was sent before an
  // update the relay delivered first). consent_gap otherwise, and the gate stays closed.
  Status admit(BodyType type, uint64_t consent_seq);
  bool closed() const { return closed_; }
  uint64_t last() const { return last_; }
  void reset() { *this = ConsentGate(); }  // a new epoch: a new handshake, a new count

 private:
  uint64_t last_ = 0;
  bool closed_ = false;
};

}  // namespace sealdesk::desk
