// Issue #18: the forms real customers type, the entities added for Hong Kong, Taiwan and Macau,
// structured fields, names in context, and the look-alikes (service numbers, toll-free numbers,
// year ranges) that must stay as they are.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "sdk/pii/checks.h"
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
const Found kNothing{};

std::string masked(std::string_view text, std::string_view config) {
  auto masker = Masker::create(config);
  EXPECT_TRUE(masker.ok());
  MaskResult r;
  EXPECT_EQ(masker.value().mask(text, r), Status::ok);
  return r.text;
}

// ---- validators: the published examples ----------------------------------------------------

TEST(PiiRealChecks, HkidCheckCharacterFollowsTheImmigrationDepartmentExamples) {
  using detail::hkid_valid;
  EXPECT_TRUE(hkid_valid("A1234563"));   // A123456(3)
  EXPECT_TRUE(hkid_valid("C1234569"));   // C123456(9)
  EXPECT_TRUE(hkid_valid("G123456A"));   // G123456(A): check value 10
  EXPECT_TRUE(hkid_valid("AB9876543"));  // two-letter prefix
  EXPECT_TRUE(hkid_valid("Z683365A"));
  EXPECT_FALSE(hkid_valid("A1234564"));
  EXPECT_FALSE(hkid_valid("C1234560"));
  EXPECT_FALSE(hkid_valid("1234567"));
  EXPECT_FALSE(hkid_valid("AB98765A3"));
  EXPECT_FALSE(hkid_valid(""));
}

TEST(PiiRealChecks, TaiwanIdChecksumFollowsTheMinistryOfTheInteriorExample) {
  using detail::tw_id_valid;
  EXPECT_TRUE(tw_id_valid("A123456789"));  // the example printed in every description of the scheme
  EXPECT_TRUE(tw_id_valid("B123456780"));
  EXPECT_TRUE(tw_id_valid("A800000014"));  // 2021 resident certificate (second digit 8)
  EXPECT_FALSE(tw_id_valid("A123456788"));
  EXPECT_FALSE(tw_id_valid("A323456789"));  // second digit must be 1, 2, 8 or 9
  EXPECT_FALSE(tw_id_valid("1123456789"));
  EXPECT_FALSE(tw_id_valid("A12345678"));
}

TEST(PiiRealChecks, ServiceNumbersAreKnownShortCodesAndHotlines) {
  using detail::cn_service_number;
  for (const char* s : {"95588", "95533", "10086", "10000", "12306", "1069012345678", "4008123456", "8008208820"}) {
    EXPECT_TRUE(cn_service_number(s)) << s;
  }
  for (const char* s : {"482913", "1234", "13800138000", "4008"}) EXPECT_FALSE(cn_service_number(s)) << s;
}

// ---- robust forms --------------------------------------------------------------------------

TEST(PiiRealForms, ValuesSplitByOneLineBreakOrSpacesAreOneValue) {
  EXPECT_EQ(find("亲，我手机号138\n00138000，麻烦了"), one("cn_mobile", "138\n00138000"));
  EXPECT_EQ(find("电话：1380 013 8000"), one("cn_mobile", "1380 013 8000"));
  EXPECT_EQ(find("mobile 13800\n138000 thanks"), one("cn_mobile", "13800\n138000"));
  EXPECT_EQ(find("身份证号码110105\n19491231002X 帮我查下"), one("cn_id", "110105\n19491231002X"));
  EXPECT_EQ(find("card\n4111 1111\n1111 1111\nexp"), one("bank_card", "4111 1111\n1111 1111"));
  // Two line breaks end the value: two numbers, neither valid alone.
  EXPECT_EQ(find("138\n\n00138000"), kNothing);
}

TEST(PiiRealForms, InternationalPrefix00AndParenthesisedCountryCodes) {
  EXPECT_EQ(find("my number is 00852 6326 7415 pls"), one("phone_intl", "00852 6326 7415"));
  EXPECT_EQ(find("打00886 912 345 678"), one("phone_intl", "00886 912 345 678"));
  EXPECT_EQ(find("call 0044 20 7946 0958"), one("phone_intl", "0044 20 7946 0958"));
  EXPECT_EQ(find("call 00 852 9123 4567"), one("phone_intl", "00 852 9123 4567"));
  EXPECT_EQ(find("call me on (+852) 6326 7415"), one("phone_intl", "(+852) 6326 7415"));
  EXPECT_EQ(find("電話(+886) 912-345-678謝謝"), one("phone_intl", "(+886) 912-345-678"));
  EXPECT_EQ(find("(+86) 138 0013 8000"), one("cn_mobile", "(+86) 138 0013 8000"));
  EXPECT_EQ(masked("call (+852) 6326 7415", R"({"locale":"en"})"), "call [phone]");
  // A bare long number starting 00 is not a phone.
  EXPECT_EQ(find("帮我查一下 0085263267415009 谢谢"), kNothing);
}

