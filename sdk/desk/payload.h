// What SealDesk puts in a relay frame's opaque payload (the relay never reads it), and the
// assembly of an attachment's parts. No clock, socket or allocation policy of its own: times
// come in as milliseconds from the caller.
//
//   byte 0     kind (PayloadKind)
//   bytes 1..  handshake: the handshake message (sdk/crypto/PROTOCOL.md §3; public by design,
//              authenticated by the handshake itself)
//              record: a sealed record (Session::seal_message); its plaintext is a record body
//              (record_body.h)
//              part: attachment id (8 random bytes) | part index (u16 BE) | part count (u16 BE) |
//              the next kPartBytes of a sealed attachment (Session::seal_attachment)
//              live_audio: one sealed frame (Session::seal_frame, voice purpose, track 1) whose
//              plaintext is sequence number (u32 BE) | Opus packet
//              left: a message left while no agent had accepted, sealed to the desk's identity
//              (left_message.h)
//
// A sealed attachment is cut into parts that fit a relay frame; the relay delivers them in order,
// exactly once, and the receiver opens the whole once the last part arrived. An attachment's
// plaintext is: meta length (u32 BE) | meta JSON { id, kind, mime, durationMs, at } | file.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sdk/common/status.h"

namespace sealdesk::desk {

enum class PayloadKind : uint8_t { handshake = 0x01, record = 0x02, part = 0x03, live_audio = 0x04, left = 0x05 };
// "handshake", "record", "part", "liveAudio", "left": kinds cross to JS by name.
const char* payload_kind_name(PayloadKind kind);

inline constexpr size_t kPartBytes = 96 * 1024;                 // under the relay's 128 KiB frame limit
inline constexpr size_t kMaxAttachmentBytes = 16 * 1024 * 1024;  // sealed, over all parts
inline constexpr size_t kAttachmentIdBytes = 8;
inline constexpr size_t kPartHeaderBytes = 1 + kAttachmentIdBytes + 2 + 2;
inline constexpr size_t kMaxParts = (kMaxAttachmentBytes + kPartBytes - 1) / kPartBytes;
inline constexpr size_t kMaxAttachmentMetaBytes = 4096;

using AttachmentId = std::array<uint8_t, kAttachmentIdBytes>;

struct Payload {
  PayloadKind kind = PayloadKind::record;
  std::span<const uint8_t> bytes;  // the message, record or frame; for a part, its share of the attachment
  AttachmentId attachment{};       // parts only
  uint16_t index = 0;
  uint16_t count = 0;
};

// malformed for an unknown kind, an empty body, or a part whose numbering is impossible.
Result<Payload> decode_payload(std::span<const uint8_t> payload);
// kind | bytes into out (1 + bytes.size()).
Result<size_t> encode_payload(PayloadKind kind, std::span<const uint8_t> bytes, std::span<uint8_t> out);

// Parts of a sealed attachment of sealed_len bytes (too_large over kMaxAttachmentBytes).
Result<uint16_t> part_count(size_t sealed_len);
// Part index of sealed into out (kPartHeaderBytes + its share). Returns the bytes written.
Result<size_t> encode_part(const AttachmentId& id, uint16_t index, std::span<const uint8_t> sealed, std::span<uint8_t> out);

// Collects the parts of the attachments a peer is sending. Bounded: at most max_pending
// attachments at once and max_buffered bytes over all of them; an attachment whose next part
// does not come within expiry_ms is dropped (its buffer wiped). A peer can therefore hold at most
// max_buffered bytes of this side's memory, for at most expiry_ms.
class PartAssembler {
 public:
  struct Limits {
    size_t max_pending = 4;
    size_t max_buffered = kMaxAttachmentBytes + kPartBytes;
    uint64_t expiry_ms = 120'000;
  };
  PartAssembler() = default;
  explicit PartAssembler(Limits limits) : limits_(limits) {}
  PartAssembler(PartAssembler&&) noexcept = default;
  PartAssembler& operator=(PartAssembler&&) noexcept = default;
  ~PartAssembler() { clear(); }

  // Adds one decoded part. Returns true when that part completed its attachment: take() it then.
  // Errors (the attachment concerned is dropped, the others kept): malformed (out of order,
  // numbering changed, a part for an unknown attachment), too_large (over max_buffered or
  // kMaxAttachmentBytes), outside_window (more than max_pending attachments at once).
  Result<bool> add(const Payload& part, uint64_t now_ms);
  // The completed attachment's sealed bytes (moved out; empty when none is complete).
  std::vector<uint8_t> take();
  // Drops every attachment whose last part came more than expiry_ms before now_ms; returns how many.
  size_t expire(uint64_t now_ms);
  size_t pending() const { return pending_.size(); }
  size_t buffered_bytes() const;
  void clear();  // wipes every buffer

 private:
  struct Pending {
    AttachmentId id{};
    uint16_t count = 0;
    uint16_t next = 0;
    uint64_t last_ms = 0;
    std::vector<uint8_t> bytes;
  };
  void drop(size_t index);
  Limits limits_;
  std::vector<Pending> pending_;
  std::vector<uint8_t> complete_;
};

// Attachment plaintext: meta length (u32 BE) | meta JSON | file.
struct AttachmentMeta {
  std::string id;    // at most 64 characters
  std::string kind;  // e.g. "voice-note", at most 32
  std::string mime;  // at most 100
  double duration_ms = 0;
  double at_ms = 0;
};
size_t attachment_plaintext_bytes(const AttachmentMeta& meta, size_t file_len);
Result<size_t> encode_attachment(const AttachmentMeta& meta, std::span<const uint8_t> file, std::span<uint8_t> out);
struct DecodedAttachment {
  AttachmentMeta meta;
  std::span<const uint8_t> file;  // a view into the plaintext
};
// malformed when the meta is missing, over kMaxAttachmentMetaBytes, not UTF-8 JSON, or lacks
// an id and a kind. now_ms stands in for a missing time.
Result<DecodedAttachment> decode_attachment(std::span<const uint8_t> plaintext, double now_ms);

}  // namespace sealdesk::desk
