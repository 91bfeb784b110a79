// Mask styles, findings and offsets, config handling, host rules, sealed reveal tokens.
#include "sdk/pii/masker.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "sdk/crypto/library.h"
#include "sdk/crypto/sealed_box.h"

namespace sealdesk::pii {
namespace {

constexpr std::string_view kKeyA = R"("pseudonymKey":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")";
constexpr std::string_view kKeyB = R"("pseudonymKey":"ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")";

Masker make(std::string_view config) {
  auto m = Masker::create(config);
  EXPECT_TRUE(m.ok()) << config << ": " << m.error().detail;
  return std::move(m).value();
}

std::string masked(Masker& m, std::string_view text) {
  MaskResult r;
  EXPECT_EQ(m.mask(text, r), Status::ok);
  return r.text;
}

std::string masked(std::string_view config, std::string_view text) {
  Masker m = make(config);
  return masked(m, text);
}

std::string hex(const uint8_t* p, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[p[i] >> 4]);
    out.push_back(kHex[p[i] & 15]);
  }
  return out;
}

TEST(PiiMasker, LabelsFollowTheLocale) {
  EXPECT_EQ(masked("", "手机13800138000"), "手机[手机号]");
  EXPECT_EQ(masked(R"({"locale":"zh-TW"})", "手机13800138000"), "手机[手機號碼]");
  EXPECT_EQ(masked(R"({"locale":"en"})", "phone 13800138000"), "phone [phone]");
}

TEST(PiiMasker, PartialStyleFollowsLocalConventions) {
  Masker m = make(R"({"style":"partial"})");
  EXPECT_EQ(masked(m, "手机13800138000"), "手机138****8000");
  EXPECT_EQ(masked(m, "call +86 138 0013 8000"), "call +86 138 **** 8000");
  EXPECT_EQ(masked(m, "证11010519491231002X"), "证110105********002X");
  EXPECT_EQ(masked(m, "卡4111 1111 1111 1234"), "卡4111 1111 1111 1234");  // fails Luhn: not a card
  EXPECT_EQ(masked(m, "卡4111 1111 1111 1111"), "卡****1111");
  EXPECT_EQ(masked(m, "邮箱zhang.wei@example.com"), "邮箱z***@example.com");
  EXPECT_EQ(masked(m, "IP 192.168.205.64"), "IP 192.168.***.**");
  EXPECT_EQ(masked(m, "车牌京A·12345"), "车牌京A·***45");
  EXPECT_EQ(masked(m, "我叫张三丰，"), "我叫张**，");
  EXPECT_EQ(masked(m, "出生日期1990-03-07"), "出生日期1990-**-**");
  EXPECT_EQ(masked(m, "验证码482913"), "验证码******");
  EXPECT_EQ(masked(m, "座机010-62345678"), "座机010-****5678");
  EXPECT_EQ(masked(m, "SSN 536-22-5461"), "SSN ***-**-5461");
  EXPECT_EQ(masked(m, "护照E12345678"), "护照E*****678");
  EXPECT_EQ(masked(m, "电话１３８００１３８０００"), "电话１３８****８０００");
}

TEST(PiiMasker, PseudonymsAreStablePerKeyAndIgnoreFormatting) {
  const std::string config = "{\"style\":\"pseudonym\"," + std::string(kKeyA) + "}";
  Masker a = make(config);
  const std::string plain = masked(a, "13800138000");
  EXPECT_EQ(plain.rfind("[手机号#", 0), 0u) << plain;
  EXPECT_EQ(plain.size(), std::string("[手机号#").size() + 9);
  // Same number, other spellings, same session: same token.
  EXPECT_EQ(masked(a, "+86 138-0013-8000"), plain);
  EXPECT_EQ(masked(a, "１３８００１３８０００"), plain);
  // Same key, new Masker: same token (the key is the session).
  Masker again = make(config);
  EXPECT_EQ(masked(again, "13800138000"), plain);
  // Another number, another key, or no key: different tokens.
  EXPECT_NE(masked(a, "13800138001"), plain);
  EXPECT_NE(masked("{\"style\":\"pseudonym\"," + std::string(kKeyB) + "}", "13800138000"), plain);
  EXPECT_NE(masked(R"({"style":"pseudonym"})", "13800138000"), plain);
}

