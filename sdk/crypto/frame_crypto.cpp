#include "sdk/crypto/frame_crypto.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "sdk/crypto/aead.h"
#include "sdk/crypto/hkdf.h"
#include "sdk/crypto/library.h"

namespace sealdesk::crypto {
namespace {

static_assert(crypto_stream_chacha20_ietf_KEYBYTES == kFrameKeyBytes);
static_assert(crypto_stream_chacha20_ietf_NONCEBYTES == kFrameSaltBytes);
static_assert(crypto_onetimeauth_poly1305_BYTES == kFrameTagBytes);

constexpr size_t kVp8KeyFramePrefix = 10;
constexpr size_t kVp8DeltaFramePrefix = 3;
constexpr size_t kH264SliceBytesKept = 2;  // NAL header + first slice header byte (LiveKit's choice)

void frame_nonce(const SecretBytes<kFrameSaltBytes>& salt, uint64_t counter, uint8_t nonce[kFrameSaltBytes]) {
  std::memcpy(nonce, salt.data(), kFrameSaltBytes);
  for (int i = 0; i < 8; ++i) nonce[kFrameSaltBytes - 1 - i] ^= static_cast<uint8_t>(counter >> (8 * i));
}

// --- H.264 emulation prevention (ITU-T H.264 §7.4.1) ------------------------------------------
// The encrypted part of an H.264 frame is random bytes inside the last NAL unit; a 00 00 0x
// sequence there would look like a start code to the RTP packetizer. Escaping inserts 0x03 after
// two zero bytes when the next byte is <= 3; `zeros` carries the zero run from the clear prefix.

size_t trailing_zeros(const uint8_t* data, size_t len) {
  size_t zeros = 0;
  while (zeros < 2 && zeros < len && data[len - 1 - zeros] == 0) ++zeros;
  return zeros;
}

// Forward copy with insertion; dst may sit before src in the same buffer as long as dst + added
// bytes never pass the read position (the caller leaves a gap of at least len / 2 + 2).
size_t h264_escape(uint8_t* dst, const uint8_t* src, size_t len, size_t zeros) {
  size_t out = 0;
  for (size_t i = 0; i < len; ++i) {
    const uint8_t b = src[i];
    if (zeros >= 2 && b <= 3) {
      dst[out++] = 3;
      zeros = 0;
    }
    dst[out++] = b;
    zeros = b == 0 ? zeros + 1 : 0;
  }
  return out;
}

// Reverse of h264_escape, writing at most dst_cap bytes. Only the canonical escaping is accepted
// (one encoding per frame: a relay cannot produce a second valid form).
Result<size_t> h264_unescape(uint8_t* dst, size_t dst_cap, const uint8_t* src, size_t len, size_t zeros) {
  size_t out = 0;
  for (size_t i = 0; i < len && out < dst_cap; ++i) {
    uint8_t b = src[i];
    if (zeros >= 2) {
      if (b == 3) {
        if (i + 1 >= len || src[i + 1] > 3) return Error{Status::malformed, "non-canonical H.264 escape"};
        b = src[++i];
        zeros = 0;
      } else if (b <= 2) {
        return Error{Status::malformed, "start code inside the encrypted H.264 payload"};
      }
    }
    dst[out++] = b;
    zeros = b == 0 ? zeros + 1 : 0;
  }
  return out;
}

// Index just past the next 00 00 01 at or after from, or len.
size_t after_start_code(const uint8_t* data, size_t len, size_t from) {
  for (size_t i = from; i + 3 <= len; ++i) {
    if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) return i + 3;
  }
  return len;
}

Result<size_t> h264_clear_prefix(std::span<const uint8_t> frame) {
  const uint8_t* data = frame.data();
  const size_t len = frame.size();
  const bool three = len >= 3 && data[0] == 0 && data[1] == 0 && data[2] == 1;
  const bool four = len >= 4 && data[0] == 0 && data[1] == 0 && data[2] == 0 && data[3] == 1;
  if (!three && !four) return Error{Status::malformed, "H.264 frame does not start with a start code"};
  size_t nal = three ? 3 : 4;
  while (nal < len) {
    const uint8_t type = data[nal] & 0x1F;
    if (type == 1 || type == 5) {  // coded slice (non-IDR / IDR)
      if (nal + kH264SliceBytesKept > len) return Error{Status::malformed, "H.264 slice NAL cut short"};
      return nal + kH264SliceBytesKept;
    }
    nal = after_start_code(data, len, nal + 1);
  }
  return Error{Status::malformed, "H.264 frame without a slice NAL unit"};
}

// memmove that accepts an empty range with null pointers (a std::span of nothing has data() == nullptr).
void move_bytes(uint8_t* dst, const uint8_t* src, size_t n) {
  if (n > 0) std::memmove(dst, src, n);
}

bool regions_overlap(const uint8_t* a, size_t a_len, const uint8_t* b, size_t b_len) {
  const auto a0 = reinterpret_cast<uintptr_t>(a);
  const auto b0 = reinterpret_cast<uintptr_t>(b);
  return a_len > 0 && b_len > 0 && a0 < b0 + b_len && b0 < a0 + a_len;
}

Status ratchet_base_key(SecretBytes<kFrameBaseKeyBytes>& base_key) {
  SecretBytes<kFrameBaseKeyBytes> next;
  if (Status s = hkdf_sha256_expand(next.span(), base_key.span(), {label_bytes("SealDesk/1 frame ratchet")});
      s != Status::ok) {
    return s;
  }
  base_key = std::move(next);
  return Status::ok;
}

unsigned generation_of(uint64_t key_id) { return static_cast<unsigned>(key_id & kFrameGenerationMask); }

}  // namespace

