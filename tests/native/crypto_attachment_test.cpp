#include "sdk/crypto/attachment_stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace sealdesk::crypto {
namespace {

std::array<uint8_t, kAttachmentKeyBytes> key(uint8_t fill = 0x42) {
  std::array<uint8_t, kAttachmentKeyBytes> k{};
  k.fill(fill);
  return k;
}

const std::vector<uint8_t> kContext = {1, 2, 3, 4};  // stands for the record header

std::vector<uint8_t> pattern(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 31 + 7);
  return v;
}

std::vector<uint8_t> seal(const std::vector<uint8_t>& plaintext) {
  std::vector<uint8_t> out(attachment_sealed_bytes(plaintext.size()));
  auto sealed = seal_attachment(key(), kContext, plaintext, out, [](uint64_t, uint64_t) {});
  EXPECT_TRUE(sealed.ok());
  EXPECT_EQ(sealed.value(), out.size());
  return out;
}

Result<std::vector<uint8_t>> open(const std::vector<uint8_t>& sealed, const std::vector<uint8_t>& context = kContext) {
  std::vector<uint8_t> out(sealed.size());
  auto opened = open_attachment(key(), context, sealed, out, [](uint64_t, uint64_t) {});
  if (!opened.ok()) return opened.error();
  out.resize(opened.value());
  return out;
}

constexpr size_t kSealedChunk = kAttachmentChunkBytes + kAttachmentChunkOverhead;

TEST(AttachmentStream, RoundTripAcrossChunkSizes) {
  for (size_t n : {size_t{0}, size_t{1}, kAttachmentChunkBytes - 1, kAttachmentChunkBytes, kAttachmentChunkBytes + 1,
                   3 * kAttachmentChunkBytes + 12345}) {
    SCOPED_TRACE(n);
    const auto plaintext = pattern(n);
    const auto sealed = seal(plaintext);
    EXPECT_EQ(sealed.size(), attachment_sealed_bytes(n));
    auto opened = open(sealed);
    ASSERT_TRUE(opened.ok()) << opened.error().detail;
    EXPECT_EQ(opened.value(), plaintext);
  }
}

TEST(AttachmentStream, ProgressIsReportedPerChunkUpToTheTotal) {
  const auto plaintext = pattern(2 * kAttachmentChunkBytes + 10);
  std::vector<uint8_t> sealed(attachment_sealed_bytes(plaintext.size()));
  std::vector<std::pair<uint64_t, uint64_t>> seal_progress, open_progress;
  ASSERT_TRUE(seal_attachment(key(), kContext, plaintext, sealed,
                              [&](uint64_t done, uint64_t total) { seal_progress.emplace_back(done, total); })
                  .ok());
  std::vector<uint8_t> out(plaintext.size());
  ASSERT_TRUE(open_attachment(key(), kContext, sealed, out,
                              [&](uint64_t done, uint64_t total) { open_progress.emplace_back(done, total); })
                  .ok());
  const std::vector<std::pair<uint64_t, uint64_t>> expected = {
      {kAttachmentChunkBytes, plaintext.size()}, {2 * kAttachmentChunkBytes, plaintext.size()}, {plaintext.size(), plaintext.size()}};
  EXPECT_EQ(seal_progress, expected);
  EXPECT_EQ(open_progress, expected);
}

TEST(AttachmentStream, TruncationAtAChunkBoundaryIsTruncated) {
  const auto sealed = seal(pattern(3 * kAttachmentChunkBytes));
  const std::vector<uint8_t> cut(sealed.begin(), sealed.begin() + kAttachmentStreamHeaderBytes + 2 * kSealedChunk);
  auto opened = open(cut);
  EXPECT_EQ(opened.status(), Status::truncated);
  EXPECT_EQ(status_name(opened.status()), std::string("TRUNCATED"));
  const std::vector<uint8_t> header_only(sealed.begin(), sealed.begin() + kAttachmentStreamHeaderBytes);
  EXPECT_EQ(open(header_only).status(), Status::truncated);
}

TEST(AttachmentStream, TruncationInsideAChunkIsRejected) {
  const auto sealed = seal(pattern(kAttachmentChunkBytes + 500));
  for (size_t drop : {size_t{1}, size_t{16}, size_t{200}, size_t{517}}) {
    const std::vector<uint8_t> cut(sealed.begin(), sealed.end() - static_cast<long>(drop));
    auto opened = open(cut);
    EXPECT_FALSE(opened.ok()) << drop;
    EXPECT_TRUE(opened.status() == Status::auth_failed || opened.status() == Status::truncated) << drop;
  }
}

