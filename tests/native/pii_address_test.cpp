// Issue #18, addresses: postal addresses in free chat text (sdk/pii/address.h). The forms
// customers type in zh-CN, zh-TW/HK/Macau and English, the words that only look like parts of
// one (3号线, 市场部, 5th floor), how the partial style keeps the coarse part, and linear time on
// text made of address parts.
#include <gtest/gtest.h>

#include <chrono>
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

Found address(std::string value) { return {{"address", std::move(value)}}; }
const Found kNothing{};

std::string masked(std::string_view text, std::string_view config) {
  auto masker = Masker::create(config);
  EXPECT_TRUE(masker.ok());
  MaskResult r;
  EXPECT_EQ(masker.value().mask(text, r), Status::ok);
  return r.text;
}

constexpr std::string_view kPartial = R"({"style":"partial"})";

// ---- the forms of the issue ------------------------------------------------------------------

TEST(PiiAddress, MainlandAddressesAfterACueOrWithARoad) {
  EXPECT_EQ(find("收货地址：广东省深圳市南山区科技园南路18号3栋2单元1502室"),
            address("广东省深圳市南山区科技园南路18号3栋2单元1502室"));
  EXPECT_EQ(find("送到北京市朝阳区建国路88号SOHO现代城2号楼1801"), address("北京市朝阳区建国路88号SOHO现代城2号楼1801"));
  EXPECT_EQ(find("地址是上海浦东新区张江路1000弄12号601"), address("上海浦东新区张江路1000弄12号601"));
  EXPECT_EQ(find("寄到杭州市西湖区文三路478号华星时代广场A座"), address("杭州市西湖区文三路478号华星时代广场A座"));
  EXPECT_EQ(find("我家在成都武侯区人民南路四段27号"), address("成都武侯区人民南路四段27号"));
  EXPECT_EQ(find("江苏省南京市玄武区中山路18号"), address("江苏省南京市玄武区中山路18号"));
  EXPECT_EQ(find("地址：某某县某某镇某某村3组15号"), address("某某县某某镇某某村3组15号"));
}

TEST(PiiAddress, TaiwanHongKongAndMacauAddresses) {
  EXPECT_EQ(find("我住在台北市大安區忠孝東路四段216巷27弄5號3樓"), address("台北市大安區忠孝東路四段216巷27弄5號3樓"));
  EXPECT_EQ(find("新北市板橋區文化路一段188巷3號"), address("新北市板橋區文化路一段188巷3號"));
  EXPECT_EQ(find("高雄市前鎮區中山二路5號12樓之3"), address("高雄市前鎮區中山二路5號12樓之3"));
  EXPECT_EQ(find("香港九龍旺角彌敦道625號雅蘭中心12樓"), address("香港九龍旺角彌敦道625號雅蘭中心12樓"));
  EXPECT_EQ(find("新界沙田火炭坳背灣街30號 12樓B室"), address("新界沙田火炭坳背灣街30號 12樓B室"));
  EXPECT_EQ(find("澳門氹仔xx大馬路xx號"), address("澳門氹仔xx大馬路xx號"));
  EXPECT_EQ(find("香港中環皇后大道中99號中環中心50樓"), address("香港中環皇后大道中99號中環中心50樓"));
}

TEST(PiiAddress, EnglishStreetAddressesUnitsAndBoxes) {
  EXPECT_EQ(find("ship to 1428 Maple Ave Apt 5B, Springfield, IL 62704"),
            address("1428 Maple Ave Apt 5B, Springfield, IL 62704"));
  EXPECT_EQ(find("my address is 22 Baker Street, London NW1 6XE"), address("22 Baker Street, London NW1 6XE"));
  EXPECT_EQ(find("Please send it to 350 5th Ave, New York, NY 10118"), address("350 5th Ave, New York, NY 10118"));
  EXPECT_EQ(find("Flat 12, 221B Baker St"), address("Flat 12, 221B Baker St"));
  EXPECT_EQ(find("Unit 3, 45 Queen's Road Central, Hong Kong"), address("Unit 3, 45 Queen's Road Central, Hong Kong"));
  EXPECT_EQ(find("PO Box 1234"), address("PO Box 1234"));
  EXPECT_EQ(find("10 Downing St, London SW1A 2AA"), address("10 Downing St, London SW1A 2AA"));
}