// --- header --------------------------------------------------------------------------------

size_t encode_frame_header(uint64_t key_id, uint64_t counter, std::span<uint8_t, kMaxFrameHeaderBytes> out) {
  auto byte_length = [](uint64_t v) {
    size_t n = 1;
    while (n < 8 && (v >> (8 * n)) != 0) ++n;
    return n;
  };
  uint8_t config = 0;
  size_t pos = 1;
  auto put = [&](uint64_t v, size_t n) {
    for (size_t i = 0; i < n; ++i) out[pos + i] = static_cast<uint8_t>(v >> (8 * (n - 1 - i)));
    pos += n;
  };
  if (key_id < 8) {
    config |= static_cast<uint8_t>(key_id << 4);
  } else {
    const size_t n = byte_length(key_id);
    config |= static_cast<uint8_t>(0x80 | ((n - 1) << 4));
    put(key_id, n);
  }
  if (counter < 8) {
    config |= static_cast<uint8_t>(counter);
  } else {
    const size_t n = byte_length(counter);
    config |= static_cast<uint8_t>(0x08 | (n - 1));
    put(counter, n);
  }
  out[0] = config;
  return pos;
}

Result<FrameHeader> parse_frame_header(std::span<const uint8_t> bytes) {
  if (bytes.empty()) return Error{Status::malformed, "no SFrame header"};
  const uint8_t config = bytes[0];
  size_t pos = 1;
  auto field = [&](bool extended, unsigned bits, uint64_t& value) -> Status {
    if (!extended) {
      value = bits;
      return Status::ok;
    }
    const size_t n = bits + 1;
    if (pos + n > bytes.size()) return Status::malformed;
    if (bytes[pos] == 0 && n > 1) return Status::malformed;  // not the fewest bytes
    value = 0;
    for (size_t i = 0; i < n; ++i) value = (value << 8) | bytes[pos + i];
    if (value < 8) return Status::malformed;  // fits in the config byte
    pos += n;
    return Status::ok;
  };
  FrameHeader header;
  if (field((config & 0x80) != 0, (config >> 4) & 0x7, header.key_id) != Status::ok ||
      field((config & 0x08) != 0, config & 0x7, header.counter) != Status::ok) {
    return Error{Status::malformed, "SFrame header truncated or not minimally encoded"};
  }
  header.size = pos;
  return header;
}

// --- codec prefix ----------------------------------------------------------------------------

Result<size_t> frame_clear_prefix_bytes(FrameCodec codec, std::span<const uint8_t> frame) {
  switch (codec) {
    case FrameCodec::opaque: return size_t{0};
    case FrameCodec::opus:
      if (frame.empty()) return Error{Status::malformed, "empty Opus frame"};
      return size_t{1};
    case FrameCodec::vp8: {
      if (frame.empty()) return Error{Status::malformed, "empty VP8 frame"};
      const size_t prefix = (frame[0] & 0x01) == 0 ? kVp8KeyFramePrefix : kVp8DeltaFramePrefix;  // P bit: 0 = key
      if (frame.size() < prefix) return Error{Status::malformed, "VP8 frame shorter than its header"};
      return prefix;
    }
    case FrameCodec::h264: return h264_clear_prefix(frame);
  }
  return Error{Status::invalid_argument, "unknown frame codec"};
}

