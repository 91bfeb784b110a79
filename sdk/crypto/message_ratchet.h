// Ratcheted chat messages and record keys (wire format v1, sdk/crypto/PROTOCOL.md §3).
//
// Each direction of each consent purpose has its own symmetric KDF chain (Signal's Double Ratchet
// spec, §2.2 "symmetric-key ratchet", with its recommended KDF_CK: HMAC-SHA256 with constants 0x01
// for the message key and 0x02 for the next chain key). A message key is used for exactly one
// record and wiped; the chain key moves forward, so a key taken from memory today cannot open
// what was sent before (forward secrecy). Messages are sealed with XChaCha20-Poly1305 IETF and
// the 32-byte record header (version, type, session, epoch, purpose, direction, counter) is the
// AEAD's associated data.
//
// Out-of-order delivery: a receiver accepts a counter up to kMessageWindow ahead of the next one
// expected (deriving and keeping the keys it skipped) and up to kMessageWindow behind the newest
// one accepted, if its key is still held. A counter already opened is REPLAYED; one further
// behind is OUTSIDE_WINDOW; one further ahead is OUTSIDE_WINDOW too (no unbounded key derivation
// for a forged header). State advances only after a record authenticates.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sdk/common/status.h"
#include "sdk/crypto/function_ref.h"
#include "sdk/crypto/secret_bytes.h"

namespace sealdesk::crypto {

inline constexpr uint8_t kRecordVersion = 1;
inline constexpr size_t kSessionIdBytes = 16;
inline constexpr size_t kRecordHeaderBytes = 32;
inline constexpr size_t kMessageTagBytes = 16;         // Poly1305
inline constexpr size_t kChainKeyBytes = 32;
inline constexpr size_t kMessageKeyBytes = 32;
inline constexpr size_t kMaxMessageBytes = 64 * 1024;  // plaintext; more is TOO_LARGE
inline constexpr uint64_t kMessageWindow = 1000;       // skipped keys ahead, and reach behind

using SessionId = std::array<uint8_t, kSessionIdBytes>;

// Who sends on a chain. The customer's sending chain is the agent's receiving chain.
enum class Direction : uint8_t { customer_to_agent = 0, agent_to_customer = 1 };

enum class RecordType : uint8_t { message = 1, attachment = 2 };

// The fields of the 32-byte record header (PROTOCOL.md §3.1), big-endian on the wire.
struct RecordHeader {
  RecordType type = RecordType::message;
  SessionId session_id{};
  uint32_t epoch = 0;
  uint8_t purpose = 0;  // index into the epoch's purpose list (bound by the handshake)
  Direction direction = Direction::customer_to_agent;
  uint64_t counter = 0;
};

// What a chain is for: every header it writes or accepts carries exactly these values.
struct ChainContext {
  SessionId session_id{};
  uint32_t epoch = 0;
  uint8_t purpose = 0;
  Direction direction = Direction::customer_to_agent;
};

void encode_record_header(const RecordHeader& header, std::span<uint8_t, kRecordHeaderBytes> out);
// malformed when shorter than a header or with an unknown type/direction; unsupported_version
// when the version byte is not kRecordVersion.
Result<RecordHeader> parse_record_header(std::span<const uint8_t> record);

// Length hiding: plaintext + 1 marker byte rounded up to a bucket. Buckets are powers of two from
// 128 to 4096 bytes, then Padmé (Nikitin et al., PETS 2019: at most ~12 % overhead, leaks
// O(log log n) bits of the length). Padding is ISO/IEC 7816-4: 0x80 then zeros.
size_t padded_message_bytes(size_t plaintext_len);
// Size of a sealed message for a plaintext of plaintext_len bytes (<= kMaxMessageBytes).
size_t sealed_message_bytes(size_t plaintext_len);

class MessageSender {
 public:
  MessageSender(const ChainContext& context, std::span<const uint8_t, kChainKeyBytes> chain_key);

  // Seals plaintext as the next message into out (at least sealed_message_bytes(plaintext.size())).
  // Returns the sealed size. out may not overlap plaintext.
  Result<size_t> seal(std::span<const uint8_t> plaintext, std::span<uint8_t> out);

  // Takes the next counter for a record of another type (an attachment): writes its header and
  // the record's key. The caller wipes nothing: key is a SecretBytes.
  Status next_record(RecordType type, std::span<uint8_t, kRecordHeaderBytes> header,
                     SecretBytes<kMessageKeyBytes>& key);

  uint64_t next_counter() const { return next_counter_; }
  const ChainContext& context() const { return context_; }

 private:
  ChainContext context_;
  SecretBytes<kChainKeyBytes> chain_key_;
  uint64_t next_counter_ = 0;
};

class MessageReceiver {
 public:
  MessageReceiver(const ChainContext& context, std::span<const uint8_t, kChainKeyBytes> chain_key);

  // Opens a sealed message into out (at least sealed.size() - kRecordHeaderBytes - kMessageTagBytes
  // bytes; out may be sealed shifted by kRecordHeaderBytes, i.e. in place, or disjoint).
  // Returns the plaintext length. Errors: malformed, unsupported_version, unknown_key (header for
  // another session/epoch/purpose/direction), replayed, outside_window, auth_failed, too_large.
  Result<size_t> open(std::span<const uint8_t> sealed, std::span<uint8_t> out);

  // Checks header against this chain, derives the record's key and lets use() try it. The chain
  // advances (and the key is dropped) only when use returns ok.
  Status open_record(const RecordHeader& header, FunctionRef<Status(std::span<const uint8_t, kMessageKeyBytes>)> use);

  uint64_t next_counter() const { return next_counter_; }
  size_t skipped_keys_held() const { return skipped_.size(); }
  const ChainContext& context() const { return context_; }

 private:
  struct SkippedKey {
    uint64_t counter = 0;
    SecretBytes<kMessageKeyBytes> key;
  };
  Status check_header(const RecordHeader& header) const;
  void evict_old_skipped_keys();

  ChainContext context_;
  SecretBytes<kChainKeyBytes> chain_key_;
  uint64_t next_counter_ = 0;
  std::vector<SkippedKey> skipped_;  // keys of counters that were jumped over, within the window
};

// The XChaCha20-Poly1305 nonce of a record: header bytes 18..31 (epoch, purpose, direction,
// counter) then zeros. Each key seals one record, so the nonce only adds defence in depth.
void record_nonce(std::span<const uint8_t, kRecordHeaderBytes> header, std::span<uint8_t, 24> nonce);

}  // namespace sealdesk::crypto