TEST(PiiMasker, PseudonymDependsOnTheEntityType) {
  // The same digits as a card and inside an e-mail address must not correlate.
  const std::string config = "{\"style\":\"pseudonym\"," + std::string(kKeyA) + "}";
  Masker m = make(config);
  const std::string card = masked(m, "4111111111111111");
  const std::string mail = masked(m, "4111111111111111@qq.com");
  EXPECT_NE(card.substr(card.find('#')), mail.substr(mail.find('#')));
}

struct DeskKeys {
  std::array<uint8_t, 32> pk{};
  std::array<uint8_t, 32> sk{};
  DeskKeys() { EXPECT_EQ(crypto::sealed_box_keypair(pk, sk), Status::ok); }
  ~DeskKeys() { crypto::wipe(sk.data(), sk.size()); }
  std::string config(std::string_view style_json) const {
    return "{" + std::string(style_json) + ",\"revealKey\":\"" + hex(pk.data(), pk.size()) + "\"}";
  }
};

TEST(PiiMasker, SealedTokenOpensOnlyWithTheDeskKey) {
  DeskKeys desk;
  Masker m = make(desk.config(R"("styles":{"cn_mobile":"sealed"})"));
  MaskResult r;
  ASSERT_EQ(m.mask("手机+86 138 0013 8000，卡4111111111111111", r), Status::ok);
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].style, Style::sealed);
  EXPECT_EQ(r.findings[1].style, Style::label);
  const std::string token = r.text.substr(r.findings[0].masked_start, r.findings[0].masked_end - r.findings[0].masked_start);
  EXPECT_EQ(token.rfind("[sealed:cn_mobile:", 0), 0u);
  EXPECT_EQ(r.text.find("0013"), std::string::npos);

  auto opened = open_reveal_token(token, desk.pk, desk.sk);
  ASSERT_TRUE(opened.ok()) << opened.error().detail;
  EXPECT_EQ(opened.value().type, "cn_mobile");
  EXPECT_EQ(opened.value().text, "+86 138 0013 8000");

  DeskKeys other;
  EXPECT_EQ(open_reveal_token(token, other.pk, other.sk).status(), Status::auth_failed);
}

TEST(PiiMasker, SealedTokenRejectsTamperingAndTypeSwaps) {
  DeskKeys desk;
  Masker m = make(desk.config(R"("style":"sealed")"));
  const std::string token = masked(m, "13800138000");
  std::string flipped = token;
  flipped[token.size() - 3] = flipped[token.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(open_reveal_token(flipped, desk.pk, desk.sk).status(), Status::auth_failed);
  std::string swapped = token;
  swapped.replace(std::string("[sealed:").size(), std::string("cn_mobile").size(), "bank_card");
  EXPECT_EQ(open_reveal_token(swapped, desk.pk, desk.sk).status(), Status::malformed);
  EXPECT_EQ(open_reveal_token("[sealed:cn_mobile:!!]", desk.pk, desk.sk).status(), Status::malformed);
  EXPECT_EQ(open_reveal_token("13800138000", desk.pk, desk.sk).status(), Status::malformed);
  // Sealing is randomised: the same value twice gives two tokens (no correlation without the key).
  EXPECT_NE(masked(m, "13800138000"), token);
}

TEST(PiiMasker, FindingsCarryByteAndUtf16OffsetsOfInputAndOutput) {
  Masker m = make(R"({"locale":"en"})");
  MaskResult r;
  const std::string text = "😀手机13800138000 ok";
  ASSERT_EQ(m.mask(text, r), Status::ok);
  EXPECT_EQ(r.text, "😀手机[phone] ok");
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_EQ(f.type, "cn_mobile");
  EXPECT_EQ(f.start, 10u);  // 4 (emoji) + 6 (two CJK characters)
  EXPECT_EQ(f.end, 21u);
  EXPECT_EQ(f.start_utf16, 4u);  // 2 (surrogate pair) + 2
  EXPECT_EQ(f.end_utf16, 15u);
  EXPECT_EQ(f.masked_start, 10u);
  EXPECT_EQ(f.masked_end, 17u);
  EXPECT_EQ(f.masked_start_utf16, 4u);
  EXPECT_EQ(f.masked_end_utf16, 11u);
}

TEST(PiiMasker, LabelOffsetsInTheOutputCountEveryUtf16Unit) {
  // Label replacements are prepared once per Masker with their UTF-16 length: a host label
  // outside the BMP takes two units per character, in every locale and message shape.
  Masker m = make(R"({"locale":"zh-TW","rules":[{"id":"vip","pattern":"VIP\\d{4}","label":"貴賓😀😀"}]})");
  MaskResult r;
  for (const std::string text : {"VIP1234 13800138000", "😀 VIP1234，13800138000", "Ａ VIP1234 13800138000"}) {
    ASSERT_EQ(m.mask(text, r), Status::ok) << text;
    ASSERT_EQ(r.findings.size(), 2u) << text;
    EXPECT_EQ(r.findings[0].masked_end_utf16 - r.findings[0].masked_start_utf16, 8u) << text;  // [貴賓😀😀]: 1 + 2 + 4 + 1
    EXPECT_EQ(r.findings[1].masked_end_utf16 - r.findings[1].masked_start_utf16, 6u) << text;  // [手機號碼]
    EXPECT_EQ(r.findings[0].masked_end - r.findings[0].masked_start, 16u) << text;
    // The second replacement starts where the text between them says, in both units.
    EXPECT_EQ(r.findings[1].masked_start - r.findings[0].masked_end, r.findings[1].start - r.findings[0].end);
    EXPECT_EQ(r.findings[1].masked_start_utf16 - r.findings[0].masked_end_utf16,
              r.findings[1].start_utf16 - r.findings[0].end_utf16);
  }
}

TEST(PiiMasker, CountsReplacementCharactersTheInputHolds) {
  Masker m = make("");
  MaskResult r;
  ASSERT_EQ(m.mask("手机13800138000", r), Status::ok);
  EXPECT_EQ(r.replacement_chars, 0u);
  ASSERT_EQ(m.mask("\xEF\xBF\xBD手机13800138000\xFF", r), Status::ok);
  EXPECT_EQ(r.replacement_chars, 1u);
  EXPECT_EQ(r.invalid_utf8_sequences, 1u);
}

TEST(PiiMasker, FullWidthOffsetsPointAtTheOriginalCharacters) {
  Masker m = make("");
  MaskResult r;
  const std::string text = "电话１３８００１３８０００。";
  ASSERT_EQ(m.mask(text, r), Status::ok);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].start, 6u);
  EXPECT_EQ(r.findings[0].end, 6u + 33u);
  EXPECT_EQ(r.findings[0].start_utf16, 2u);
  EXPECT_EQ(r.findings[0].end_utf16, 13u);
  EXPECT_EQ(r.text, "电话[手机号]。");
}

