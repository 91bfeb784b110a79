#include "sdk/desk/payload.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sealdesk::desk {
namespace {

std::vector<uint8_t> part(const AttachmentId& id, uint16_t index, const std::vector<uint8_t>& sealed) {
  std::vector<uint8_t> out(kPartHeaderBytes + kPartBytes);
  auto n = encode_part(id, index, sealed, out);
  EXPECT_TRUE(n.ok()) << n.error().detail;
  out.resize(n.ok() ? n.value() : 0);
  return out;
}

Result<bool> add(PartAssembler& assembler, const std::vector<uint8_t>& payload, uint64_t now) {
  auto decoded = decode_payload(payload);
  if (!decoded.ok()) return decoded.error();
  return assembler.add(decoded.value(), now);
}

std::vector<uint8_t> bytes_of(size_t n, uint8_t seed) {
  std::vector<uint8_t> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(seed + i * 31);
  return out;
}

TEST(DeskPayload, KindsRoundTripAndJunkIsMalformed) {
  const std::vector<uint8_t> body = {9, 8, 7};
  for (PayloadKind kind : {PayloadKind::handshake, PayloadKind::record, PayloadKind::live_audio, PayloadKind::left}) {
    std::vector<uint8_t> out(4);
    ASSERT_EQ(encode_payload(kind, body, out).value(), 4u);
    auto decoded = decode_payload(out);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded.value().kind, kind);
    EXPECT_EQ(std::vector<uint8_t>(decoded.value().bytes.begin(), decoded.value().bytes.end()), body);
  }
  EXPECT_STREQ(payload_kind_name(PayloadKind::live_audio), "liveAudio");
  EXPECT_STREQ(payload_kind_name(PayloadKind::left), "left");
  for (const std::vector<uint8_t>& junk : {std::vector<uint8_t>{}, std::vector<uint8_t>{2}, std::vector<uint8_t>{0, 1, 2},
                                           std::vector<uint8_t>{6, 1, 2}, std::vector<uint8_t>{0xFF, 1}}) {
    EXPECT_EQ(decode_payload(junk).status(), Status::malformed);
  }
  std::vector<uint8_t> small(2);
  EXPECT_EQ(encode_payload(PayloadKind::record, body, small).status(), Status::buffer_too_small);
  EXPECT_EQ(encode_payload(PayloadKind::record, {}, small).status(), Status::invalid_argument);
}

TEST(DeskPayload, PartNumberingIsChecked) {
  std::vector<uint8_t> p(kPartHeaderBytes + 4, 0);
  p[0] = 3;
  p[12] = 0;  // count 0
  EXPECT_EQ(decode_payload(p).status(), Status::malformed);
  p[12] = 2;  // index 0 of 2
  EXPECT_TRUE(decode_payload(p).ok());
  p[10] = 2;  // index 2 of 2
  EXPECT_EQ(decode_payload(p).status(), Status::malformed);
  p[10] = 0;
  p[11] = 0xFF;  // count 65282: more parts than 16 MiB holds
  EXPECT_EQ(decode_payload(p).status(), Status::malformed);
  EXPECT_EQ(decode_payload(std::span(p).first(kPartHeaderBytes)).status(), Status::malformed);
}

TEST(DeskPayload, AttachmentReassemblesInOrder) {
  const auto sealed = bytes_of(2 * kPartBytes + 1234, 3);
  ASSERT_EQ(part_count(sealed.size()).value(), 3);
  const AttachmentId id = {1, 2, 3, 4, 5, 6, 7, 8};
  PartAssembler assembler;
  EXPECT_FALSE(add(assembler, part(id, 0, sealed), 1000).value());
  EXPECT_FALSE(add(assembler, part(id, 1, sealed), 1001).value());
  EXPECT_EQ(assembler.buffered_bytes(), 2 * kPartBytes);
  EXPECT_TRUE(add(assembler, part(id, 2, sealed), 1002).value());
  EXPECT_EQ(assembler.take(), sealed);
  EXPECT_EQ(assembler.pending(), 0u);
  EXPECT_EQ(assembler.buffered_bytes(), 0u);
  EXPECT_EQ(part_count(kMaxAttachmentBytes + 1).status(), Status::too_large);
}

