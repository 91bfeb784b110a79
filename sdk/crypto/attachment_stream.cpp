#include "sdk/crypto/attachment_stream.h"

#include <sodium.h>

#include <algorithm>
#include <string>

#include "sdk/crypto/library.h"

namespace sealdesk::crypto {
namespace {

using StreamState = crypto_secretstream_xchacha20poly1305_state;
static_assert(sizeof(StreamState) == 52 && alignof(StreamState) == 1);
static_assert(kAttachmentKeyBytes == crypto_secretstream_xchacha20poly1305_KEYBYTES);
static_assert(kAttachmentStreamHeaderBytes == crypto_secretstream_xchacha20poly1305_HEADERBYTES);
static_assert(kAttachmentChunkOverhead == crypto_secretstream_xchacha20poly1305_ABYTES);

StreamState* as_state(SecretBytes<52>& bytes) { return reinterpret_cast<StreamState*>(bytes.data()); }

constexpr size_t kSealedChunkBytes = kAttachmentChunkBytes + kAttachmentChunkOverhead;

}  // namespace

// --- sealing -----------------------------------------------------------------

Result<AttachmentSealer> AttachmentSealer::start(std::span<const uint8_t, kAttachmentKeyBytes> key,
                                                 std::span<uint8_t, kAttachmentStreamHeaderBytes> header) {
  if (Status s = ensure_ready(); s != Status::ok) return s;
  AttachmentSealer sealer;
  if (crypto_secretstream_xchacha20poly1305_init_push(as_state(sealer.state_), header.data(), key.data()) != 0) {
    return Status::internal;
  }
  return sealer;
}

AttachmentSealer::AttachmentSealer(AttachmentSealer&& other) noexcept
    : state_(std::move(other.state_)), finished_(other.finished_) {
  other.finished_ = true;
}

AttachmentSealer::~AttachmentSealer() = default;  // state_ wipes itself

Result<size_t> AttachmentSealer::push(std::span<const uint8_t> chunk, std::span<const uint8_t> associated_data,
                                      bool final, std::span<uint8_t> out) {
  if (finished_) return Error{Status::invalid_argument, "attachment stream already finished"};
  if (chunk.size() > kAttachmentChunkBytes) return Error{Status::too_large, "chunk over 65536 bytes"};
  const size_t sealed = chunk.size() + kAttachmentChunkOverhead;
  if (out.size() < sealed) return Error{Status::buffer_too_small, "sealed chunk needs " + std::to_string(sealed) + " bytes"};
  const uint8_t tag = final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  if (crypto_secretstream_xchacha20poly1305_push(as_state(state_), out.data(), nullptr, chunk.data(), chunk.size(),
                                                 associated_data.data(), associated_data.size(), tag) != 0) {
    return Status::internal;
  }
  if (final) {
    finished_ = true;
    state_.clear();
  }
  return sealed;
}

// --- opening -----------------------------------------------------------------

Result<AttachmentOpener> AttachmentOpener::start(std::span<const uint8_t, kAttachmentKeyBytes> key,
                                                 std::span<const uint8_t> header) {
  if (Status s = ensure_ready(); s != Status::ok) return s;
  if (header.size() != kAttachmentStreamHeaderBytes) return Error{Status::malformed, "attachment stream header must be 24 bytes"};
  AttachmentOpener opener;
  if (crypto_secretstream_xchacha20poly1305_init_pull(as_state(opener.state_), header.data(), key.data()) != 0) {
    return Error{Status::malformed, "attachment stream header rejected"};
  }
  return opener;
}

AttachmentOpener::AttachmentOpener(AttachmentOpener&& other) noexcept
    : state_(std::move(other.state_)), finished_(other.finished_) {
  other.finished_ = true;
}

AttachmentOpener::~AttachmentOpener() = default;

Result<size_t> AttachmentOpener::pull(std::span<const uint8_t> sealed_chunk, std::span<const uint8_t> associated_data,
                                      std::span<uint8_t> out) {
  if (finished_) return Error{Status::malformed, "data after the final attachment chunk"};
  if (sealed_chunk.size() < kAttachmentChunkOverhead) return Error{Status::truncated, "attachment chunk cut short"};
  if (sealed_chunk.size() > kSealedChunkBytes) return Error{Status::too_large, "attachment chunk over 65553 bytes"};
  const size_t plain = sealed_chunk.size() - kAttachmentChunkOverhead;
  if (out.size() < plain) return Error{Status::buffer_too_small, "chunk needs " + std::to_string(plain) + " bytes"};
  unsigned char tag = 0;
  if (crypto_secretstream_xchacha20poly1305_pull(as_state(state_), out.data(), nullptr, &tag, sealed_chunk.data(),
                                                 sealed_chunk.size(), associated_data.data(),
                                                 associated_data.size()) != 0) {
    return Error{Status::auth_failed, "attachment chunk does not authenticate (altered, reordered or repeated)"};
  }
  if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
    finished_ = true;
    state_.clear();
  } else if (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) {
    wipe(out.data(), plain);
    return Error{Status::malformed, "unexpected attachment chunk tag"};
  }
  return plain;
}

