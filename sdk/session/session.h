// An end-to-end encrypted support session between one customer and the agent desk
// (sdk/crypto/PROTOCOL.md). The session owns every key of the conversation, grouped by epoch and
// consent purpose, and is the one place that wipes them.
//
// Lifecycle
//   customer: Session::create_customer(id, pinned agent desk key) -> begin_handshake(purposes)
//             -> hello to the relay -> handle_handshake(reply) -> finish to the relay
//   agent:    Session::create_agent() -> handle_handshake(hello) -> reply
//             -> handle_handshake(finish)
// Each completed handshake is an epoch (1, 2, ...). A new epoch replaces the previous one and
// wipes all its keys: that is how an agent transfer works (the customer runs a new handshake that
// the relay routes to the new agent; the old agent holds no key of the new epoch) and how a
// re-granted purpose gets fresh keys. begin_handshake retires the customer's current epoch at
// once, so nothing is sealed for the old agent after the transfer starts.
//
// Keys per purpose (derived from the epoch master, which is wiped right after):
//   - a message chain per direction (chat, relayed voice, attachments; message_ratchet.h)
//   - a frame sender key per direction and track (kMaxTracks per purpose; frame_crypto.h)
// wipe_purpose(id) wipes one purpose's keys immediately (consent revoked); end() wipes all.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sdk/common/status.h"
#include "sdk/crypto/attachment_stream.h"
#include "sdk/crypto/frame_crypto.h"
#include "sdk/crypto/identity.h"
#include "sdk/crypto/message_ratchet.h"
#include "sdk/session/handshake.h"

namespace sealdesk::session {

enum class Role : uint8_t { customer = 0, agent = 1 };

inline constexpr uint8_t kMaxTracks = 4;  // sending tracks per purpose (e.g. screen video + audio)

// Frame key ids (PROTOCOL.md §5.3): epoch << 24 | purpose << 16 | direction << 15 | track << 8 |
// generation.
uint64_t frame_key_id(uint32_t epoch, uint8_t purpose, crypto::Direction direction, uint8_t track);

struct OpenedRecord {
  size_t length = 0;    // plaintext bytes written
  uint8_t purpose = 0;  // index into purposes()
  uint64_t counter = 0;
};

// Frame key ids of an exported purpose (the base keys go to the caller's buffers).
struct FrameKeyExport {
  uint64_t send_key_id = 0;     // this side's sender
  uint64_t receive_key_id = 0;  // the peer's sender
};

struct OpenedFrame {
  size_t length = 0;
  uint8_t purpose = 0;
  uint8_t track = 0;
};

class Session {
 public:
  // The customer side. pinned_agent_key is the agent desk's Ed25519 public key from the site's
  // widget config (invalid_argument when missing or not 32 bytes); session_id is 16 bytes.
  static Result<Session> create_customer(std::span<const uint8_t> session_id, std::span<const uint8_t> pinned_agent_key);
  // The agent side. The session id and purposes come from the customer's hello. When the desk
  // already knows the customer's identity key (a transfer), pass it: a different key is refused.
  static Result<Session> create_agent(std::span<const uint8_t> expected_customer_key = {});

  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  Role role() const { return role_; }
  const SessionId& session_id() const { return session_id_; }
  uint32_t epoch() const;  // current epoch, 0 before the first handshake completes
  bool established() const;
  bool ended() const { return ended_; }
  const std::vector<std::string>& purposes() const;  // of the current epoch
  Result<uint8_t> purpose_index(std::string_view purpose) const;
  bool has_keys(std::string_view purpose) const;  // keyed in this epoch and not wiped
  const std::string& safety_code() const;         // empty before the first handshake
  const crypto::IdentityPublicKey& peer_identity() const;
  // Agent: from now on only this customer identity may complete a handshake (a message the
  // customer left before any handshake named it). key_mismatch when the session already knows
  // another customer; invalid_argument on the customer side or for a key that is not 32 bytes.
  Status expect_peer(std::span<const uint8_t> customer_key);

  // --- handshake ---
  // Customer: starts the next epoch's handshake and returns the hello. Retires the current epoch.
  Result<std::vector<uint8_t>> begin_handshake(std::span<const std::string> purposes);
  // Both roles: takes the peer's handshake message and returns the message to send back (empty
  // when there is none). own_identity signs for this side.
  Result<std::vector<uint8_t>> handle_handshake(std::span<const uint8_t> message, const crypto::IdentityKey& own_identity);