TEST(PiiAddress, WordsAndNumbersThatOnlyLookLikeAddressParts) {
  for (std::string_view text :
       {"我在路上了", "3号线地铁", "18号发货吗", "第3单元课程", "订单号 12345", "room 1502 is too small",
        "2 apples and 3 oranges", "走中山路比较快", "I live on 5th floor", "Version 2.3 Street Fighter",
        "the 18th floor", "35元/号", "号码", "市场部", "省钱", "区别", "县城", "我知道3号发货", "这里3号楼",
        "我们市场部3楼", "人民路上有家店", "一路顺风", "我在北京市工作3年", "apartment 36B", "Zip code 72862, apartment 11B",
        "I'm 32 years old and live in room 1986", "Meeting at 16:48 on 04/13/2020, room 685", "I bought 3 Apple Watch bands",
        "Call 1 800 555 1234", "寄件人写错了，寄到上海", "地址写错了", "我的地址改一下", "unit price 3 dollars",
        "PO Box", "address: see below", "频道3号", "2301-2305室是同一間公司嗎", "街道办3楼"}) {
    EXPECT_EQ(find(text), kNothing) << text;
  }
}

// ---- how people type them ------------------------------------------------------------------

TEST(PiiAddress, FullWidthDigitsSpacesAndLineBreaksBetweenParts) {
  EXPECT_EQ(find("收货地址：广东省深圳市南山区科技园南路１８号３栋２单元１５０２室"),
            address("广东省深圳市南山区科技园南路１８号３栋２单元１５０２室"));
  EXPECT_EQ(find("地址：广东省 深圳市 南山区 科技园南路18号 3栋2单元1502室"),
            address("广东省 深圳市 南山区 科技园南路18号 3栋2单元1502室"));
  EXPECT_EQ(find("收货地址：广东省深圳市南山区\n科技园南路18号3栋2单元1502室"),
            address("广东省深圳市南山区\n科技园南路18号3栋2单元1502室"));
  EXPECT_EQ(find("地址：北京市朝阳区 建国路 88号"), address("北京市朝阳区 建国路 88号"));
  // A blank line ends the address, as it ends a number.
  EXPECT_EQ(find("地址：北京市朝阳区建国路88号\n\n3楼的同事"), address("北京市朝阳区建国路88号"));
}

TEST(PiiAddress, EmojiCuesAndMixedScripts) {
  EXPECT_EQ(find("📍地址：北京市朝阳区建国路88号"), address("北京市朝阳区建国路88号"));
  EXPECT_EQ(find("收货地址🏠广东省深圳市南山区科技园南路18号"), address("广东省深圳市南山区科技园南路18号"));
  EXPECT_EQ(find("地址：北京市朝阳区建國路88號3樓"), address("北京市朝阳区建國路88號3樓"));
  EXPECT_EQ(find("送貨到台中市西屯區台灣大道三段99號"), address("台中市西屯區台灣大道三段99號"));
  EXPECT_EQ(find("帮我寄到浙江省杭州市余杭区五常街道文一西路969号，谢谢"), address("浙江省杭州市余杭区五常街道文一西路969号"));
  EXPECT_EQ(find("寄到北京市东城区南锣鼓巷8号"), address("北京市东城区南锣鼓巷8号"));
  EXPECT_EQ(find("地址：朝阳区望京街10号院3号楼2单元301"), address("朝阳区望京街10号院3号楼2单元301"));
  EXPECT_EQ(find("地址:长沙市岳麓区麓山南路2号 3-2-1502"), address("长沙市岳麓区麓山南路2号 3-2-1502"));
}

TEST(PiiAddress, EndsBeforePunctuationPhonesAndWhatComesAfter) {
  EXPECT_EQ(find("送到上海市徐汇区漕溪北路88号 13800138000"),
            (Found{{"address", "上海市徐汇区漕溪北路88号"}, {"cn_mobile", "13800138000"}}));
  EXPECT_EQ(find("收件人张三，地址：北京市朝阳区建国路88号，电话13800138000"),
            (Found{{"name", "张三"}, {"address", "北京市朝阳区建国路88号"}, {"cn_mobile", "13800138000"}}));
  EXPECT_EQ(find("我住在台北市大安區忠孝東路四段216巷27弄5號3樓，謝謝"), address("台北市大安區忠孝東路四段216巷27弄5號3樓"));
  EXPECT_EQ(find("中山路18号发货吗"), address("中山路18号"));
  EXPECT_EQ(find("在人民路18号3楼等你"), address("人民路18号3楼"));
  EXPECT_EQ(find("Deliver to 1600 Pennsylvania Avenue NW, Washington, DC 20500. Thanks"),
            address("1600 Pennsylvania Avenue NW, Washington, DC 20500"));
  EXPECT_EQ(find("I live at 742 Evergreen Terrace, Springfield."), address("742 Evergreen Terrace, Springfield"));
  EXPECT_EQ(find("10 Downing St, Thanks for the help"), address("10 Downing St"));
  EXPECT_EQ(find("Send it to P.O. Box 8899, thanks"), address("P.O. Box 8899"));
  EXPECT_EQ(find("ship to 1428 maple ave apt 5b"), address("1428 maple ave apt 5b"));  // lower case after a cue
  EXPECT_EQ(find("Room 1502, 15/F, 88 Gloucester Road, Wan Chai"), address("Room 1502, 15/F, 88 Gloucester Road, Wan Chai"));
  EXPECT_EQ(find("address: 22 Baker Street, tel +44 20 7946 0958"),
            (Found{{"address", "22 Baker Street"}, {"phone_intl", "+44 20 7946 0958"}}));
}

