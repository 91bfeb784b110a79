// The session handshake (wire format v1, sdk/crypto/PROTOCOL.md §2): SIGMA-style, three messages,
// customer first.
//
//   hello   customer -> agent : session id, epoch, customer ephemeral X25519 key, purposes
//   reply   agent -> customer : agent ephemeral key, agent identity key, Ed25519 signature and
//                               HMAC over the transcript so far
//   finish  customer -> agent : customer identity key, signature and HMAC over the whole transcript
//
// Signatures bind identities to the ephemeral keys and the transcript (roles, session id, epoch,
// purposes and every public key); the HMACs, keyed from the X25519 secret, prove each side holds
// that secret and bind its identity to it (Krawczyk's SIGMA). The customer refuses a reply whose
// identity key is not the pinned agent desk key (KEY_MISMATCH) before looking at anything else.
// Keys come from HKDF-SHA256 (RFC 5869) keyed by the X25519 secret, salted with the transcript.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sdk/common/status.h"
#include "sdk/crypto/identity.h"
#include "sdk/crypto/message_ratchet.h"
#include "sdk/crypto/secret_bytes.h"

namespace sealdesk::session {

using crypto::SessionId;

inline constexpr uint8_t kHandshakeVersion = 1;
inline constexpr size_t kMaxPurposes = 16;
inline constexpr size_t kMaxPurposeIdBytes = 32;
inline constexpr size_t kTranscriptHashBytes = 32;
inline constexpr size_t kHandshakeReplyBytes = 182;
inline constexpr size_t kHandshakeFinishBytes = 150;

enum class HandshakeType : uint8_t { hello = 0x10, reply = 0x11, finish = 0x12 };

// What a completed handshake hands to the session. master is wiped by the session as soon as it
// has derived the per-purpose keys.
struct EstablishedEpoch {
  SessionId session_id{};
  uint32_t epoch = 0;
  std::vector<std::string> purposes;
  crypto::SecretBytes<32> master;
  std::array<uint8_t, kTranscriptHashBytes> transcript_hash{};
  crypto::IdentityPublicKey peer_identity{};
  std::string safety_code;  // "12345 67890 12345": 15 digits, ~49.8 bits
};

// Purpose ids: 1..32 bytes of [a-z0-9_.-], at most 16, no repeats. invalid_argument otherwise.
Status validate_purposes(std::span<const std::string> purposes);

// The message type of a handshake message, after checking its version.
Result<HandshakeType> handshake_message_type(std::span<const uint8_t> message);

class CustomerHandshake {
 public:
  // Writes the hello for (session_id, epoch) and keeps the ephemeral secret for the reply.
  static Result<CustomerHandshake> start(const SessionId& session_id, uint32_t epoch,
                                         const crypto::IdentityPublicKey& pinned_agent_key,
                                         std::span<const std::string> purposes, std::vector<uint8_t>& hello);

  // Checks the agent's reply and writes the finish message. Errors: malformed,
  // unsupported_version, key_mismatch (not the pinned agent key), handshake_failed (wrong
  // session/epoch/type, bad ephemeral key, signature or HMAC). A failed reply changes nothing, so
  // a forged reply cannot stop the genuine one from completing the handshake.
  Result<EstablishedEpoch> finish(std::span<const uint8_t> reply, const crypto::IdentityKey& customer_identity,
                                  std::vector<uint8_t>& finish_message) const;

  uint32_t epoch() const { return epoch_; }
  const std::vector<std::string>& purposes() const { return purposes_; }

 private:
  CustomerHandshake() = default;
  SessionId session_id_{};
  uint32_t epoch_ = 0;
  crypto::IdentityPublicKey pinned_agent_key_{};
  std::vector<std::string> purposes_;
  crypto::SecretBytes<32> ephemeral_secret_;
  std::vector<uint8_t> hello_;
};

class AgentHandshake {
 public:
  // Checks a customer's hello and writes the reply, signed with the agent desk identity.
  static Result<AgentHandshake> accept(std::span<const uint8_t> hello, const crypto::IdentityKey& agent_identity,
                                       std::vector<uint8_t>& reply);

  // Checks the customer's finish message. Errors as for CustomerHandshake::finish.
  Result<EstablishedEpoch> finish(std::span<const uint8_t> finish_message) const;

  const SessionId& session_id() const { return session_id_; }
  uint32_t epoch() const { return epoch_; }
  const std::vector<std::string>& purposes() const { return purposes_; }

 private:
  AgentHandshake() = default;
  SessionId session_id_{};
  uint32_t epoch_ = 0;
  std::vector<std::string> purposes_;
  crypto::SecretBytes<32> prk_;                // HKDF-Extract(transcript hash 2, X25519 secret)
  crypto::SecretBytes<32> customer_mac_key_;
  std::vector<uint8_t> transcript_;            // hello || reply
};

}  // namespace sealdesk::session