TEST(DeskPayload, OutOfOrderPartsDropTheAttachmentOnly) {
  const auto sealed = bytes_of(3 * kPartBytes, 1);
  const AttachmentId a = {1}, b = {2};
  PartAssembler assembler;
  EXPECT_EQ(add(assembler, part(a, 1, sealed), 0).status(), Status::malformed);  // starts mid-way
  ASSERT_TRUE(add(assembler, part(a, 0, sealed), 0).ok());
  ASSERT_TRUE(add(assembler, part(b, 0, sealed), 0).ok());
  EXPECT_EQ(add(assembler, part(a, 2, sealed), 0).status(), Status::malformed);  // skipped part 1
  EXPECT_EQ(assembler.pending(), 1u);                                             // b is kept
  EXPECT_FALSE(add(assembler, part(b, 1, sealed), 0).value());
  EXPECT_TRUE(add(assembler, part(b, 2, sealed), 0).value());
  EXPECT_EQ(assembler.take(), sealed);
}

// A peer that starts many attachments, or never finishes one, holds bounded memory for bounded time.
TEST(DeskPayload, BufferingIsCappedAndExpires) {
  const auto sealed = bytes_of(4 * kPartBytes, 7);
  PartAssembler assembler(PartAssembler::Limits{2, 3 * kPartBytes, 1000});
  ASSERT_TRUE(add(assembler, part({1}, 0, sealed), 0).ok());
  ASSERT_TRUE(add(assembler, part({2}, 0, sealed), 0).ok());
  EXPECT_EQ(add(assembler, part({3}, 0, sealed), 0).status(), Status::outside_window);
  ASSERT_TRUE(add(assembler, part({1}, 1, sealed), 0).ok());
  EXPECT_EQ(add(assembler, part({1}, 2, sealed), 0).status(), Status::too_large);  // over 3 parts buffered
  EXPECT_EQ(assembler.pending(), 1u);
  EXPECT_LE(assembler.buffered_bytes(), 3 * kPartBytes);
  // Attachment 2 went quiet: after the expiry its buffer is gone, and its late part is refused.
  EXPECT_EQ(assembler.expire(999), 0u);
  EXPECT_EQ(assembler.expire(1001), 1u);
  EXPECT_EQ(assembler.buffered_bytes(), 0u);
  EXPECT_EQ(add(assembler, part({2}, 1, sealed), 1002).status(), Status::malformed);
  // A short part before the last one is refused (only the last may be short).
  std::vector<uint8_t> short_part = part({4}, 0, sealed);
  short_part.resize(kPartHeaderBytes + 10);
  EXPECT_EQ(add(assembler, short_part, 1003).status(), Status::malformed);
}

TEST(DeskPayload, AttachmentPlaintextRoundTripsAndJunkIsMalformed) {
  AttachmentMeta meta{"note-1", "voice-note", "audio/ogg; codecs=opus", 1500, 1.7e12};
  const auto file = bytes_of(5000, 9);
  std::vector<uint8_t> out(attachment_plaintext_bytes(meta, file.size()));
  ASSERT_EQ(encode_attachment(meta, file, out).value(), out.size());
  auto decoded = decode_attachment(out, 42);
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
  EXPECT_EQ(decoded.value().meta.id, "note-1");
  EXPECT_EQ(decoded.value().meta.kind, "voice-note");
  EXPECT_EQ(decoded.value().meta.duration_ms, 1500);
  EXPECT_EQ(decoded.value().meta.at_ms, 1.7e12);
  EXPECT_EQ(std::vector<uint8_t>(decoded.value().file.begin(), decoded.value().file.end()), file);

  auto with_meta = [](const std::string& json) {
    std::vector<uint8_t> p = {0, 0, 0, static_cast<uint8_t>(json.size())};
    p.insert(p.end(), json.begin(), json.end());
    return p;
  };
  EXPECT_EQ(decode_attachment(with_meta("{\"kind\":\"x\"}"), 0).status(), Status::malformed);
  EXPECT_EQ(decode_attachment(with_meta("{\"id\":\"a\",\"kind\":\"x\""), 0).status(), Status::malformed);
  EXPECT_EQ(decode_attachment(with_meta("{\"id\":\"\xC3\",\"kind\":\"x\"}"), 0).status(), Status::malformed);  // bad UTF-8
  auto ok = decode_attachment(with_meta("{\"id\":\"a\",\"kind\":\"x\"}"), 77);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value().meta.at_ms, 77);
  EXPECT_EQ(ok.value().meta.mime, "application/octet-stream");
  const std::vector<uint8_t> lying = {0, 0, 0x10, 0, '{', '}'};  // meta longer than the plaintext
  EXPECT_EQ(decode_attachment(lying, 0).status(), Status::malformed);
  AttachmentMeta bad = meta;
  bad.id = "";
  EXPECT_EQ(encode_attachment(bad, file, out).status(), Status::invalid_argument);
}

}  // namespace
}  // namespace sealdesk::desk