TEST(PiiRealForms, PassportsInAnyCaseAndWithASpace) {
  EXPECT_EQ(find("护照号e12345678，下周飞"), one("passport", "e12345678"));
  EXPECT_EQ(find("passport ea1234567"), one("passport", "ea1234567"));
  EXPECT_EQ(find("passport no E 12345678 pls"), one("passport", "E 12345678"));
  EXPECT_EQ(find("passport EA 1234567"), one("passport", "EA 1234567"));
  EXPECT_EQ(find("Passport E1957 9942, ok"), one("passport", "E1957 9942"));
  EXPECT_EQ(find("I E 12345 tickets"), kNothing);
}

TEST(PiiRealForms, ObfuscatedEmails) {
  EXPECT_EQ(find("email me at lily.chen at gmail dot com thx"), one("email", "lily.chen at gmail dot com"));
  EXPECT_EQ(find("邮箱 zhangwei#163.com 发票发这个"), one("email", "zhangwei#163.com"));
  EXPECT_EQ(find("mail kevin.ho(at)outlook.com"), one("email", "kevin.ho(at)outlook.com"));
  EXPECT_EQ(find("amywong [at] yahoo [dot] com [dot] tw"), one("email", "amywong [at] yahoo [dot] com [dot] tw"));
  EXPECT_EQ(find("xieyong1990 AT hotmail DOT COM"), one("email", "xieyong1990 AT hotmail DOT COM"));
  // A spelled "at" needs a spelled "dot"; '#' needs a domain.
  EXPECT_EQ(find("look at example.com for details"), kNothing);
  EXPECT_EQ(find("order#12345 please"), kNothing);
  EXPECT_EQ(find("meet at noon"), kNothing);
}

TEST(PiiRealForms, SpacedVerificationCodesAfterACue) {
  EXPECT_EQ(find("验证码 195 914 是这个吗"), one("verification_code", "195 914"));
  EXPECT_EQ(find("驗證碼：19 59 14"), one("verification_code", "19 59 14"));
  EXPECT_EQ(find("the code is 482-913"), one("verification_code", "482-913"));
  EXPECT_EQ(find("验证码 482913"), one("verification_code", "482913"));
  EXPECT_EQ(find("验证码: 8 8 8 8 8 8"), one("verification_code", "8 8 8 8 8 8"));
  EXPECT_EQ(find("验证码 5 分钟内有效"), kNothing);
}

TEST(PiiRealForms, AnIpAddressGluedToLetters) {
  EXPECT_EQ(find("我登录IP61.128.62.233被封了"), one("ipv4", "61.128.62.233"));
  EXPECT_EQ(find("my IP10.0.0.8 is blocked"), one("ipv4", "10.0.0.8"));
  EXPECT_EQ(find("版本v1.2.3.4有bug"), kNothing);
}

// ---- over-masking --------------------------------------------------------------------------

TEST(PiiRealForms, ServiceAndTollFreeNumbersStayAsTheyAre) {
  EXPECT_EQ(find("call 1-800-275-2273 for support"), kNothing);
  EXPECT_EQ(find("US hotline 1-888-555-0199 is closed"), kNothing);
  EXPECT_EQ(find("1 (877) 555-0123"), kNothing);
  EXPECT_EQ(find("请拨打95588转人工"), kNothing);
  EXPECT_EQ(find("客服电话400-820-8820打不通"), kNothing);
  EXPECT_EQ(find("客服專線 0800-123-456 打不通"), kNothing);
}

TEST(PiiRealForms, ACodeCueBeforeAServiceNumberIsNotACode) {
  EXPECT_EQ(find("验证码是95588发过来的，是官方的吗"), kNothing);
  EXPECT_EQ(find("验证码10086发的我没收到"), kNothing);
  EXPECT_EQ(find("验证码 10690321 发的"), kNothing);
  EXPECT_EQ(find("验证码是400-689-6661发过来的"), kNothing);
  EXPECT_EQ(find("验证码是800-820-3863发过来的"), kNothing);
  EXPECT_EQ(find("your verification code was sent from 95555"), kNothing);
}