size_t sealed_frame_max_bytes(FrameCodec codec, size_t frame_len) {
  const size_t plain = frame_len + kMaxFrameHeaderBytes + kFrameTagBytes;
  return codec == FrameCodec::h264 ? plain + plain / 2 + 2 : plain;
}

Result<uint64_t> peek_frame_key_id(FrameCodec codec, std::span<const uint8_t> sealed) {
  auto prefix = frame_clear_prefix_bytes(codec, sealed);
  if (!prefix.ok()) return prefix.error();
  const size_t p = prefix.value();
  if (codec != FrameCodec::h264) {
    auto header = parse_frame_header(sealed.subspan(p));
    if (!header.ok()) return header.error();
    return header.value().key_id;
  }
  uint8_t head[kMaxFrameHeaderBytes];
  auto n = h264_unescape(head, sizeof head, sealed.data() + p, sealed.size() - p, trailing_zeros(sealed.data(), p));
  if (!n.ok()) return n.error();
  auto header = parse_frame_header(std::span<const uint8_t>(head, n.value()));
  if (!header.ok()) return header.error();
  return header.value().key_id;
}

// --- keys ------------------------------------------------------------------------------------

Status derive_sframe_key_salt(std::span<const uint8_t> base_key, uint64_t key_id, uint16_t cipher_suite,
                              std::span<uint8_t> key, std::span<uint8_t> salt) {
  uint8_t context[10];  // KID as 8 bytes big-endian, then the suite as 2 bytes (RFC 9605 §4.4.2)
  for (int i = 0; i < 8; ++i) context[i] = static_cast<uint8_t>(key_id >> (8 * (7 - i)));
  context[8] = static_cast<uint8_t>(cipher_suite >> 8);
  context[9] = static_cast<uint8_t>(cipher_suite);
  SecretBytes<kHkdfHashBytes> secret;
  if (Status s = hkdf_sha256_extract(secret.span(), {}, base_key); s != Status::ok) return s;
  if (Status s = hkdf_sha256_expand(key, secret.span(), {label_bytes("SFrame 1.0 Secret key "), context}); s != Status::ok) {
    return s;
  }
  return hkdf_sha256_expand(salt, secret.span(), {label_bytes("SFrame 1.0 Secret salt "), context});
}

Status derive_frame_key(std::span<const uint8_t, kFrameBaseKeyBytes> base_key, uint64_t key_id,
                        SecretBytes<kFrameKeyBytes>& key, SecretBytes<kFrameSaltBytes>& salt) {
  return derive_sframe_key_salt(base_key, key_id, kFrameCipherSuite, key.span(), salt.span());
}

// --- replay window ---------------------------------------------------------------------------

Status ReplayWindow::check(uint64_t counter) const {
  if (!any_ || counter > newest_) return Status::ok;
  const uint64_t behind = newest_ - counter;
  if (behind >= kFrameReplayWindow) return Status::outside_window;
  return (seen_[static_cast<size_t>(behind / 64)] >> (behind % 64)) & 1 ? Status::replayed : Status::ok;
}

void ReplayWindow::accept(uint64_t counter) {
  if (!any_ || counter > newest_) {
    const uint64_t shift = any_ ? counter - newest_ : kFrameReplayWindow;
    if (shift >= kFrameReplayWindow) {
      seen_.fill(0);
    } else {
      // Shift the 128-bit bitmap left by shift: older counters move to higher bits.
      for (size_t s = 0; s < shift; ++s) {
        seen_[1] = (seen_[1] << 1) | (seen_[0] >> 63);
        seen_[0] <<= 1;
      }
    }
    newest_ = counter;
    any_ = true;
    seen_[0] |= 1;
    return;
  }
  const uint64_t behind = newest_ - counter;
  seen_[static_cast<size_t>(behind / 64)] |= uint64_t{1} << (behind % 64);
}