TEST(AttachmentStream, ReorderedOrRepeatedChunksAreRejected) {
  const auto sealed = seal(pattern(3 * kAttachmentChunkBytes));
  const size_t first = kAttachmentStreamHeaderBytes;
  auto swapped = sealed;
  std::swap_ranges(swapped.begin() + first, swapped.begin() + first + kSealedChunk, swapped.begin() + first + kSealedChunk);
  EXPECT_EQ(open(swapped).status(), Status::auth_failed);
  auto repeated = sealed;
  std::copy(sealed.begin() + first, sealed.begin() + first + kSealedChunk, repeated.begin() + first + kSealedChunk);
  EXPECT_EQ(open(repeated).status(), Status::auth_failed);
}

TEST(AttachmentStream, DataAfterTheFinalChunkIsRejected) {
  auto sealed = seal(pattern(kAttachmentChunkBytes));  // one full chunk, tagged FINAL
  sealed.insert(sealed.end(), 20, 0);
  EXPECT_EQ(open(sealed).status(), Status::malformed);
  auto short_one = seal(pattern(100));
  short_one.push_back(0);  // becomes part of the last chunk: its tag no longer matches
  EXPECT_EQ(open(short_one).status(), Status::auth_failed);
}

TEST(AttachmentStream, OtherContextOrKeyIsRejectedAndOutputWiped) {
  const auto plaintext = pattern(5000);
  const auto sealed = seal(plaintext);
  EXPECT_EQ(open(sealed, {1, 2, 3, 5}).status(), Status::auth_failed);
  std::vector<uint8_t> out(sealed.size(), 0xEE);
  EXPECT_EQ(open_attachment(key(0x43), kContext, sealed, out, [](uint64_t, uint64_t) {}).status(), Status::auth_failed);

  // The first chunk opens, the second is tampered: the first chunk's plaintext is wiped again.
  const auto two_chunks = pattern(kAttachmentChunkBytes + 10);
  auto tampered = seal(two_chunks);
  tampered.back() ^= 1;
  std::vector<uint8_t> partial(two_chunks.size(), 0xEE);
  EXPECT_EQ(open_attachment(key(), kContext, tampered, partial, [](uint64_t, uint64_t) {}).status(), Status::auth_failed);
  EXPECT_EQ(std::count(partial.begin(), partial.begin() + kAttachmentChunkBytes, 0), static_cast<long>(kAttachmentChunkBytes));
}

TEST(AttachmentStream, BitFlipsInHeaderChunksAndTagsAreRejected) {
  const auto sealed = seal(pattern(kAttachmentChunkBytes + 64));
  // Every bit of the stream header, the first bytes and tag region of both chunks.
  std::vector<size_t> bytes_to_flip;
  for (size_t i = 0; i < kAttachmentStreamHeaderBytes + 40; ++i) bytes_to_flip.push_back(i);
  for (size_t i = kAttachmentStreamHeaderBytes + kSealedChunk - 20; i < sealed.size(); ++i) bytes_to_flip.push_back(i);
  for (size_t index : bytes_to_flip) {
    for (int bit = 0; bit < 8; ++bit) {
      auto flipped = sealed;
      flipped[index] ^= static_cast<uint8_t>(1 << bit);
      ASSERT_FALSE(open(flipped).ok()) << "byte " << index << " bit " << bit;
    }
  }
}

TEST(AttachmentStream, IncrementalApiStopsAfterFinal) {
  std::array<uint8_t, kAttachmentStreamHeaderBytes> header{};
  auto sealer = AttachmentSealer::start(key(), header);
  ASSERT_TRUE(sealer.ok());
  std::vector<uint8_t> chunk1(3 + kAttachmentChunkOverhead), chunk2(2 + kAttachmentChunkOverhead);
  ASSERT_TRUE(sealer.value().push(std::vector<uint8_t>{1, 2, 3}, {}, false, chunk1).ok());
  ASSERT_TRUE(sealer.value().push(std::vector<uint8_t>{4, 5}, {}, true, chunk2).ok());
  EXPECT_EQ(sealer.value().push(std::vector<uint8_t>{6}, {}, true, chunk2).status(), Status::invalid_argument);

  auto opener = AttachmentOpener::start(key(), header);
  ASSERT_TRUE(opener.ok());
  std::vector<uint8_t> out(16);
  EXPECT_EQ(opener.value().pull(chunk1, {}, out).value(), 3u);
  EXPECT_EQ(opener.value().finish(), Status::truncated);
  EXPECT_EQ(opener.value().pull(chunk2, {}, out).value(), 2u);
  EXPECT_EQ(opener.value().finish(), Status::ok);
  EXPECT_EQ(opener.value().pull(chunk2, {}, out).status(), Status::malformed);
}

}  // namespace
}  // namespace sealdesk::crypto
