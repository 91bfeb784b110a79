// Host-rule patterns: the supported syntax, what is rejected, and linear-time matching.
#include "sdk/pii/pattern.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace sealdesk::pii::detail {
namespace {

using Matches = std::vector<std::string>;

Matches all(std::string_view pattern, std::string_view text, bool ignore_case = false) {
  auto p = Pattern::compile(pattern, ignore_case);
  EXPECT_TRUE(p.ok()) << pattern << ": " << p.error().detail;
  Matches out;
  if (!p.ok()) return out;
  p.value().find_all(text, [&](uint32_t s, uint32_t e) {
    out.emplace_back(text.substr(s, e - s));
    return true;
  });
  return out;
}

std::string rejected(std::string_view pattern) {
  auto p = Pattern::compile(pattern, false);
  EXPECT_FALSE(p.ok()) << pattern;
  EXPECT_EQ(p.status(), Status::rule_invalid);
  return p.ok() ? std::string() : p.error().detail;
}

TEST(PiiPattern, LiteralsClassesAndRepetition) {
  EXPECT_EQ(all("M\\d{8}", "会员M12345678，M1234"), Matches{"M12345678"});
  EXPECT_EQ(all("[A-C]x+", "Axx Bx Dx"), (Matches{"Axx", "Bx"}));
  EXPECT_EQ(all("ab?c", "ac abc abbc"), (Matches{"ac", "abc"}));
  EXPECT_EQ(all("a{2,3}", "a aa aaaa"), (Matches{"aa", "aaa"}));
  EXPECT_EQ(all("[^0-9 ]+", "ab 12 cd"), (Matches{"ab", "cd"}));
  EXPECT_EQ(all("\\w+@\\w+", "x a_1@b2 y"), Matches{"a_1@b2"});
}

TEST(PiiPattern, MatchesAreLeftmostLongest) {
  EXPECT_EQ(all("a|ab|abc", "abcd"), Matches{"abc"});
  EXPECT_EQ(all("(?:ab)+", "ababab ab"), (Matches{"ababab", "ab"}));
  EXPECT_EQ(all("x*y", "xxy y"), (Matches{"xxy", "y"}));
}

TEST(PiiPattern, WordBoundaryTreatsChineseAsNonWord) {
  // \b works next to CJK: "会员号M12345678是" has a boundary before M and after 8.
  EXPECT_EQ(all("\\bM\\d{8}\\b", "会员号M12345678是 xM12345678 M123456789"), Matches{"M12345678"});
  EXPECT_EQ(all("\\Bb", "ab b"), Matches{"b"});
}

TEST(PiiPattern, HanClassAndUnicodeLiterals) {
  EXPECT_EQ(all("工号\\p{Han}?\\d{4}", "工号：1234 工号A1234 工号甲1234"), Matches{"工号甲1234"});
  EXPECT_EQ(all("\\u5de5\\u{53f7}", "工号"), Matches{"工号"});
  EXPECT_EQ(all("[\\p{Han}]{2}", "ab中文c"), Matches{"中文"});
  EXPECT_EQ(all("\\P{Han}+", "中ab文"), Matches{"ab"});
}

TEST(PiiPattern, AnchorsAndIgnoreCase) {
  EXPECT_EQ(all("^ab", "abab"), Matches{"ab"});
  EXPECT_EQ(all("ab$", "abab"), Matches{"ab"});
  EXPECT_EQ(all("vip-\\d+", "VIP-12 vip-3", true), (Matches{"VIP-12", "vip-3"}));
  EXPECT_EQ(all("[^a]", "aA", true), Matches{});
}

TEST(PiiPattern, RejectsWhatItDoesNotSupportWithTheOffset) {
  EXPECT_NE(rejected("(ab").find("'(' without ')'"), std::string::npos);
  EXPECT_NE(rejected("ab)").find("unbalanced ')'"), std::string::npos);
  EXPECT_NE(rejected("a{2,1}").find("bad repetition bound"), std::string::npos);
  EXPECT_NE(rejected("a{65}").find("0-64"), std::string::npos);
  EXPECT_NE(rejected("a+?").find("lazy"), std::string::npos);
  EXPECT_NE(rejected("(?=a)").find("only (?:...)"), std::string::npos);
  EXPECT_NE(rejected("\\k").find("unknown escape at offset 1"), std::string::npos);
  EXPECT_NE(rejected("\\p{Latin}").find("only \\p{Han}"), std::string::npos);
  EXPECT_NE(rejected("[b-a]").find("out of order"), std::string::npos);
  EXPECT_NE(rejected("a*").find("empty string"), std::string::npos);
  EXPECT_NE(rejected("\\b").find("empty string"), std::string::npos);
  EXPECT_NE(rejected("").find("empty"), std::string::npos);
  EXPECT_NE(rejected("*a").find("without an operand"), std::string::npos);
  EXPECT_NE(rejected("\xFF").find("invalid UTF-8"), std::string::npos);
  EXPECT_NE(rejected(std::string(513, 'a')).find("512"), std::string::npos);
  EXPECT_NE(rejected(std::string(40, '(') + "a" + std::string(40, ')')).find("deeper than 32"), std::string::npos);
  EXPECT_NE(rejected("(?:(?:a{64}){64}){64}").find("2048 instructions"), std::string::npos);
}

TEST(PiiPattern, CatastrophicPatternsStayLinear) {
  // (a|aa)*b and (a*)*b take exponential time in backtracking engines on "aaaa...".
  const std::string text(200000, 'a');
  for (std::string_view pattern : {"(?:a|aa)*b", "(?:a*)*b", "(?:a+)+b"}) {
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(all(pattern, text), Matches{}) << pattern;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(seconds, 10.0) << pattern;  // generous: a backtracking engine would never finish
  }
}

TEST(PiiPattern, MatchesAreCappedAt256Bytes) {
  // A longer match is never reported; a shorter one ending at the same place may be.
  const std::string text = std::string(300, 'a') + "b";
  const Matches m = all("a+b", text);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_LE(m[0].size(), kMaxMatchBytes);
  EXPECT_EQ(m[0].back(), 'b');
}

TEST(PiiPattern, RejectedMatchResumesOneCharacterLater) {
  auto p = Pattern::compile("\\d{4}", false);
  ASSERT_TRUE(p.ok());
  Matches seen;
  const std::string text = "123456";
  p.value().find_all(text, [&](uint32_t s, uint32_t e) {
    seen.emplace_back(text.substr(s, e - s));
    return s == 2;  // accept only the third candidate
  });
  EXPECT_EQ(seen, (Matches{"1234", "2345", "3456"}));
}

}  // namespace
}  // namespace sealdesk::pii::detail