// ---- new entities --------------------------------------------------------------------------

TEST(PiiRealEntities, HongKongId) {
  EXPECT_EQ(find("香港身份證號碼A123456(3)，唔該"), one("hk_id", "A123456(3)"));
  EXPECT_EQ(find("我身份證係C123456（9）"), one("hk_id", "C123456（9）"));
  EXPECT_EQ(find("HKID G123456(A) uploaded"), one("hk_id", "G123456(A)"));
  EXPECT_EQ(find("HKID AB987654(3)"), one("hk_id", "AB987654(3)"));
  EXPECT_EQ(find("hkid a123456(3)"), one("hk_id", "a123456(3)"));
  EXPECT_EQ(find("香港身份證A123456(4)驗證唔到"), kNothing);  // wrong check character
  EXPECT_EQ(masked("HKID A123456(3)", R"({"style":"partial"})"), "HKID A******(*)");
}

TEST(PiiRealEntities, TaiwanId) {
  EXPECT_EQ(find("身分證字號A123456789，謝謝"), one("tw_id", "A123456789"));
  EXPECT_EQ(find("我身分證a123456789要改地址"), one("tw_id", "a123456789"));
  EXPECT_EQ(find("resident certificate A800000014"), one("tw_id", "A800000014"));
  EXPECT_EQ(find("身分證A123456788系統說錯誤"), kNothing);
}

TEST(PiiRealEntities, MacauId) {
  EXPECT_EQ(find("澳門身份證 5215299(8)，謝謝"), one("mo_id", "5215299(8)"));
  EXPECT_EQ(find("澳門身份證 1234567（8）"), one("mo_id", "1234567（8）"));
  EXPECT_EQ(find("数量 3234567(8)"), kNothing);  // first digit 3: not a Macau ID
}

TEST(PiiRealEntities, LocalHongKongTaiwanAndMacauPhones) {
  EXPECT_EQ(find("我的手機是0918-977-002，謝謝"), one("phone_local", "0918-977-002"));
  EXPECT_EQ(find("手機 0912 345 678"), one("phone_local", "0912 345 678"));
  EXPECT_EQ(find("手機0912345678"), one("phone_local", "0912345678"));
  EXPECT_EQ(find("市話02-2345-6789"), one("phone_local", "02-2345-6789"));
  EXPECT_EQ(find("市話(02)2345-6789"), one("phone_local", "(02)2345-6789"));
  EXPECT_EQ(find("市話07-345-6789"), one("phone_local", "07-345-6789"));
  EXPECT_EQ(find("打9831 6770搵我"), one("phone_local", "9831 6770"));
  EXPECT_EQ(find("電話6123-4567"), one("phone_local", "6123-4567"));
  EXPECT_EQ(find("澳門電話6688 1234"), one("phone_local", "6688 1234"));
  // Year ranges, room ranges, numbers starting 1, 4 or 8.
  EXPECT_EQ(find("2019-2020年度的发票"), kNothing);
  EXPECT_EQ(find("2301-2305室是同一間公司嗎"), kNothing);
  EXPECT_EQ(find("1234 5678"), kNothing);
  EXPECT_EQ(find("8000 5000"), kNothing);
  EXPECT_EQ(find("卡号 6222 0212 3456 7890"), kNothing);  // fails Luhn, but no 4-4 phone inside either
}

TEST(PiiRealEntities, WeChatAndQqAfterACue) {
  EXPECT_EQ(find("加我微信 wxid_abc123 细聊"), one("im_account", "wxid_abc123"));
  EXPECT_EQ(find("vx：zhang_wei88😀"), one("im_account", "zhang_wei88"));
  EXPECT_EQ(find("WeChat ID: LiLei-1990"), one("im_account", "LiLei-1990"));
  EXPECT_EQ(find("QQ 12345678 有事找我"), one("im_account", "12345678"));
  EXPECT_EQ(find("我的qq号是987654321"), one("im_account", "987654321"));
  EXPECT_EQ(find("微信 13800138000"), one("cn_mobile", "13800138000"));
  EXPECT_EQ(find("微信支付128元，到账了吗"), kNothing);
  EXPECT_EQ(find("QQ音乐会员3个月"), kNothing);
  EXPECT_EQ(find("QQ 0123456"), kNothing);
}