// --- sealer ----------------------------------------------------------------------------------

Result<FrameSealer> FrameSealer::create(uint64_t key_id, std::span<const uint8_t, kFrameBaseKeyBytes> base_key) {
  if (Status s = ensure_ready(); s != Status::ok) return s;
  FrameSealer sealer;
  sealer.key_id_ = key_id;
  sealer.base_key_.assign(base_key);
  if (Status s = derive_frame_key(sealer.base_key_.span(), key_id, sealer.key_, sealer.salt_); s != Status::ok) return s;
  return sealer;
}

Status FrameSealer::rotate() {
  if (generation_of(key_id_) == kFrameGenerationMask) return Status::too_large;
  if (Status s = ratchet_base_key(base_key_); s != Status::ok) return s;
  ++key_id_;
  counter_ = 0;
  return derive_frame_key(base_key_.span(), key_id_, key_, salt_);
}

Result<size_t> FrameSealer::seal(FrameCodec codec, std::span<const uint8_t> frame, std::span<uint8_t> out) {
  if (frame.size() > kMaxFrameBytes) return Error{Status::too_large, "frame over 8 MiB"};
  auto prefix = frame_clear_prefix_bytes(codec, frame);
  if (!prefix.ok()) return prefix.error();
  const size_t p = prefix.value();
  const size_t payload = frame.size() - p;
  const bool in_place = out.data() == frame.data();
  if (!in_place && regions_overlap(frame.data(), frame.size(), out.data(), out.size())) {
    return Error{Status::invalid_argument, "frame and output overlap"};
  }
  if (counter_ == UINT64_MAX) return Error{Status::too_large, "frame counter exhausted: rotate the key"};
  uint8_t header[kMaxFrameHeaderBytes];
  const size_t h = encode_frame_header(key_id_, counter_, std::span<uint8_t, kMaxFrameHeaderBytes>(header));
  const size_t region = h + payload + kFrameTagBytes;  // SFrame header, ciphertext, tag
  const bool escaped = codec == FrameCodec::h264;
  const size_t needed = escaped ? sealed_frame_max_bytes(codec, frame.size()) : p + region;
  if (out.size() < needed) return Error{Status::buffer_too_small, "sealed frame needs " + std::to_string(needed) + " bytes"};

  const uint64_t counter = counter_++;  // consumed before use: a counter never repeats
  uint8_t nonce[kFrameSaltBytes];
  frame_nonce(salt_, counter, nonce);
  // Unescaped layout at `at`: header | payload | tag. H.264 stages it at the end of out and then
  // escapes it forward to just after the prefix.
  const size_t at = escaped ? out.size() - region : p;
  uint8_t* base = out.data();
  // In place, the payload first moves right to make room for the header; otherwise ChaCha20
  // reads it straight from the input (one pass over the frame, no copy).
  const uint8_t* plaintext = frame.data() + p;
  if (in_place) {
    move_bytes(base + at + h, plaintext, payload);
    plaintext = base + at + h;
  } else {
    move_bytes(base, frame.data(), p);
  }
  std::memcpy(base + at, header, h);
  chacha20poly1305_seal(base + at + h, plaintext, payload, std::span<const uint8_t>(base, p), std::span<const uint8_t>(base + at, h),
            nonce, key_.data(), base + at + h + payload);
  if (!escaped) return p + region;
  return p + h264_escape(base + p, base + at, region, trailing_zeros(base, p));
}

// --- opener ----------------------------------------------------------------------------------

Result<FrameOpener> FrameOpener::create(uint64_t key_id, std::span<const uint8_t, kFrameBaseKeyBytes> base_key) {
  if (Status s = ensure_ready(); s != Status::ok) return s;
  FrameOpener opener;
  opener.current_.key_id = key_id;
  opener.current_.base_key.assign(base_key);
  if (Status s = derive_frame_key(opener.current_.base_key.span(), key_id, opener.current_.key, opener.current_.salt);
      s != Status::ok) {
    return s;
  }
  return opener;
}

