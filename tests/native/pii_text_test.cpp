// UTF-8 decoding, the scanners' normalised view and offset conversions.
#include "sdk/pii/text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sealdesk::pii::detail {
namespace {

std::string sanitized(std::string_view s) {
  std::string out;
  append_sanitized(out, s, true);
  return out;
}

TEST(PiiText, InvalidSequencesBecomeOneReplacementPerMaximalSubpart) {
  // WHATWG Encoding / Unicode 15 §3.9 "U+FFFD substitution of maximal subparts" examples.
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(sanitized("a\xFFz"), "a" + fffd + "z");
  EXPECT_EQ(sanitized("\xE6\x89"), fffd);                       // truncated 3-byte sequence
  EXPECT_EQ(sanitized("\xE6\x89z"), fffd + "z");               // offending byte starts the next step
  EXPECT_EQ(sanitized("\xED\xA0\x80"), fffd + fffd + fffd);    // surrogate: lead rejects A0
  EXPECT_EQ(sanitized("\xC0\xAF"), fffd + fffd);               // overlong
  EXPECT_EQ(sanitized("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // above U+10FFFF
  EXPECT_EQ(sanitized("手机"), "手机");
}

TEST(PiiText, NormalisedViewFoldsFullWidthSpacesDashesAndOtherDigits) {
  NormalizedText n;
  n.assign("１３８\xE3\x80\x80０\xE2\x80\x94\xD9\xA1\xF0\x9D\x9F\x8E");  // １３８, U+3000, ０, em dash, Arabic 1, math 0
  EXPECT_EQ(n.text(), "138 0-10");
  EXPECT_FALSE(n.identity());
  EXPECT_EQ(n.invalid_sequences(), 0u);
}

TEST(PiiText, ZeroWidthCharactersVanishFromTheScannedText) {
  NormalizedText n;
  n.assign("138\xE2\x80\x8B" "0013\xEF\xBB\xBF" "8000");  // ZWSP and BOM inside a number
  EXPECT_EQ(n.text(), "13800138000");
}

TEST(PiiText, UntouchedTextIsScannedInPlace) {
  NormalizedText n;
  const std::string input = "我的手机 13800138000 😀";
  n.assign(input);
  EXPECT_TRUE(n.identity());
  EXPECT_EQ(n.text().data(), input.data());
  EXPECT_EQ(n.to_input(7), 7u);
}

TEST(PiiText, OffsetsMapBackThroughFoldedCharacters) {
  NormalizedText n;
  const std::string input = "a１b\xE2\x80\x8B" "c\xFF" "d";  // 1 (3 bytes) -> 1 byte; ZWSP removed; \xFF -> ' '
  n.assign(input);
  ASSERT_EQ(n.text(), "a1bc d");
  EXPECT_EQ(n.invalid_sequences(), 1u);
  const std::vector<uint32_t> expected{0, 1, 4, 8, 9, 10, 11};  // input offset of each text offset
  for (uint32_t i = 0; i < expected.size(); ++i) EXPECT_EQ(n.to_input(i), expected[i]) << i;
}

TEST(PiiText, Utf16CountsSurrogatePairsAndReplacementCharacters) {
  EXPECT_EQ(utf16_length("ab"), 2u);
  EXPECT_EQ(utf16_length("手机"), 2u);
  EXPECT_EQ(utf16_length("😀"), 2u);
  const std::string input = "😀\xFF" "a";
  Utf16Cursor cursor(input, true);
  EXPECT_EQ(cursor.advance_to(4), 2u);
  EXPECT_EQ(cursor.advance_to(5), 3u);  // one unit for the U+FFFD
  EXPECT_EQ(cursor.advance_to(6), 4u);
}

TEST(PiiText, KnowsWhenTheInputIsAsciiAndCountsReplacementCharactersItHolds) {
  NormalizedText n;
  n.assign("call 13800138000 now");
  EXPECT_TRUE(n.ascii());
  EXPECT_EQ(n.replacement_chars(), 0u);
  n.assign("手机");  // only characters the fast CJK loop skips
  EXPECT_FALSE(n.ascii());
  n.assign("abc\xC3\xA9");  // é at the very end
  EXPECT_FALSE(n.ascii());
  // A U+FFFD typed by the user (or written for a lone surrogate by a JS encoder) is counted;
  // a replaced invalid sequence is not (it is counted as invalid).
  n.assign("a\xEF\xBF\xBD b \xEF\xBF\xBD\xFF");
  EXPECT_FALSE(n.ascii());
  EXPECT_EQ(n.replacement_chars(), 2u);
  EXPECT_EQ(n.invalid_sequences(), 1u);
  n.assign("abc");  // state does not leak into the next message
  EXPECT_TRUE(n.ascii());
  EXPECT_EQ(n.replacement_chars(), 0u);
  EXPECT_EQ(n.invalid_sequences(), 0u);
}

TEST(PiiText, AsciiCursorGivesByteOffsetsAsTheyAre) {
  const std::string input = "jane@example.com 13800138000";
  Utf16Cursor ascii(input, false, true);
  Utf16Cursor counted(input, false);
  for (uint32_t offset : {0u, 4u, 16u, 17u, 28u}) EXPECT_EQ(ascii.advance_to(offset), counted.advance_to(offset));
}

TEST(PiiText, Utf16CursorMatchesACharacterCountAtEveryBoundary) {
  // Word-at-a-time counting with tails read before or after the range: compare with a count
  // character by character, for every start and every step size, on short and long texts.
  const std::vector<std::string> pieces{"a", "手", "😀", "é", "12", "机😀x", " "};
  for (size_t length : {1u, 3u, 7u, 9u, 17u, 40u}) {
    std::string text;
    std::vector<uint32_t> boundaries{0};
    std::vector<uint32_t> units{0};
    for (size_t k = 0; boundaries.size() <= length; ++k) {
      const std::string& p = pieces[(k * 5 + length) % pieces.size()];
      // Whole characters of the piece, one boundary each.
      for (size_t i = 0; i < p.size();) {
        const Decoded d = decode_utf8(reinterpret_cast<const uint8_t*>(p.data()) + i, p.size() - i);
        text.append(p, i, d.len);
        i += d.len;
        boundaries.push_back(static_cast<uint32_t>(text.size()));
        units.push_back(units.back() + (d.cp >= 0x10000 ? 2 : 1));
      }
    }
    EXPECT_EQ(utf16_length(text), units.back()) << length;
    for (size_t step = 1; step < boundaries.size(); ++step) {
      Utf16Cursor cursor(text, false);
      for (size_t b = 0; b < boundaries.size(); b += step) {
        EXPECT_EQ(cursor.advance_to(boundaries[b]), units[b]) << length << " " << step << " " << b;
      }
    }
  }
}

TEST(PiiText, DecoderNeverReadsPastTheEnd) {
  const uint8_t lone[] = {0xF0};
  const Decoded d = decode_utf8(lone, 1);
  EXPECT_FALSE(d.valid);
  EXPECT_EQ(d.len, 1u);
}

}  // namespace
}  // namespace sealdesk::pii::detail