TEST(PiiRealEntities, AlipayUserIds) {
  EXPECT_EQ(find("支付宝用户ID 2088102146225135 转不了账"), one("alipay_id", "2088102146225135"));
  EXPECT_EQ(find("id是2088900679218814"), one("alipay_id", "2088900679218814"));
  EXPECT_EQ(find("2088年"), kNothing);
  EXPECT_EQ(find("20881021462251350"), kNothing);
}

TEST(PiiRealEntities, MedicalRecordNumbersAfterACue) {
  EXPECT_EQ(find("病历号MZ20240312，想查报告"), one("medical_record", "MZ20240312"));
  EXPECT_EQ(find("病歷號碼：A1234567，想預約回診"), one("medical_record", "A1234567"));
  EXPECT_EQ(find("住院号：2024031500 什么时候出院"), one("medical_record", "2024031500"));
  EXPECT_EQ(find("MRN 00123456, need my lab results"), one("medical_record", "00123456"));
  EXPECT_EQ(find("medical record number: 4471902"), one("medical_record", "4471902"));
  EXPECT_EQ(find("病历本丢了怎么办"), kNothing);
}

TEST(PiiRealEntities, TaiwanPlatesAfterACue) {
  EXPECT_EQ(find("車牌 ABC-1234，停B2"), one("license_plate", "ABC-1234"));
  EXPECT_EQ(find("我的車牌是AK-5678"), one("license_plate", "AK-5678"));
  EXPECT_EQ(find("車號 1234-AB"), one("license_plate", "1234-AB"));
  EXPECT_EQ(find("车牌 京A·12345"), one("license_plate", "京A·12345"));
  EXPECT_EQ(find("model AB-1234 is out of stock"), kNothing);
  EXPECT_EQ(find("車牌辨識失敗"), kNothing);
}

TEST(PiiRealEntities, RocCalendarAndTwoDigitYearDatesOfBirth) {
  EXPECT_EQ(find("出生日期：民國47年2月28日，謝謝"), one("dob", "民國47年2月28日"));
  EXPECT_EQ(find("生日民国80年1月5日"), one("dob", "民国80年1月5日"));
  EXPECT_EQ(find("生日 54/02/02 請更正"), one("dob", "54/02/02"));
  EXPECT_EQ(find("出生年月日 075.03.12"), one("dob", "075.03.12"));
  EXPECT_EQ(find("DOB 03/07/90, born in HK"), one("dob", "03/07/90"));
  EXPECT_EQ(find("民國110年度報稅"), kNothing);  // no birth cue
  EXPECT_EQ(find("生日 54/13/40"), kNothing);
}

// ---- structured fields ---------------------------------------------------------------------