TEST(PiiMasker, InvalidUtf8IsReplacedCountedAndNeverLetsDigitsThrough) {
  Masker m = make("");
  MaskResult r;
  const std::string text = "a\xFF手机138\xC0" "0013\xE6\x89" "8000\xF0";
  ASSERT_EQ(m.mask(text, r), Status::ok);
  EXPECT_EQ(r.invalid_utf8_sequences, 4u);
  EXPECT_EQ(r.text, "a\xEF\xBF\xBD手机[手机号]\xEF\xBF\xBD");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].start, 8u);
  EXPECT_EQ(r.findings[0].start_utf16, 4u);  // a, U+FFFD, 手, 机
  EXPECT_EQ(r.findings[0].end_utf16, 17u);   // 11 digits + 2 U+FFFD
}

TEST(PiiMasker, OutputIsValidUtf8ForArbitraryBytes) {
  Masker m = make(R"({"style":"partial"})");
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  MaskResult r;
  ASSERT_EQ(m.mask(bytes + bytes, r), Status::ok);
  MaskResult again;
  ASSERT_EQ(m.mask(r.text, again), Status::ok);
  EXPECT_EQ(again.invalid_utf8_sequences, 0u);
}

TEST(PiiMasker, TooLargeMessagesAreRefusedWholesale) {
  Masker m = make("");
  MaskResult r;
  r.text = "stale";
  const std::string big(kMaxMessageBytes + 1, '1');
  EXPECT_EQ(m.mask(big, r), Status::too_large);
  EXPECT_TRUE(r.text.empty());
  EXPECT_TRUE(r.findings.empty());
}

TEST(PiiMasker, OneMebibyteMessageIsMaskedCompletely) {
  std::string text;
  const std::string chunk = "客户张三的手机13800138000，卡号4111 1111 1111 1111，订单号2023111512345678。";
  while (text.size() < (1u << 20)) text += chunk;
  Masker m = make("");
  MaskResult r;
  ASSERT_EQ(m.mask(text, r), Status::ok);
  const size_t chunks = (text.size() + chunk.size() - 1) / chunk.size();
  EXPECT_EQ(r.findings.size(), 2 * chunks);
  EXPECT_EQ(r.text.find("13800138000"), std::string::npos);
  EXPECT_EQ(r.text.find("4111"), std::string::npos);
}

