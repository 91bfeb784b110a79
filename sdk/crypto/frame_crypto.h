// Media frames: SFrame (RFC 9605) with a private-use cipher suite and a codec-aware clear prefix
// (wire format in sdk/crypto/PROTOCOL.md §5).
//
// A sealed frame is   clear prefix | SFrame header (config byte, KID, CTR) | ciphertext | tag.
// The clear prefix is the few codec bytes that RTP packetizers and decoders must read (VP8 payload
// header, Opus TOC byte, H.264 NAL headers), as in Jitsi's and LiveKit's insertable-streams E2EE;
// it is authenticated together with the SFrame header as the AEAD's associated data.
//
// Cipher suite 0xF001 (private use, RFC 9605 §8.1): ChaCha20-Poly1305 IETF (RFC 8439), HKDF-SHA256,
// Nk = 32, Nn = 12, Nt = 16. RFC 9605's registered suites are AES-based; libsodium only offers
// AES-GCM with hardware AES, which WebAssembly lacks. Key and salt come from a base key exactly as
// in RFC 9605 §4.4.2; the nonce is salt XOR CTR (§4.4.3).
//
// Per-sender keys: one FrameSealer per sending track, one FrameOpener per remote track. The low
// 8 bits of a KID are the key's generation: rotate() ratchets the sealer's base key forward
// (HKDF-Expand(base, "SealDesk/1 frame ratchet")) and wipes the old one; an opener follows to a
// newer generation after that generation's first authentic frame and wipes the older key, so old
// keys are useless after rotation and a stolen current key cannot open earlier frames.
//
// Hot path: seal and open do no allocation. They write into a caller-provided buffer (a view on
// WASM memory) and may work in place. Everything that fails is dropped: on error the output is
// wiped and nothing of the frame is returned (fail closed).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "sdk/common/status.h"
#include "sdk/crypto/secret_bytes.h"

namespace sealdesk::crypto {

inline constexpr uint16_t kFrameCipherSuite = 0xF001;
inline constexpr size_t kFrameBaseKeyBytes = 32;
inline constexpr size_t kFrameKeyBytes = 32;   // Nk
inline constexpr size_t kFrameSaltBytes = 12;  // Nn
inline constexpr size_t kFrameTagBytes = 16;   // Nt
inline constexpr size_t kMaxFrameHeaderBytes = 1 + 8 + 8;
inline constexpr size_t kMaxFrameBytes = 8 * 1024 * 1024;  // larger frames are TOO_LARGE
inline constexpr uint64_t kFrameReplayWindow = 128;         // counters behind the newest, per key id
inline constexpr uint64_t kFrameGenerationMask = 0xFF;      // low KID bits: key generation
inline constexpr unsigned kMaxFrameRatchetAhead = 16;       // generations an opener will skip

// What the clear prefix is made of. The codec is known per track (the transceiver's MIME type).
enum class FrameCodec : uint8_t {
  opaque = 0,  // everything encrypted (VP9, AV1, data): their RTP payload headers are not in the frame
  opus = 1,    // TOC byte (RFC 6716 §3.1)
  vp8 = 2,     // frame tag + key frame header: 10 bytes on key frames, 3 on delta frames (RFC 6386 §9.1)
  h264 = 3,    // Annex B: every NAL before the first slice, the slice's NAL header and one more byte
};
inline constexpr uint8_t kFrameCodecCount = 4;

struct FrameHeader {
  uint64_t key_id = 0;
  uint64_t counter = 0;
  size_t size = 0;  // bytes on the wire
};

// RFC 9605 §4.3: config byte X|K|Y|C; values 0..7 sit in K/C, larger ones follow big-endian in the
// fewest bytes with K/C = length - 1. Returns the header size (1..17).
size_t encode_frame_header(uint64_t key_id, uint64_t counter, std::span<uint8_t, kMaxFrameHeaderBytes> out);
// malformed when bytes are too short for the header they announce, or a value is not minimally
// encoded (one value, one encoding: nothing for a relay to malleate).
Result<FrameHeader> parse_frame_header(std::span<const uint8_t> bytes);

// Length of the clear prefix of frame (plaintext or sealed: the prefix reads only clear bytes).
// malformed when the frame is shorter than its codec's prefix or (H.264) has no slice NAL.
Result<size_t> frame_clear_prefix_bytes(FrameCodec codec, std::span<const uint8_t> frame);

// Output size that always suffices to seal a frame of frame_len bytes (H.264 needs room for
// emulation-prevention bytes in the encrypted part).
size_t sealed_frame_max_bytes(FrameCodec codec, size_t frame_len);

// The KID of a sealed frame, read without opening it (the session picks the opener by KID).
Result<uint64_t> peek_frame_key_id(FrameCodec codec, std::span<const uint8_t> sealed);

// RFC 9605 §4.4.2 with suite 0xF001: sframe_secret = HKDF-Extract("", base_key);
// key = HKDF-Expand(secret, "SFrame 1.0 Secret key " || KID(8, BE) || suite(2, BE), 32),
// salt = HKDF-Expand(secret, "SFrame 1.0 Secret salt " || KID || suite, 12).
Status derive_frame_key(std::span<const uint8_t, kFrameBaseKeyBytes> base_key, uint64_t key_id,
                        SecretBytes<kFrameKeyBytes>& key, SecretBytes<kFrameSaltBytes>& salt);
// The same derivation for any SHA-256 suite and sizes (RFC 9605 Appendix C vectors use 0x0004).
Status derive_sframe_key_salt(std::span<const uint8_t> base_key, uint64_t key_id, uint16_t cipher_suite,
                              std::span<uint8_t> key, std::span<uint8_t> salt);

// Sliding replay window over 64-bit counters (RFC 4303 §3.4.3 / RFC 3711 §3.3.2 style).
class ReplayWindow {
 public:
  // ok, replayed (seen) or outside_window (older than kFrameReplayWindow behind the newest).
  Status check(uint64_t counter) const;
  void accept(uint64_t counter);  // after the frame authenticated