Status AttachmentOpener::finish() const { return finished_ ? Status::ok : Status::truncated; }

// --- whole buffers -------------------------------------------------------------

Result<size_t> seal_attachment(std::span<const uint8_t, kAttachmentKeyBytes> key,
                               std::span<const uint8_t> associated_data, std::span<const uint8_t> plaintext,
                               std::span<uint8_t> out, AttachmentProgress progress) {
  if (plaintext.size() > kMaxAttachmentBytes) return Error{Status::too_large, "attachment over 256 MiB"};
  const size_t total = attachment_sealed_bytes(plaintext.size());
  if (out.size() < total) return Error{Status::buffer_too_small, "sealed attachment needs " + std::to_string(total) + " bytes"};
  auto sealer = AttachmentSealer::start(key, out.first<kAttachmentStreamHeaderBytes>());
  if (!sealer.ok()) return sealer.error();
  size_t read = 0;
  size_t written = kAttachmentStreamHeaderBytes;
  const size_t chunks = attachment_chunk_count(plaintext.size());
  for (size_t i = 0; i < chunks; ++i) {
    const size_t take = std::min(kAttachmentChunkBytes, plaintext.size() - read);
    auto pushed = sealer.value().push(plaintext.subspan(read, take), associated_data, i + 1 == chunks,
                                      out.subspan(written));
    if (!pushed.ok()) return pushed.error();
    read += take;
    written += pushed.value();
    progress(read, plaintext.size());
  }
  return written;
}

Result<size_t> open_attachment(std::span<const uint8_t, kAttachmentKeyBytes> key,
                               std::span<const uint8_t> associated_data, std::span<const uint8_t> sealed,
                               std::span<uint8_t> out, AttachmentProgress progress) {
  if (sealed.size() < kAttachmentStreamHeaderBytes) return Error{Status::truncated, "attachment shorter than its stream header"};
  const size_t body = sealed.size() - kAttachmentStreamHeaderBytes;
  const size_t chunks = std::max<size_t>(1, (body + kSealedChunkBytes - 1) / kSealedChunkBytes);
  const size_t plain_total = body >= chunks * kAttachmentChunkOverhead ? body - chunks * kAttachmentChunkOverhead : 0;
  if (plain_total > kMaxAttachmentBytes) return Error{Status::too_large, "attachment over 256 MiB"};
  if (out.size() < plain_total) return Error{Status::buffer_too_small, "attachment needs " + std::to_string(plain_total) + " bytes"};
  auto opener = AttachmentOpener::start(key, sealed.first(kAttachmentStreamHeaderBytes));
  if (!opener.ok()) return opener.error();
  size_t read = kAttachmentStreamHeaderBytes;
  size_t written = 0;
  auto fail = [&](Error error) -> Result<size_t> {
    wipe(out.data(), written);
    return error;
  };
  while (read < sealed.size()) {
    const size_t take = std::min(kSealedChunkBytes, sealed.size() - read);
    auto pulled = opener.value().pull(sealed.subspan(read, take), associated_data, out.subspan(written));
    if (!pulled.ok()) return fail(pulled.error());
    read += take;
    written += pulled.value();
    progress(written, plain_total);
  }
  if (opener.value().finish() != Status::ok) {
    return fail(Error{Status::truncated, "attachment ended before its final chunk"});
  }
  return written;
}

}  // namespace sealdesk::crypto
