// Attachments (files, voice notes): libsodium's crypto_secretstream_xchacha20poly1305 in chunks
// of kAttachmentChunkBytes (PROTOCOL.md §4).
//
// The stream authenticates order (each chunk's nonce follows from the previous one), so swapped,
// dropped or repeated chunks fail to open (AUTH_FAILED), and the last chunk carries the FINAL tag,
// so a stream cut at a chunk boundary is TRUNCATED rather than silently shorter. Every chunk also
// authenticates caller-supplied associated data (the record header), binding the stream to its
// session, epoch and counter.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "sdk/common/status.h"
#include "sdk/crypto/function_ref.h"
#include "sdk/crypto/secret_bytes.h"

namespace sealdesk::crypto {

inline constexpr size_t kAttachmentKeyBytes = 32;
inline constexpr size_t kAttachmentStreamHeaderBytes = 24;  // secretstream header
inline constexpr size_t kAttachmentChunkBytes = 64 * 1024;  // plaintext per chunk
inline constexpr size_t kAttachmentChunkOverhead = 17;       // tag byte + Poly1305 MAC
inline constexpr size_t kMaxAttachmentBytes = size_t{256} * 1024 * 1024;

// Number of chunks for a plaintext of n bytes (an empty attachment is one empty FINAL chunk).
constexpr size_t attachment_chunk_count(size_t n) { return n == 0 ? 1 : (n + kAttachmentChunkBytes - 1) / kAttachmentChunkBytes; }
// Stream header plus every sealed chunk.
constexpr size_t attachment_sealed_bytes(size_t n) {
  return kAttachmentStreamHeaderBytes + n + attachment_chunk_count(n) * kAttachmentChunkOverhead;
}

// Called after each chunk with (bytes of plaintext done, total plaintext bytes).
using AttachmentProgress = FunctionRef<void(uint64_t done, uint64_t total)>;

class AttachmentSealer {
 public:
  // Starts a stream under key; writes the stream header.
  static Result<AttachmentSealer> start(std::span<const uint8_t, kAttachmentKeyBytes> key,
                                        std::span<uint8_t, kAttachmentStreamHeaderBytes> header);
  AttachmentSealer(AttachmentSealer&& other) noexcept;
  AttachmentSealer& operator=(AttachmentSealer&&) = delete;
  ~AttachmentSealer();

  // Seals one chunk (at most kAttachmentChunkBytes) into out (chunk.size() + 17 bytes).
  // final marks the last chunk; nothing can be pushed after it.
  Result<size_t> push(std::span<const uint8_t> chunk, std::span<const uint8_t> associated_data, bool final,
                      std::span<uint8_t> out);

 private:
  AttachmentSealer() = default;
  SecretBytes<52> state_;  // crypto_secretstream_xchacha20poly1305_state: holds the key
  bool finished_ = false;
};

class AttachmentOpener {
 public:
  static Result<AttachmentOpener> start(std::span<const uint8_t, kAttachmentKeyBytes> key,
                                        std::span<const uint8_t> header);
  AttachmentOpener(AttachmentOpener&& other) noexcept;
  AttachmentOpener& operator=(AttachmentOpener&&) = delete;
  ~AttachmentOpener();

  // Opens one sealed chunk into out (sealed_chunk.size() - 17 bytes). auth_failed for a chunk
  // that was altered, reordered or repeated; malformed for a chunk after the final one.
  Result<size_t> pull(std::span<const uint8_t> sealed_chunk, std::span<const uint8_t> associated_data,
                      std::span<uint8_t> out);
  // truncated unless the FINAL chunk was opened.
  Status finish() const;
  bool finished() const { return finished_; }

 private:
  AttachmentOpener() = default;
  SecretBytes<52> state_;
  bool finished_ = false;
};

// Whole-buffer helpers: seal plaintext into out (attachment_sealed_bytes(plaintext.size())), or
// open sealed into out (at least the plaintext size: sealed.size() minus overheads), calling
// progress after every chunk. Opening fails closed: on any error out is wiped.
Result<size_t> seal_attachment(std::span<const uint8_t, kAttachmentKeyBytes> key,
                               std::span<const uint8_t> associated_data, std::span<const uint8_t> plaintext,
                               std::span<uint8_t> out, AttachmentProgress progress);
Result<size_t> open_attachment(std::span<const uint8_t, kAttachmentKeyBytes> key,
                               std::span<const uint8_t> associated_data, std::span<const uint8_t> sealed,
                               std::span<uint8_t> out, AttachmentProgress progress);

}  // namespace sealdesk::crypto