 private:
  bool any_ = false;
  uint64_t newest_ = 0;
  std::array<uint64_t, kFrameReplayWindow / 64> seen_{};  // bit i: newest_ - i was accepted
};

class FrameSealer {
 public:
  // A sender key: key_id's low 8 bits are the starting generation (normally 0).
  static Result<FrameSealer> create(uint64_t key_id, std::span<const uint8_t, kFrameBaseKeyBytes> base_key);

  // Seals frame into out (at least sealed_frame_max_bytes(codec, frame.size()) bytes; exactly
  // frame.size() + header + 16 suffice for codecs other than H.264). out may start at
  // frame.data() (in place); any other overlap is invalid_argument. Returns the sealed size.
  Result<size_t> seal(FrameCodec codec, std::span<const uint8_t> frame, std::span<uint8_t> out);

  // Next generation: the base key is ratcheted forward, the old key wiped, the counter restarts.
  // too_large after generation 255: start a new epoch instead.
  Status rotate();

  uint64_t key_id() const { return key_id_; }
  uint64_t next_counter() const { return counter_; }

 private:
  FrameSealer() = default;
  uint64_t key_id_ = 0;
  uint64_t counter_ = 0;
  SecretBytes<kFrameBaseKeyBytes> base_key_;
  SecretBytes<kFrameKeyBytes> key_;
  SecretBytes<kFrameSaltBytes> salt_;
};

class FrameOpener {
 public:
  // The receiving side of one remote sender; key_id as given to that sender's FrameSealer.
  static Result<FrameOpener> create(uint64_t key_id, std::span<const uint8_t, kFrameBaseKeyBytes> base_key);

  // Opens sealed into out (at least sealed.size() bytes; out may be sealed itself, in place).
  // Returns the plaintext frame size. Errors: malformed, too_large, buffer_too_small,
  // unknown_key (a KID of another sender, or of a generation already retired), replayed,
  // outside_window, auth_failed. On any error out is wiped.
  Result<size_t> open(FrameCodec codec, std::span<const uint8_t> sealed, std::span<uint8_t> out);

  uint64_t key_id() const { return current_.key_id; }

 private:
  struct Generation {
    uint64_t key_id = 0;
    SecretBytes<kFrameBaseKeyBytes> base_key;
    SecretBytes<kFrameKeyBytes> key;
    SecretBytes<kFrameSaltBytes> salt;
    ReplayWindow window;
  };
  FrameOpener() = default;
  Generation current_;
  Generation next_;  // scratch for a newer generation until its first frame authenticates
  bool has_next_ = false;
};

}  // namespace sealdesk::crypto