  // --- messages ---
  static size_t sealed_message_bytes(size_t plaintext_len) { return crypto::sealed_message_bytes(plaintext_len); }
  Result<size_t> seal_message(std::string_view purpose, std::span<const uint8_t> plaintext, std::span<uint8_t> out);
  Result<OpenedRecord> open_message(std::span<const uint8_t> sealed, std::span<uint8_t> out);

  // --- attachments (files, voice notes): record header | secretstream ---
  static size_t sealed_attachment_bytes(size_t plaintext_len) {
    return crypto::kRecordHeaderBytes + crypto::attachment_sealed_bytes(plaintext_len);
  }
  Result<size_t> seal_attachment(std::string_view purpose, std::span<const uint8_t> plaintext, std::span<uint8_t> out,
                                 crypto::AttachmentProgress progress);
  Result<OpenedRecord> open_attachment(std::span<const uint8_t> sealed, std::span<uint8_t> out,
                                       crypto::AttachmentProgress progress);

  // --- media frames (hot path: no allocation) ---
  // purpose is an index from purpose_index(); resolve it again after every new epoch.
  Result<size_t> seal_frame(uint8_t purpose, uint8_t track, crypto::FrameCodec codec, std::span<const uint8_t> frame,
                            std::span<uint8_t> out);
  Result<OpenedFrame> open_frame(crypto::FrameCodec codec, std::span<const uint8_t> sealed, std::span<uint8_t> out);
  // Ratchets this side's frame key for (purpose, track) to its next generation.
  Status rotate_frame_key(uint8_t purpose, uint8_t track);
  // The frame base keys of one call for a sealer that runs elsewhere (the browser's
  // RTCRtpScriptTransform worker), both directions of (purpose, track). Every call has keys of its
  // own: HKDF-Expand(call secret, "SealDesk/1 call" || call_id || track), so a worker's counter
  // that restarts at 0 never meets a key another call used, and a frame of one call does not open
  // in another. The customer picks call_id (16 random bytes) and sends it in the ring; the agent
  // exports with the id it received. A call id is accepted once per (purpose, track) in an epoch
  // (replayed otherwise: a relay replaying an old ring cannot make either side reuse a key). The
  // in-core sealers (seal_frame) never share a key with an export. The caller wipes its copies;
  // key_wiped once the purpose was revoked.
  static constexpr size_t kCallIdBytes = 16;
  Result<FrameKeyExport> export_call_frame_keys(std::string_view purpose, uint8_t track,
                                                std::span<const uint8_t, kCallIdBytes> call_id,
                                                std::span<uint8_t, 32> send_base_key, std::span<uint8_t, 32> receive_base_key);

  // --- key lifecycle ---
  // Consent for purpose was revoked: wipe its keys now (sodium_memzero). Always succeeds; a
  // purpose without keys is a no-op. A handshake in flight will wipe it on arrival too.
  Status wipe_purpose(std::string_view purpose);
  // Wipes everything; every later call fails with KEY_WIPED.
  void end();

 private:
  struct PurposeKeys;  // one purpose's chains and frame keys (session.cpp)
  struct Keys;         // every key of the current epoch
  Session() = default;
  Status install(EstablishedEpoch& established);
  Result<PurposeKeys*> usable_purpose(uint8_t purpose);
  Result<PurposeKeys*> usable_purpose(std::string_view purpose);

  Role role_ = Role::customer;
  SessionId session_id_{};
  bool session_id_known_ = false;
  crypto::IdentityPublicKey pinned_peer_key_{};  // customer: the agent desk; agent: optional customer key
  bool peer_key_pinned_ = false;
  crypto::IdentityPublicKey peer_identity_{};
  uint32_t last_epoch_ = 0;
  std::unique_ptr<CustomerHandshake> customer_pending_;
  std::unique_ptr<AgentHandshake> agent_pending_;
  std::vector<std::string> revoked_while_pending_;
  std::unique_ptr<Keys> keys_;
  std::string safety_code_;
  bool ended_ = false;
};

}  // namespace sealdesk::session