Result<size_t> FrameOpener::open(FrameCodec codec, std::span<const uint8_t> sealed, std::span<uint8_t> out) {
  if (sealed.size() > sealed_frame_max_bytes(codec, kMaxFrameBytes)) return Error{Status::too_large, "sealed frame over the maximum"};
  if (out.size() < sealed.size()) return Error{Status::buffer_too_small, "output must be at least as large as the sealed frame"};
  const bool in_place = out.data() == sealed.data();
  if (!in_place && regions_overlap(sealed.data(), sealed.size(), out.data(), out.size())) {
    return Error{Status::invalid_argument, "sealed frame and output overlap"};
  }
  auto prefix = frame_clear_prefix_bytes(codec, sealed);
  if (!prefix.ok()) return prefix.error();
  const size_t p = prefix.value();
  uint8_t* base = out.data();
  auto fail = [&](Error error) -> Result<size_t> {
    wipe(base, std::min(out.size(), sealed.size()));
    return error;
  };

  // The unescaped frame: `work` holds prefix | header | ciphertext | tag.
  const uint8_t* work = sealed.data();
  size_t work_len = sealed.size();
  if (codec == FrameCodec::h264) {
    if (!in_place) move_bytes(base, sealed.data(), p);
    auto n = h264_unescape(base + p, out.size() - p, sealed.data() + p, sealed.size() - p, trailing_zeros(sealed.data(), p));
    if (!n.ok()) return fail(n.error());
    work = base;
    work_len = p + n.value();
  }
  auto header = parse_frame_header(std::span<const uint8_t>(work + p, work_len - p));
  if (!header.ok()) return fail(header.error());
  const size_t h = header.value().size;
  if (work_len < p + h + kFrameTagBytes) return fail(Error{Status::malformed, "sealed frame shorter than its tag"});
  const size_t payload = work_len - p - h - kFrameTagBytes;
  const uint64_t key_id = header.value().key_id;
  const uint64_t counter = header.value().counter;

  Generation* generation = nullptr;
  if (key_id == current_.key_id) {
    generation = &current_;
  } else if ((key_id & ~kFrameGenerationMask) == (current_.key_id & ~kFrameGenerationMask) &&
             generation_of(key_id) > generation_of(current_.key_id) &&
             generation_of(key_id) - generation_of(current_.key_id) <= kMaxFrameRatchetAhead) {
    // A newer generation of this sender: ratchet a scratch copy; it replaces current_ only after
    // a frame under it authenticates.
    if (!has_next_ || next_.key_id != key_id) {
      next_.base_key.assign(current_.base_key.span());
      for (unsigned g = generation_of(current_.key_id); g < generation_of(key_id); ++g) {
        if (Status s = ratchet_base_key(next_.base_key); s != Status::ok) return fail(Error{s, "ratchet failed"});
      }
      next_.key_id = key_id;
      next_.window = ReplayWindow{};
      if (Status s = derive_frame_key(next_.base_key.span(), key_id, next_.key, next_.salt); s != Status::ok) {
        return fail(Error{s, "key derivation failed"});
      }
      has_next_ = true;
    }
    generation = &next_;
  } else {
    return fail(Error{Status::unknown_key, "no frame key for KID " + std::to_string(key_id)});
  }
  if (Status s = generation->window.check(counter); s != Status::ok) {
    return fail(Error{s, s == Status::replayed ? "frame counter already received" : "frame counter outside the window of 128"});
  }

  uint8_t nonce[kFrameSaltBytes];
  frame_nonce(generation->salt, counter, nonce);
  const std::span<const uint8_t> associated(work, p + h);  // clear prefix | SFrame header
  const uint8_t* ciphertext = work + p + h;
  const uint8_t* tag = ciphertext + payload;
  bool authentic = false;
  if (work == base) {  // in place (or H.264, already unescaped into out): decrypt, then close the header gap
    authentic = chacha20poly1305_open(base + p + h, ciphertext, payload, associated, {}, nonce, generation->key.data(), tag);
    if (authentic) move_bytes(base + p, base + p + h, payload);
  } else {
    authentic = chacha20poly1305_open(base + p, ciphertext, payload, associated, {}, nonce, generation->key.data(), tag);
    if (authentic) move_bytes(base, sealed.data(), p);
  }
  if (!authentic) return fail(Error{Status::auth_failed, "frame does not authenticate"});

  generation->window.accept(counter);
  if (generation == &next_) {
    current_ = std::move(next_);  // overwrites the older generation's keys; next_ is wiped by the move
    has_next_ = false;
  }
  return p + payload;
}

}  // namespace sealdesk::crypto