TEST(PiiMasker, ConfigErrorsNameTheKey) {
  struct Case {
    const char* config;
    Status status;
    const char* detail;
  };
  const Case cases[] = {
      {"[]", Status::invalid_argument, "not a JSON object"},
      {"{", Status::invalid_argument, "not a JSON object"},
      {R"({"stlye":"label"})", Status::invalid_argument, "unknown key \"stlye\""},
      {R"({"locale":"fr"})", Status::invalid_argument, "locale"},
      {R"({"style":"blur"})", Status::invalid_argument, "style"},
      {R"({"styles":{"phone":"label"}})", Status::invalid_argument, "unknown entity \"phone\""},
      {R"({"styles":{"cn_mobile":3}})", Status::invalid_argument, "styles.cn_mobile"},
      {R"({"entities":{"cn_mobile":"no"}})", Status::invalid_argument, "entities"},
      {R"({"pseudonymKey":"abcd"})", Status::invalid_argument, "pseudonymKey"},
      {R"({"style":"sealed"})", Status::invalid_argument, "revealKey"},
      {R"({"rules":{}})", Status::rule_invalid, "rules"},
      {R"({"rules":[{"id":"cn_id","pattern":"x"}]})", Status::rule_invalid, "rules[0].id"},
      {R"({"rules":[{"id":"a","pattern":"(x"}]})", Status::rule_invalid, "rules[0].pattern: '(' without ')'"},
      {R"({"rules":[{"id":"a","pattern":"x","validator":"crc"}]})", Status::rule_invalid, "rules[0].validator"},
      {R"({"rules":[{"id":"a","pattern":"x"},{"id":"a","pattern":"y"}]})", Status::rule_invalid, "duplicate"},
      {R"({"rules":[{"id":"a","pattern":"x","keepEnd":99}]})", Status::rule_invalid, "keepEnd"},
      {R"({"rules":[{"id":"a","pattern":"x","colour":1}]})", Status::rule_invalid, "unknown key \"colour\""},
  };
  for (const Case& c : cases) {
    auto m = Masker::create(c.config);
    ASSERT_FALSE(m.ok()) << c.config;
    EXPECT_EQ(m.status(), c.status) << c.config;
    EXPECT_NE(m.error().detail.find(c.detail), std::string::npos) << c.config << " -> " << m.error().detail;
  }
}

TEST(PiiMasker, HostRulesMaskWithTheirOwnLabelStyleAndValidator) {
  Masker m = make(R"({"locale":"en","rules":[
      {"id":"member_id","pattern":"\\bM\\d{8}\\b","label":{"en":"member","zh-CN":"会员号"}},
      {"id":"gift_card","pattern":"GC\\d{16}","validator":"luhn","style":"partial","keepStart":2,"keepEnd":2}]})");
  MaskResult r;
  ASSERT_EQ(m.mask("会员M12345678，礼品卡GC4111111111111111，GC4111111111111112", r), Status::ok);
  EXPECT_EQ(r.text, "会员[member]，礼品卡GC**************11，GC4111111111111112");
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].type, "member_id");
  EXPECT_EQ(r.findings[1].type, "gift_card");
  EXPECT_EQ(r.findings[1].style, Style::partial);
}

TEST(PiiMasker, HostRuleWinsOverABuiltInOnTheSameText) {
  Masker m = make(R"({"rules":[{"id":"staff_phone","pattern":"1380013\\d{4}","label":"工作电话"}]})");
  MaskResult r;
  ASSERT_EQ(m.mask("13800138000 13900139000", r), Status::ok);
  EXPECT_EQ(r.text, "[工作电话] [手机号]");
}

TEST(PiiMasker, RulesSeeTheNormalisedText) {
  // Full-width digits reach the rule as ASCII, so \d matches them.
  Masker m = make(R"({"rules":[{"id":"ticket","pattern":"T-\\d{6}","label":"工单"}]})");
  EXPECT_EQ(masked(m, "工单Ｔ－１２３４５６"), "工单[工单]");
}

TEST(PiiMasker, ResultBuffersAreReusedAcrossMessages) {
  Masker m = make("");
  MaskResult r;
  ASSERT_EQ(m.mask("手机13800138000", r), Status::ok);
  ASSERT_EQ(m.mask("nothing here", r), Status::ok);
  EXPECT_EQ(r.text, "nothing here");
  EXPECT_TRUE(r.findings.empty());
}

}  // namespace
}  // namespace sealdesk::pii