TEST(PiiAddress, OtherRecognisersAfterAnAddressCueStillWork) {
  EXPECT_EQ(find("IP地址 192.168.1.1"), (Found{{"ipv4", "192.168.1.1"}}));
  EXPECT_EQ(find("email address: john@example.com"), (Found{{"email", "john@example.com"}}));
  EXPECT_EQ(find("发到我邮箱 john@example.cn 就行"), (Found{{"email", "john@example.cn"}}));
  EXPECT_EQ(find(R"({"address":"北京市朝阳区建国路88号"})"), address("北京市朝阳区建国路88号"));
}

// ---- masking styles ------------------------------------------------------------------------

TEST(PiiAddress, PartialKeepsProvinceCityAndDistrictAndMasksFromTheStreetOn) {
  EXPECT_EQ(masked("收货地址：广东省深圳市南山区科技园南路18号3栋2单元1502室", kPartial),
            "收货地址：广东省深圳市南山区******************");
  EXPECT_EQ(masked("我住在台北市大安區忠孝東路四段216巷27弄5號3樓", kPartial), "我住在台北市大安區*****************");
  EXPECT_EQ(masked("香港九龍旺角彌敦道625號", kPartial), "香港九龍*********");
  EXPECT_EQ(masked("地址：某某县某某镇某某村3组15号", kPartial), "地址：某某县某某镇********");
  // Spaces and the letters of an English address stay in place; nothing of it is kept.
  EXPECT_EQ(masked("ship to 22 Baker Street, London NW1 6XE", kPartial), "ship to ** ***** ******, ****** *** ***");
}

TEST(PiiAddress, LabelAndPseudonymReplaceTheWholeAddress) {
  EXPECT_EQ(masked("寄到杭州市西湖区文三路478号华星时代广场A座，谢谢", ""), "寄到[地址]，谢谢");
  EXPECT_EQ(masked("ship to 1428 Maple Ave Apt 5B, Springfield, IL 62704", R"({"locale":"en"})"), "ship to [address]");
  const std::string p = masked("送到北京市朝阳区建国路88号", R"({"style":"pseudonym"})");
  EXPECT_EQ(p.rfind("送到[地址#", 0), 0u) << p;
}

TEST(PiiAddress, OffWhenTheEntityIsDisabled) {
  EXPECT_EQ(find("江苏省南京市玄武区中山路18号", R"({"entities":{"address":false}})"), kNothing);
  EXPECT_EQ(find("ship to 22 Baker Street", R"({"entities":{"address":false}})"), kNothing);
}

// ---- linear time -----------------------------------------------------------------------------

// Text made of one address part, repeated: every character sets off a reader, none finds an
// address. Four times the text must take about four times as long (a quadratic reader would
// take sixteen); the bound is loose for a shared machine.
TEST(PiiAddress, TextOfAddressPartsTakesLinearTime) {
  auto masker = Masker::create("");
  ASSERT_TRUE(masker.ok());
  MaskResult r;
  auto seconds = [&](const std::string& text) {
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(masker.value().mask(text, r), Status::ok);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  auto repeat = [](std::string_view unit, size_t bytes) {
    std::string s;
    while (s.size() < bytes) s.append(unit);
    return s;
  };
  for (std::string_view unit : {"路", "号", "市", "道", "香港", "中山路", "1号", "18号楼", "St ", "1 St ", "22 Baker ",
                                "Flat 1, ", "PO Box ", "地址", "地址：北京市", "广东省深圳市南山区", "Apt 5B, "}) {
    SCOPED_TRACE(std::string(unit));
    const double small = seconds(repeat(unit, 100 * 1024));
    const double large = seconds(repeat(unit, 400 * 1024));
    EXPECT_LT(large, 10 * small + 0.05);
    EXPECT_LT(large, 2.0);
  }
}

}  // namespace
}  // namespace sealdesk::pii
