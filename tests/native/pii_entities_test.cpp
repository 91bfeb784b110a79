// What the built-in recognisers find, and the look-alikes they must leave alone.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "sdk/pii/masker.h"

namespace sealdesk::pii {
namespace {

using Found = std::vector<std::pair<std::string, std::string>>;  // (type, exact input bytes)

Found find(std::string_view text, std::string_view config = {}) {
  auto masker = Masker::create(config);
  EXPECT_TRUE(masker.ok()) << masker.error().detail;
  MaskResult r;
  EXPECT_EQ(masker.value().mask(text, r), Status::ok);
  Found out;
  for (const Finding& f : r.findings) out.emplace_back(std::string(f.type), std::string(text.substr(f.start, f.end - f.start)));
  return out;
}

Found one(std::string type, std::string value) { return {{std::move(type), std::move(value)}}; }

TEST(PiiEntities, ResidentIdGluedToChineseText) {
  EXPECT_EQ(find("身份证号11010519491231002X谢谢"), one("cn_id", "11010519491231002X"));
  EXPECT_EQ(find("证件11010519491231002x。"), one("cn_id", "11010519491231002x"));
  EXPECT_EQ(find("ID 110105 19491231 002X ok"), one("cn_id", "110105 19491231 002X"));
  EXPECT_EQ(find("老证110105491231002"), one("cn_id", "110105491231002"));
}

TEST(PiiEntities, ResidentIdInFullWidthDigits) {
  EXPECT_EQ(find("身份证：１１０１０５１９４９１２３１００２Ｘ"), one("cn_id", "１１０１０５１９４９１２３１００２Ｘ"));
}

TEST(PiiEntities, ResidentIdWithWrongCheckDigitOrDateIsLeftAlone) {
  EXPECT_EQ(find("身份证110105194912310021"), Found{});
  EXPECT_EQ(find("身份证110105194913310027"), Found{});  // month 13
}

TEST(PiiEntities, ResidentIdIsNotMistakenForACard) {
  // 16 of its digits would pass as a card for a naive scanner (npm redact-pii's failure).
  const Found f = find("我的身份证是440106197207019583");
  EXPECT_EQ(f, one("cn_id", "440106197207019583"));
}

TEST(PiiEntities, MobileInEveryCommonForm) {
  EXPECT_EQ(find("手机13800138000谢谢"), one("cn_mobile", "13800138000"));
  EXPECT_EQ(find("tel 138 0013 8000."), one("cn_mobile", "138 0013 8000"));
  EXPECT_EQ(find("tel 138-0013-8000"), one("cn_mobile", "138-0013-8000"));
  EXPECT_EQ(find("call +86 138 0013 8000"), one("cn_mobile", "+86 138 0013 8000"));
  EXPECT_EQ(find("call +86-13800138000"), one("cn_mobile", "+86-13800138000"));
  EXPECT_EQ(find("call 0086 13800138000"), one("cn_mobile", "0086 13800138000"));
  EXPECT_EQ(find("call 8613800138000"), one("cn_mobile", "8613800138000"));
  EXPECT_EQ(find("电话：１３８００１３８０００"), one("cn_mobile", "１３８００１３８０００"));
  EXPECT_EQ(find("tel13800138000"), one("cn_mobile", "13800138000"));
  EXPECT_EQ(find("📞13800138000😀"), one("cn_mobile", "13800138000"));
}

TEST(PiiEntities, MobileSplitByZeroWidthCharactersIsStillFound) {
  const std::string evasive = "138\xE2\x80\x8B" "0013\xE2\x80\x8B" "8000";
  EXPECT_EQ(find("手机" + evasive + "。"), one("cn_mobile", evasive));
}

TEST(PiiEntities, MobileLookAlikesAreLeftAlone) {
  EXPECT_EQ(find("号码12345678901是空号"), Found{});         // 12x is no mobile prefix
  EXPECT_EQ(find("金额13800138000.50元"), Found{});          // a decimal amount
  EXPECT_EQ(find("单价 1380013800 元"), Found{});            // 10 digits
  EXPECT_EQ(find("IP 192.168.205.64"), one("ipv4", "192.168.205.64"));
}

TEST(PiiEntities, LandlineNeedsAreaCodeBoundary) {
  EXPECT_EQ(find("座机010-62345678"), one("cn_landline", "010-62345678"));
  EXPECT_EQ(find("座机(0755)88888888"), one("cn_landline", "(0755)88888888"));
  EXPECT_EQ(find("座机(0755) 8888 8888"), one("cn_landline", "(0755) 8888 8888"));
  EXPECT_EQ(find("office +86 10 62345678"), one("cn_landline", "+86 10 62345678"));
  EXPECT_EQ(find("客服400-820-8820"), Found{});
  EXPECT_EQ(find("日期2023-11-15"), Found{});
}

TEST(PiiEntities, CardsGroupedOrNotPassingLuhn) {
  EXPECT_EQ(find("卡号6222021234567890127退款"), Found{});  // fails Luhn
  EXPECT_EQ(find("卡号6222021234567890128退款"), one("bank_card", "6222021234567890128"));
  EXPECT_EQ(find("卡号4111111111111111退款"), one("bank_card", "4111111111111111"));
  EXPECT_EQ(find("card 4111 1111 1111 1111 exp 12/27"), one("bank_card", "4111 1111 1111 1111"));
  EXPECT_EQ(find("card 4111-1111-1111-1111"), one("bank_card", "4111-1111-1111-1111"));
  EXPECT_EQ(find("amex 3782 822463 10005"), one("bank_card", "3782 822463 10005"));
  EXPECT_EQ(find("银联 6200 0000 0000 0005"), one("bank_card", "6200 0000 0000 0005"));
  EXPECT_EQ(find("卡 ４１１１１１１１１１１１１１１１"), one("bank_card", "４１１１１１１１１１１１１１１１"));
}

TEST(PiiEntities, SixteenDigitNumbersFailingLuhnOrWithoutNetworkAreLeftAlone) {
  EXPECT_EQ(find("商品编号 4111 1111 1111 1112 有货吗"), Found{});
  EXPECT_EQ(find("会员号1234567812345670"), Found{});
  // The tail of a failed card is not re-read as a landline ("0480 5631 5332").
  EXPECT_EQ(find("Card 3566 0480 5631 5332 was declined"), Found{});
}

TEST(PiiEntities, OrderTrackingAndVersionCuesKeepNumbersOut) {
  // 4000000000000002 passes Luhn and is a Visa shape: after 订单号 it is an order number.
  EXPECT_EQ(find("订单号4000000000000002"), Found{});
  EXPECT_EQ(find("Tracking number 4000000000006"), Found{});
  EXPECT_EQ(find("版本号1.2.3.4有bug"), Found{});
  EXPECT_EQ(find("IMEI 353368030717882"), Found{});
  // Without the cue the same number is a card.
  EXPECT_EQ(find("付款 4000000000000002"), one("bank_card", "4000000000000002"));
}

TEST(PiiEntities, UsccPassportPermitsAndPlates) {
  EXPECT_EQ(find("税号91350100M000100Y43开票"), one("uscc", "91350100M000100Y43"));
  EXPECT_EQ(find("税号91350100M000100Y44开票"), Found{});
  EXPECT_EQ(find("护照E12345678"), one("passport", "E12345678"));
  EXPECT_EQ(find("护照EA1234567"), one("passport", "EA1234567"));
  EXPECT_EQ(find("港澳通行证C12345678"), one("travel_permit", "C12345678"));
  EXPECT_EQ(find("回乡证H1234567801"), one("travel_permit", "H1234567801"));
  EXPECT_EQ(find("台胞证 12345678"), one("travel_permit", "12345678"));
  EXPECT_EQ(find("车牌京A·12345，"), one("license_plate", "京A·12345"));
  EXPECT_EQ(find("车牌粤BD12345"), one("license_plate", "粤BD12345"));
  EXPECT_EQ(find("车牌沪A 12345D"), one("license_plate", "沪A 12345D"));
  EXPECT_EQ(find("新款Apple手机"), Found{});
}

TEST(PiiEntities, EmailsIncludingNumericLocalParts) {
  EXPECT_EQ(find("邮箱123456789@qq.com谢谢"), one("email", "123456789@qq.com"));
  EXPECT_EQ(find("mail 13800138000@163.com"), one("email", "13800138000@163.com"));
  EXPECT_EQ(find("<jane.doe+shop@mail.example.co.uk>."), one("email", "jane.doe+shop@mail.example.co.uk"));
  EXPECT_EQ(find("邮箱ａｂｃ＠ｅｘａｍｐｌｅ．ｃｏｍ"), one("email", "ａｂｃ＠ｅｘａｍｐｌｅ．ｃｏｍ"));
  EXPECT_EQ(find("@张三 看一下"), Found{});
  EXPECT_EQ(find("user@localhost"), Found{});
}

TEST(PiiEntities, IpAddresses) {
  EXPECT_EQ(find("IP 10.0.0.255,"), one("ipv4", "10.0.0.255"));
  EXPECT_EQ(find("IP 256.1.1.1"), Found{});
  EXPECT_EQ(find("1.2.3.4.5"), Found{});
  EXPECT_EQ(find("v6 2001:db8::8a2e:370:7334 ok"), one("ipv6", "2001:db8::8a2e:370:7334"));
  EXPECT_EQ(find("v6 fe80::1"), one("ipv6", "fe80::1"));
  EXPECT_EQ(find("v6 ::ffff:192.0.2.1"), one("ipv6", "::ffff:192.0.2.1"));
  EXPECT_EQ(find("at 12:30:45"), Found{});
  EXPECT_EQ(find("mac 00:1A:2B:3C:4D:5E"), Found{});
}

TEST(PiiEntities, IbanSsnAndInternationalPhones) {
  EXPECT_EQ(find("IBAN DE89 3704 0044 0532 0130 00."), one("iban", "DE89 3704 0044 0532 0130 00"));
  EXPECT_EQ(find("IBAN GB82 WEST 1234 5698 7654 32"), one("iban", "GB82 WEST 1234 5698 7654 32"));
  EXPECT_EQ(find("IBAN DE88 3704 0044 0532 0130 00"), Found{});
  EXPECT_EQ(find("SSN 536-22-5461"), one("us_ssn", "536-22-5461"));
  EXPECT_EQ(find("SSN 666-22-5461"), Found{});
  EXPECT_EQ(find("ssn: 536225461"), one("us_ssn", "536225461"));
  EXPECT_EQ(find("call +1 (415) 555-2671"), one("phone_intl", "+1 (415) 555-2671"));
  EXPECT_EQ(find("call +44 (0)20 7946 0958"), one("phone_intl", "+44 (0)20 7946 0958"));
  EXPECT_EQ(find("call +852 9123 4567"), one("phone_intl", "+852 9123 4567"));
  EXPECT_EQ(find("score +1 2"), Found{});
}

TEST(PiiEntities, CuedCodesPasswordsBirthDatesAndNames) {
  EXPECT_EQ(find("验证码是482913，5分钟内有效"), one("verification_code", "482913"));
  EXPECT_EQ(find("验证码没收到"), Found{});
  EXPECT_EQ(find("zip code 100101"), Found{});
  EXPECT_EQ(find("密码：Abc@12345，谢谢"), one("password", "Abc@12345"));
  EXPECT_EQ(find("password is hunter2."), one("password", "hunter2"));
  EXPECT_EQ(find("I forgot my password and need help"), Found{});
  EXPECT_EQ(find("PIN: 4821"), one("password", "4821"));
  EXPECT_EQ(find("出生日期1990年3月7日，"), one("dob", "1990年3月7日"));
  EXPECT_EQ(find("DOB 03/07/1990"), one("dob", "03/07/1990"));
  EXPECT_EQ(find("born on March 7, 1990"), one("dob", "March 7, 1990"));
  EXPECT_EQ(find("生日快乐"), Found{});
  EXPECT_EQ(find("发货日期2023-11-15"), Found{});
  EXPECT_EQ(find("我叫张三想问一下"), one("name", "张三"));
  EXPECT_EQ(find("姓名：欧阳娜娜，"), one("name", "欧阳娜娜"));
  EXPECT_EQ(find("我是李明，"), one("name", "李明"));
  EXPECT_EQ(find("我是王者荣耀玩家"), Found{});
  EXPECT_EQ(find("我叫了外卖"), Found{});
  EXPECT_EQ(find("My name is Jane Doe, thanks"), one("name", "Jane Doe"));
  EXPECT_EQ(find("My name is on the order"), Found{});
}

TEST(PiiEntities, ManyEntitiesInOneMessageComeOutInOrder) {
  const Found f = find("我叫张伟，手机13800138000，邮箱zw@example.com，卡号4111111111111111");
  const Found expected{{"name", "张伟"}, {"cn_mobile", "13800138000"}, {"email", "zw@example.com"},
                       {"bank_card", "4111111111111111"}};
  EXPECT_EQ(f, expected);
}

TEST(PiiEntities, DisabledEntitiesAreNotReported) {
  EXPECT_EQ(find("IP 10.0.0.1 手机13800138000", R"({"entities":{"ipv4":false}})"), one("cn_mobile", "13800138000"));
}

TEST(PiiEntities, InvalidBytesInsideANumberDoNotLetItThrough) {
  // Garbage bytes between the groups read as separators: still one phone number.
  const std::string text = "手机138\xFF" "0013\xC0" "8000";
  const Found f = find(text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].first, "cn_mobile");
  EXPECT_EQ(f[0].second, "138\xFF" "0013\xC0" "8000");
}

}  // namespace
}  // namespace sealdesk::pii