TEST(PiiRealFields, JsonFieldsWhoseKeyNamesAKind) {
  EXPECT_EQ(find(R"({"name":"胡春燕","mobile":"13800138000"})"),
            (Found{{"name", "胡春燕"}, {"cn_mobile", "13800138000"}}));
  EXPECT_EQ(find(R"({"realName": "XIE YONG", "idCard": "11010519491231002X"})"),
            (Found{{"name", "XIE YONG"}, {"cn_id", "11010519491231002X"}}));
  EXPECT_EQ(find(R"({"code":"482913"})"), one("verification_code", "482913"));
  EXPECT_EQ(find(R"({"smsCode":"4829"})"), one("verification_code", "4829"));
  EXPECT_EQ(find(R"({"address":"北京市朝阳区建国路88号"})"), one("address", "北京市朝阳区建国路88号"));
  EXPECT_EQ(find(R"({"wechat":"wxid_abc"})"), one("im_account", "wxid_abc"));
  // Status codes, names with digits, keys that name nothing.
  EXPECT_EQ(find(R"({"code":"200","msg":"ok"})"), kNothing);
  EXPECT_EQ(find(R"({"name":"SKU123456"})"), kNothing);
  EXPECT_EQ(find(R"({"qty":"3","sku":"SKU123456"})"), kNothing);
  EXPECT_EQ(find(R"({"name":"unterminated)"), kNothing);
  // Found by pii_fields_fuzz: a letter run longer than any key overflowed the key buffer.
  EXPECT_EQ(find(R"({"abcdefghijklmnopqrstuvwxyzabcdefghijklmnop":"x"})"), kNothing);
  EXPECT_EQ(find("abcdefghijklmnopqrstuvwxyzabcdefghijklmnop_name=x"), kNothing);
}

TEST(PiiRealFields, QueryAndKeyValueFragments) {
  EXPECT_EQ(find("https://m.example.com/pay?name=李小龙&mobile=13800138000&amount=99"),
            (Found{{"name", "李小龙"}, {"cn_mobile", "13800138000"}}));
  EXPECT_EQ(find("checkout?name=XIE%20YONG&email=xieyong1990%40outlook.com&qty=2"),
            (Found{{"name", "XIE%20YONG"}, {"email", "xieyong1990%40outlook.com"}}));
  EXPECT_EQ(find("form: name=Emily+Chen&code=482913"), (Found{{"name", "Emily+Chen"}, {"verification_code", "482913"}}));
  EXPECT_EQ(find("?page=2&sort=price&name="), kNothing);
  EXPECT_EQ(find("username=admin"), kNothing);
}

// Found by pii_fields_fuzz: the partial style kept the first byte of an e-mail, and a field
// value may start with a multi-byte character.
TEST(PiiRealFields, PartialEmailKeepsAWholeFirstCharacter) {
  EXPECT_EQ(masked("form email=\xce\x87" "9%40outloot&x=1", R"({"style":"partial"})"), "form email=\xce\x87***&x=1");
}

TEST(PiiRealFields, AddressesKeepTheAdministrativeUnitsInThePartialStyle) {
  EXPECT_EQ(masked(R"({"address":"北京市朝阳区建国路88号"})", R"({"style":"partial"})"),
            R"({"address":"北京市朝阳区******"})");
}

// ---- names in context ----------------------------------------------------------------------

TEST(PiiRealNames, SurnamesWithACueOrARoleWord) {
  EXPECT_EQ(find("收件人李小龙，13800138000"), (Found{{"name", "李小龙"}, {"cn_mobile", "13800138000"}}));
  EXPECT_EQ(find("户名 欧阳娜娜 卡号"), one("name", "欧阳娜娜"));
  EXPECT_EQ(find("收件人：簡小洋"), one("name", "簡小洋"));
  EXPECT_EQ(find("乘机人阎翰，护照"), one("name", "阎翰"));
  EXPECT_EQ(find("Passport E12345678, name XIE YONG"), (Found{{"passport", "E12345678"}, {"name", "XIE YONG"}}));
  EXPECT_EQ(find("consignee ZHANG WEI tel"), one("name", "ZHANG WEI"));
  EXPECT_EQ(find("Recipient: Emily Chen, thanks"), one("name", "Emily Chen"));
  EXPECT_EQ(find("Hi, I'm Emily Chen and my order is late"), one("name", "Emily Chen"));
  EXPECT_EQ(find("my name is Jane Doe"), one("name", "Jane Doe"));
  EXPECT_EQ(find("name: chen xiaoming please"), one("name", "chen xiaoming"));
  EXPECT_EQ(find("客戶：林志明 手機"), one("name", "林志明"));
  EXPECT_EQ(find("客户满意度调查"), kNothing);
}

TEST(PiiRealNames, WordsAfterACueThatAreNotNames) {
  EXPECT_EQ(find("my name is spelled wrong on the ticket"), kNothing);
  EXPECT_EQ(find("My name is missing from the invoice"), kNothing);
  EXPECT_EQ(find("I'm not sure the package arrived"), kNothing);
  EXPECT_EQ(find("I'm Happy with the service, thanks!"), kNothing);
  EXPECT_EQ(find("Recipient name is wrong"), kNothing);
  EXPECT_EQ(find("收件人写错了，能改吗"), kNothing);
  EXPECT_EQ(find("the name he used"), kNothing);
}

// ---- gaps found by the independent evaluation corpus (issue #18) ------------------------------

TEST(PiiRealGaps, HongKongAndMacauNumbersTypedWithoutASeparatorAfterAPhoneCue) {
  EXPECT_EQ(find("my number 61563542"), one("phone_local", "61563542"));
  EXPECT_EQ(find("電話68845020"), one("phone_local", "68845020"));
  EXPECT_EQ(find("手機：96123456"), one("phone_local", "96123456"));
  EXPECT_EQ(find("call me at 92345678 after 6pm"), one("phone_local", "92345678"));
  EXPECT_EQ(find("whatsapp 51234567 pls"), one("phone_local", "51234567"));
  EXPECT_EQ(find("聯絡電話 28123456，唔該"), one("phone_local", "28123456"));
  EXPECT_EQ(find("my number is 61563542, thanks"), one("phone_local", "61563542"));
  EXPECT_EQ(masked("電話68845020", R"({"style":"partial"})"), "電話****5020");
  // No cue, a number that goes on, a prefix no local number has, a cue with no number after it.
  EXPECT_EQ(find("訂單 12345678"), kNothing);
  EXPECT_EQ(find("订单12345678还没发货"), kNothing);
  EXPECT_EQ(find("我的订单号是61563542"), kNothing);
  EXPECT_EQ(find("tracking number 92345678"), kNothing);
  EXPECT_EQ(find("电话 12345678"), kNothing);
  EXPECT_EQ(find("my number 61563542-123"), kNothing);
  EXPECT_EQ(find("电话费交了128元"), kNothing);
  EXPECT_EQ(find("电话打不通，订单61563542"), kNothing);
  EXPECT_EQ(find("call me at 5pm"), kNothing);
  EXPECT_EQ(find("手機 2023年買的"), kNothing);
  EXPECT_EQ(find("whatsapp group 51234567"), kNothing);
}

TEST(PiiRealGaps, MainlandLandlinesWithoutADashAfterAPhoneCue) {
  EXPECT_EQ(find("电话073172317569"), one("cn_landline", "073172317569"));
  EXPECT_EQ(find("座机 01062345678 白天打"), one("cn_landline", "01062345678"));
  EXPECT_EQ(masked("电话073172317569", R"({"style":"partial"})"), "电话0731****7569");
  EXPECT_EQ(find("流水号073172317569"), kNothing);
  EXPECT_EQ(find("073172317569"), kNothing);
  EXPECT_EQ(find("电话 013800138000"), kNothing);  // no area code starts 01 but 010
}

TEST(PiiRealGaps, PassportsOfAnyCountryAfterAPassportCue) {
  EXPECT_EQ(find("passport K1234567"), one("passport", "K1234567"));
  EXPECT_EQ(find("護照號碼 K12345678"), one("passport", "K12345678"));
  EXPECT_EQ(find("passport no. TZ1234567 expires soon"), one("passport", "TZ1234567"));
  EXPECT_EQ(find("my passport number is 123456789"), one("passport", "123456789"));
  EXPECT_EQ(find("passport: GB1234567"), one("passport", "GB1234567"));
  // H/M numbers are home-return permits without a cue, passports after a passport cue.
  EXPECT_EQ(find("護照號碼 H12345678"), one("passport", "H12345678"));
  EXPECT_EQ(find("护照 M12345678，下周飞"), one("passport", "M12345678"));
  EXPECT_EQ(find("回乡证H12345678过期了"), one("travel_permit", "H12345678"));
  EXPECT_EQ(find("护照号e12345678，下周飞"), one("passport", "e12345678"));
  EXPECT_EQ(find("護照 2 本"), kNothing);
  EXPECT_EQ(find("passport photo 2x2"), kNothing);
  EXPECT_EQ(find("passport expires 2027"), kNothing);
  EXPECT_EQ(find("护照办理费用 1200元"), kNothing);
  EXPECT_EQ(find("passport no. 12345"), kNothing);
  EXPECT_EQ(find("护照有效期20270315"), kNothing);
}

TEST(PiiRealGaps, NamesAfterCantoneseAndRoleCues) {
  EXPECT_EQ(find("Hi 我係CHOW Ka-ho"), one("name", "CHOW Ka-ho"));
  EXPECT_EQ(find("我係呂柏宇"), one("name", "呂柏宇"));
  EXPECT_EQ(find("我係陳大文，想問下張單"), one("name", "陳大文"));
  EXPECT_EQ(find("我叫做陳大文"), one("name", "陳大文"));
  EXPECT_EQ(find("我個名叫黃小明"), one("name", "黃小明"));
  EXPECT_EQ(find("转账给张三100元"), one("name", "张三"));
  EXPECT_EQ(find("轉帳給林志明了"), one("name", "林志明"));
  EXPECT_EQ(find("收款人：王芳"), one("name", "王芳"));
  EXPECT_EQ(find("法人是张伟"), one("name", "张伟"));
  EXPECT_EQ(find("法定代表人李建国"), one("name", "李建国"));
  EXPECT_EQ(find("名字拼音 ZHANG WEI"), one("name", "ZHANG WEI"));
  EXPECT_EQ(find("收件人应该是江诗涵"), one("name", "江诗涵"));
  EXPECT_EQ(find("收件人應該是陳美玲"), one("name", "陳美玲"));
  EXPECT_EQ(find("收件人就是刘洋"), one("name", "刘洋"));
  // Cantonese "I am" before no name, role nouns, a company's seal.
  EXPECT_EQ(find("我係香港人"), kNothing);
  EXPECT_EQ(find("我係黃大仙區居民"), kNothing);
  EXPECT_EQ(find("我係咪要等"), kNothing);
  EXPECT_EQ(find("转账给商家了"), kNothing);
  EXPECT_EQ(find("转账给他100元"), kNothing);
  EXPECT_EQ(find("法人章丢了"), kNothing);
  EXPECT_EQ(find("法人身份证过期"), kNothing);
  EXPECT_EQ(find("收件人应该写错了"), kNothing);
}

TEST(PiiRealGaps, EnglishNamesWithAMiddleInitialOrInLowerCase) {
  EXPECT_EQ(find("my name is Priya R. Johnson"), one("name", "Priya R. Johnson"));
  EXPECT_EQ(find("Recipient: Priya R. Johnson, thanks"), one("name", "Priya R. Johnson"));
  EXPECT_EQ(find("my name is zoe anderson"), one("name", "zoe anderson"));
  EXPECT_EQ(find("hi my name is michael brown and my order is late"), one("name", "michael brown"));
  // Found by the regenerated real-chat corpus: a cue after the name ends it.
  EXPECT_EQ(find("Account holder: Kevin Walker MRN 37988612"),
            (Found{{"name", "Kevin Walker"}, {"medical_record", "37988612"}}));
  EXPECT_EQ(find("Account holder: Laura Ng DOB 08/16/72"), (Found{{"name", "Laura Ng"}, {"dob", "08/16/72"}}));
  EXPECT_EQ(find("my name is spelled wrong"), kNothing);
  EXPECT_EQ(find("my name is spelled wrong on the ticket"), kNothing);
  EXPECT_EQ(find("my name is wrong"), kNothing);
  EXPECT_EQ(find("my name is changed"), kNothing);
  EXPECT_EQ(find("the name he used"), kNothing);
}

TEST(PiiRealGaps, HongKongAndMacauIdsWithoutOrWithSpacedParentheses) {
  EXPECT_EQ(find("我身份證號碼係Z8189723"), one("hk_id", "Z8189723"));
  EXPECT_EQ(find("HKID C433978 (7) uploaded"), one("hk_id", "C433978 (7)"));
  EXPECT_EQ(find("香港身份證 A123456 (3)"), one("hk_id", "A123456 (3)"));
  EXPECT_EQ(find("澳門身份證18755407"), one("mo_id", "18755407"));
  EXPECT_EQ(find("Macau ID 51234567 pls"), one("mo_id", "51234567"));
  EXPECT_EQ(find("澳門身份證 1234567 (8)"), one("mo_id", "1234567 (8)"));
  // Wrong check characters, model and order numbers, 8 digits without a Macau cue.
  EXPECT_EQ(find("我身份證號碼係Z8189724"), kNothing);
  EXPECT_EQ(find("HKID C433978 (8)"), kNothing);
  EXPECT_EQ(find("型号 A1234563 有货吗"), kNothing);
  EXPECT_EQ(find("订单 A1234563"), kNothing);
  EXPECT_EQ(find("身份證18755407"), kNothing);
  EXPECT_EQ(find("澳門身份證38755407"), kNothing);
}

TEST(PiiRealGaps, CodesAfterCodeIsAndAFewCharactersAfterTheirCue) {
  EXPECT_EQ(find("the code is 2656"), one("verification_code", "2656"));
  EXPECT_EQ(find("code is 281 117"), one("verification_code", "281 117"));
  EXPECT_EQ(find("收唔到新嘅驗證碼，之前嗰個58751453已經過期"), one("verification_code", "58751453"));
  EXPECT_EQ(find("验证码收到了是482913吗"), one("verification_code", "482913"));
  // Other codes, counts and amounts, a phone's tail, another cue's number, a new sentence.
  EXPECT_EQ(find("the postal code is 518000"), kNothing);
  EXPECT_EQ(find("zip code is 10001"), kNothing);
  EXPECT_EQ(find("promo code is SAVE2024"), kNothing);
  EXPECT_EQ(find("验证码5分钟内有效"), kNothing);
  EXPECT_EQ(find("验证码发到尾号8000的手机了"), kNothing);
  EXPECT_EQ(find("验证码收不到，订单号12345678"), kNothing);
  EXPECT_EQ(find("收不到验证码，客服电话95588"), kNothing);
  EXPECT_EQ(find("验证码过期了，2024年的事"), kNothing);
  EXPECT_EQ(find("验证码收不到，已经等了1200秒"), kNothing);
  EXPECT_EQ(find("验证码呢。订单12345678"), kNothing);
  EXPECT_EQ(find("验证码收不到，房间2301"), kNothing);
  EXPECT_EQ(find("验证码一直收不到，我手机13800138000"), one("cn_mobile", "13800138000"));
}

TEST(PiiRealGaps, Ipv6GluedToLettersEndsAtItsLastGroup) {
  EXPECT_EQ(find("fe80::1ab8ping不通"), one("ipv6", "fe80::1ab8"));
  EXPECT_EQ(find("2001:db8::1ab8ping"), one("ipv6", "2001:db8::1ab8"));
  EXPECT_EQ(find("2001:db8::cafe 不通"), one("ipv6", "2001:db8::cafe"));
  EXPECT_EQ(find("abc::define"), kNothing);
  EXPECT_EQ(find("std::vector"), kNothing);
  EXPECT_EQ(find("fe80::ping"), kNothing);
  EXPECT_EQ(find("2001:db8::1abcdping"), kNothing);  // five hex digits: no group
}

TEST(PiiRealGaps, QqGluedToItsCueBareCountryCodes) {
  EXPECT_EQ(find("我的QQ号12345678"), one("im_account", "12345678"));
  EXPECT_EQ(find("QQ号码987654321谢谢"), one("im_account", "987654321"));
  EXPECT_EQ(find("852 6642 5044"), one("phone_intl", "852 6642 5044"));
  EXPECT_EQ(find("call 853 6612 3456"), one("phone_intl", "853 6612 3456"));
  EXPECT_EQ(find("打886 912 345 678"), one("phone_intl", "886 912 345 678"));
  EXPECT_EQ(find("86 138 0013 8000"), one("cn_mobile", "86 138 0013 8000"));
  EXPECT_EQ(find("我的QQ号0123456"), kNothing);
  EXPECT_EQ(find("852 1234 5678"), kNothing);
  EXPECT_EQ(find("852 2019 2020"), kNothing);
  EXPECT_EQ(find("886 2019 2020"), kNothing);
  EXPECT_EQ(find("order 852 6642 5044"), kNothing);
}

// ---- linear time on adversarial input --------------------------------------------------------
// Each runs under ctest's timeout; the recognisers' look-ahead is capped, so these finish in a
// few milliseconds. What is checked here is that they finish and stay well formed.

void expect_masks(const std::string& text) {
  auto masker = Masker::create("");
  ASSERT_TRUE(masker.ok());
  MaskResult r;
  ASSERT_EQ(masker.value().mask(text, r), Status::ok);
  uint32_t last = 0;
  for (const Finding& f : r.findings) {
    EXPECT_GE(f.start, last);
    EXPECT_LE(f.end, text.size());
    last = f.end;
  }
}

std::string repeat(std::string_view unit, size_t bytes) {
  std::string s;
  while (s.size() < bytes) s.append(unit);
  return s;
}

TEST(PiiRealAdversarial, HundredKibOfEachTrigger) {
  constexpr size_t k100 = 100 * 1024;
  for (std::string_view unit :
       {"1", "0", "@", "a", "a.", "a ", "a at ", "a at b dot ", "abc at abc dot ", "abc#abc.", "a#", "验证码", "验证码 12 ", "微信", "QQ ", "病历号", "车牌",
        "民國1年", "出生 54/", "my name is ", "I'm ", "name ", "\"name\":\"", "\"a\":\"", "name=", "&name=", "(+", "(+852) ",
        "00", "00852 ", "E ", "E1 ", "A123456(", "1234567(", "9831 ", "0918-", "2088", "1-800-", "1\n", "IP1.", "\n",
        // addresses: unit, road and region characters, numbered parts, cues, street words
        "路", "号", "市", "道", "香港", "中山路", "1号", "18号楼", "1號 ", "地址", "地址：北京市", "St ", "1 St ",
        "22 Baker ", "Flat 1, ", "PO Box ", "Apt 5B, ",
        "我係", "我係A ", "code is ", "code is 1 ", "::", "1::", "1a::1ap", "电话", "电话1", "護照 ", "passport 1 ",
        "澳門身份證", "澳門身份證1 ", "驗證碼，", "驗證碼，之前", "852 ", "852 6 ", "A123456 (", "Z8189723 ",
        "my name is zoe ", "Priya R. ", "收件人应该是", "转账给", "QQ号", "call me at "}) {
    SCOPED_TRACE(std::string(unit));
    expect_masks(repeat(unit, k100));
  }
}

}  // namespace
}  // namespace sealdesk::pii
