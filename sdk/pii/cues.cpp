#include "sdk/pii/cues.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <vector>

#include "sdk/pii/address.h"
#include "sdk/pii/text.h"

namespace sealdesk::pii::detail {
namespace {

struct CueDef {
  std::string_view text;  // lower-case for ASCII
  CueKind kind;
  bool needs_colon = false;
};

constexpr CueDef kCues[] = {
    // Chinese, simplified and traditional. Longer forms win ("动态密码" is a code, "密码" a password).
    {"验证码", CueKind::code}, {"驗證碼", CueKind::code}, {"校验码", CueKind::code}, {"校驗碼", CueKind::code},
    {"动态码", CueKind::code}, {"動態碼", CueKind::code}, {"短信码", CueKind::code}, {"簡訊碼", CueKind::code},
    {"动态密码", CueKind::code}, {"動態密碼", CueKind::code}, {"短信验证码", CueKind::code},
    {"簡訊驗證碼", CueKind::code}, {"确认码", CueKind::code}, {"確認碼", CueKind::code},
    {"密码", CueKind::password}, {"密碼", CueKind::password}, {"口令", CueKind::password},
    {"出生日期", CueKind::dob}, {"出生年月日", CueKind::dob}, {"出生年月", CueKind::dob}, {"出生于", CueKind::dob},
    {"出生於", CueKind::dob}, {"出生", CueKind::dob}, {"生日", CueKind::dob},
    {"我叫", CueKind::name}, {"我是", CueKind::name_weak}, {"姓名", CueKind::name}, {"名字是", CueKind::name}, {"名字叫", CueKind::name},
    {"本人叫", CueKind::name}, {"联系人", CueKind::name}, {"聯絡人", CueKind::name}, {"聯繫人", CueKind::name},
    {"收件人", CueKind::name}, {"收货人", CueKind::name}, {"收貨人", CueKind::name}, {"持卡人", CueKind::name},
    {"户名", CueKind::name}, {"戶名", CueKind::name},
    {"寄件人", CueKind::name}, {"乘机人", CueKind::name}, {"乘機人", CueKind::name}, {"乘客", CueKind::name},
    {"收款人", CueKind::name}, {"付款人", CueKind::name}, {"申请人", CueKind::name}, {"申請人", CueKind::name},
    {"开户名", CueKind::name}, {"開戶名", CueKind::name}, {"账户名", CueKind::name}, {"帳戶名", CueKind::name},
    {"患者", CueKind::name}, {"病人", CueKind::name}, {"客户姓名", CueKind::name}, {"客戶姓名", CueKind::name},
    {"收件人姓名", CueKind::name}, {"客户", CueKind::name, true}, {"客戶", CueKind::name, true}, {"收货人姓名", CueKind::name},
    {"微信", CueKind::wechat}, {"微信号", CueKind::wechat}, {"微信號", CueKind::wechat}, {"微信账号", CueKind::wechat},
    {"病历号", CueKind::medical}, {"病歷號", CueKind::medical}, {"病历号码", CueKind::medical},
    {"病歷號碼", CueKind::medical}, {"病案号", CueKind::medical}, {"病案號", CueKind::medical},
    {"住院号", CueKind::medical}, {"住院號", CueKind::medical}, {"门诊号", CueKind::medical},
    {"門診號", CueKind::medical}, {"就诊卡号", CueKind::medical}, {"就診卡號", CueKind::medical},
    {"车牌", CueKind::plate}, {"車牌", CueKind::plate}, {"车牌号", CueKind::plate}, {"車牌號碼", CueKind::plate},
    {"車號", CueKind::plate},
    {"身份证", CueKind::id_hint}, {"身份證", CueKind::id_hint}, {"身份证号", CueKind::id_hint},
    {"身份证号码", CueKind::id_hint}, {"身份證號", CueKind::id_hint}, {"身份證號碼", CueKind::id_hint},
    {"证件号", CueKind::id_hint}, {"證件號", CueKind::id_hint}, {"证件号码", CueKind::id_hint},
    {"台胞证", CueKind::tw_permit}, {"台胞證", CueKind::tw_permit},
    {"电话", CueKind::phone}, {"電話", CueKind::phone}, {"电话号码", CueKind::phone}, {"電話號碼", CueKind::phone},
    {"手机", CueKind::phone}, {"手機", CueKind::phone}, {"手机号", CueKind::phone}, {"手機號", CueKind::phone},
    {"手机号码", CueKind::phone}, {"手機號碼", CueKind::phone}, {"手提", CueKind::phone}, {"座机", CueKind::phone},
    {"座機", CueKind::phone}, {"固话", CueKind::phone}, {"市話", CueKind::phone},
    {"护照", CueKind::passport}, {"護照", CueKind::passport}, {"护照号", CueKind::passport},
    {"護照號", CueKind::passport}, {"护照号码", CueKind::passport}, {"護照號碼", CueKind::passport},
    {"澳門身份證", CueKind::mo_id}, {"澳门身份证", CueKind::mo_id}, {"澳門身分證", CueKind::mo_id},
    {"澳門居民身份證", CueKind::mo_id}, {"澳门居民身份证", CueKind::mo_id},
    {"我係", CueKind::name_weak}, {"我叫做", CueKind::name}, {"我個名叫", CueKind::name}, {"我个名叫", CueKind::name},
    {"转账给", CueKind::name_weak}, {"转帐给", CueKind::name_weak}, {"轉帳給", CueKind::name_weak},
    {"轉賬給", CueKind::name_weak}, {"法人", CueKind::name_weak}, {"法人代表", CueKind::name},
    {"法定代表人", CueKind::name}, {"法人章", CueKind::not_pii}, {"法人单位", CueKind::not_pii}, {"法人單位", CueKind::not_pii},
    {"型号", CueKind::not_pii}, {"型號", CueKind::not_pii}, {"货号", CueKind::not_pii}, {"貨號", CueKind::not_pii}, {"名字拼音", CueKind::name}, {"姓名拼音", CueKind::name},
    {"订单", CueKind::not_pii}, {"订单号", CueKind::not_pii}, {"订单编号", CueKind::not_pii},
    {"訂單號", CueKind::not_pii}, {"訂單編號", CueKind::not_pii}, {"编号", CueKind::not_pii}, {"編號", CueKind::not_pii}, {"訂單", CueKind::not_pii}, {"单号", CueKind::not_pii}, {"單號", CueKind::not_pii},
    {"版本", CueKind::not_pii}, {"版本号", CueKind::not_pii}, {"版本號", CueKind::not_pii},
    {"发票", CueKind::not_pii}, {"發票", CueKind::not_pii}, {"流水号", CueKind::not_pii}, {"流水號", CueKind::not_pii},
    {"地址", CueKind::address}, {"收货地址", CueKind::address}, {"收貨地址", CueKind::address},
    {"收件地址", CueKind::address}, {"送货地址", CueKind::address}, {"送貨地址", CueKind::address},
    {"寄件地址", CueKind::address}, {"邮寄地址", CueKind::address}, {"郵寄地址", CueKind::address},
    {"配送地址", CueKind::address}, {"通讯地址", CueKind::address}, {"通訊地址", CueKind::address},
    {"联系地址", CueKind::address}, {"聯絡地址", CueKind::address}, {"住址", CueKind::address},
    {"家庭住址", CueKind::address}, {"居住地址", CueKind::address}, {"寄到", CueKind::address},
    {"寄往", CueKind::address}, {"寄去", CueKind::address}, {"送到", CueKind::address}, {"送往", CueKind::address},
    {"送去", CueKind::address}, {"发到", CueKind::address}, {"發到", CueKind::address}, {"住在", CueKind::address},
    {"家住", CueKind::address}, {"家在", CueKind::address}, {"我家在", CueKind::address},
    // English: whole words, case-insensitive.
    {"verification code", CueKind::code}, {"security code", CueKind::code}, {"sms code", CueKind::code},
    {"otp", CueKind::code}, {"one-time code", CueKind::code}, {"one time code", CueKind::code},
    {"one-time password", CueKind::code}, {"one time password", CueKind::code}, {"auth code", CueKind::code},
    {"authentication code", CueKind::code}, {"passcode", CueKind::code}, {"login code", CueKind::code},
    {"confirmation code", CueKind::code},
    {"the code is", CueKind::code}, {"my code is", CueKind::code},
    {"password", CueKind::password}, {"passwd", CueKind::password}, {"pwd", CueKind::password},
    {"passphrase", CueKind::password},
    {"pin", CueKind::pin}, {"pin code", CueKind::pin}, {"pin number", CueKind::pin},
    {"dob", CueKind::dob}, {"d.o.b", CueKind::dob}, {"date of birth", CueKind::dob}, {"birthday", CueKind::dob},
    {"birth date", CueKind::dob}, {"birthdate", CueKind::dob}, {"born on", CueKind::dob}, {"born", CueKind::dob},
    {"my name is", CueKind::name}, {"name is", CueKind::name_role}, {"name", CueKind::name_role},
    {"recipient", CueKind::name_role}, {"consignee", CueKind::name_role}, {"addressee", CueKind::name_role},
    {"account holder", CueKind::name_role}, {"cardholder", CueKind::name_role}, {"card holder", CueKind::name_role},
    {"passenger", CueKind::name_role}, {"patient", CueKind::name_role}, {"attn", CueKind::name_role},
    {"i'm", CueKind::name_self}, {"i am", CueKind::name_self}, {"this is", CueKind::name_self},
    {"wechat", CueKind::wechat}, {"wechat id", CueKind::wechat}, {"weixin", CueKind::wechat}, {"vx", CueKind::wechat},
    {"wx", CueKind::wechat}, {"qq", CueKind::qq}, {"qq号", CueKind::qq}, {"qq號", CueKind::qq}, {"qq号码", CueKind::qq},
    {"mrn", CueKind::medical}, {"medical record", CueKind::medical}, {"medical record number", CueKind::medical},
    {"medical record no", CueKind::medical}, {"plate", CueKind::plate}, {"full name", CueKind::name, true},
    {"ssn", CueKind::ssn}, {"social security number", CueKind::ssn}, {"social security no", CueKind::ssn},
    {"code is", CueKind::code}, {"phone", CueKind::phone}, {"phone number", CueKind::phone}, {"tel", CueKind::phone},
    {"mobile", CueKind::phone}, {"mobile number", CueKind::phone}, {"cell", CueKind::phone},
    {"my number", CueKind::phone}, {"call me at", CueKind::phone}, {"call me on", CueKind::phone},
    {"call me", CueKind::phone}, {"text me at", CueKind::phone}, {"whatsapp", CueKind::phone},
    {"contact number", CueKind::phone}, {"passport", CueKind::passport}, {"passport no", CueKind::passport},
    {"passport no.", CueKind::passport}, {"passport number", CueKind::passport},
    {"macau id", CueKind::mo_id},
    // Codes that are not one-time codes: "the postal code is 518000" is no verification code.
    {"postal code", CueKind::not_pii}, {"post code", CueKind::not_pii}, {"zip code", CueKind::not_pii},
    {"promo code", CueKind::not_pii}, {"coupon code", CueKind::not_pii}, {"discount code", CueKind::not_pii},
    {"error code", CueKind::not_pii}, {"area code", CueKind::not_pii}, {"country code", CueKind::not_pii},
    {"product code", CueKind::not_pii}, {"gift code", CueKind::not_pii}, {"referral code", CueKind::not_pii},
    {"invite code", CueKind::not_pii}, {"voucher code", CueKind::not_pii}, {"status code", CueKind::not_pii},
    {"tracking code", CueKind::not_pii}, {"model", CueKind::not_pii}, {"sku", CueKind::not_pii},
    {"id number", CueKind::id_hint}, {"id card", CueKind::id_hint}, {"id no", CueKind::id_hint},
    {"order", CueKind::not_pii}, {"order no", CueKind::not_pii}, {"order number", CueKind::not_pii},
    {"order id", CueKind::not_pii}, {"tracking number", CueKind::not_pii}, {"tracking no", CueKind::not_pii},
    {"invoice", CueKind::not_pii}, {"invoice no", CueKind::not_pii}, {"imei", CueKind::not_pii},
    {"version", CueKind::not_pii}, {"ver", CueKind::not_pii}, {"build", CueKind::not_pii},
    // "send it to", "I live at" are left to the street reader: a cue starting with "send",
    // "live" or "mail" would send every "seen", "like" and "make" to the cue lookup.
    {"address", CueKind::address}, {"addr", CueKind::address}, {"ship to", CueKind::address},
    {"deliver to", CueKind::address},
    {"flat", CueKind::address_unit}, {"unit", CueKind::address_unit}, {"apt", CueKind::address_unit},
    {"apartment", CueKind::address_unit}, {"suite", CueKind::address_unit}, {"room", CueKind::address_unit},
    {"rm", CueKind::address_unit},
    {"po box", CueKind::po_box}, {"p.o. box", CueKind::po_box}, {"p.o.box", CueKind::po_box},
    {"p o box", CueKind::po_box}, {"post office box", CueKind::po_box},
};
constexpr size_t kCueCount = sizeof(kCues) / sizeof(kCues[0]);

// Cues grouped by their first character (a lower-case ASCII byte, or a CJK code point), each
// group sorted longest first: a lookup compares a handful of candidates and stops at the first
// (longest) one that matches.
class CueIndex {
 public:
  CueIndex() {
    for (size_t i = 0; i < kCueCount; ++i) {
      const auto* c = reinterpret_cast<const uint8_t*>(kCues[i].text.data());
      if (c[0] < 0x80) {
        ascii_[c[0]].push_back(static_cast<uint16_t>(i));
      } else {
        cjk_.push_back({decode_utf8(c, kCues[i].text.size()).cp, static_cast<uint16_t>(i)});
      }
    }
    auto longer = [](uint16_t a, uint16_t b) { return kCues[a].text.size() > kCues[b].text.size(); };
    for (auto& group : ascii_) std::stable_sort(group.begin(), group.end(), longer);
    std::stable_sort(cjk_.begin(), cjk_.end(), [&](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : longer(a.second, b.second);
    });
  }

  bool match(std::string_view text, uint32_t pos, CueMatch& out) const {
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    const uint8_t b = s[pos];
    if (b < 0x80) {
      const uint8_t lower = (b >= 'A' && b <= 'Z') ? static_cast<uint8_t>(b | 0x20) : b;
      for (uint16_t i : ascii_[lower]) {
        if (ascii_matches(text, pos, kCues[i].text)) return found(i, pos, out);
      }
      return false;
    }
    const uint32_t cp = decode_valid_utf8(s + pos).cp;
    auto it = std::lower_bound(cjk_.begin(), cjk_.end(), cp, [](const auto& e, uint32_t v) { return e.first < v; });
    for (; it != cjk_.end() && it->first == cp; ++it) {
      const std::string_view cue = kCues[it->second].text;
      if (text.substr(pos, cue.size()) == cue) return found(it->second, pos, out);
    }
    return false;
  }

 private:
  static bool ascii_matches(std::string_view text, uint32_t pos, std::string_view cue) {
    if (text.size() - pos < cue.size()) return false;
    for (size_t k = 0; k < cue.size(); ++k) {
      uint8_t c = static_cast<uint8_t>(text[pos + k]);
      if (c >= 'A' && c <= 'Z') c = static_cast<uint8_t>(c | 0x20);
      if (c != static_cast<uint8_t>(cue[k])) return false;
    }
    // English cues end at a word end; one ending in a Chinese character ("qq号") may be
    // followed by its value directly ("QQ号12345678").
    const size_t end = pos + cue.size();
    if (static_cast<uint8_t>(cue.back()) >= 0x80) return true;
    const uint8_t next = end < text.size() ? static_cast<uint8_t>(text[end]) : 0;
    return !((next >= '0' && next <= '9') || ((next | 0x20) >= 'a' && (next | 0x20) <= 'z'));
  }

  static bool found(uint16_t i, uint32_t pos, CueMatch& out) {
    out = {kCues[i].kind, kCues[i].needs_colon, pos, pos + static_cast<uint32_t>(kCues[i].text.size())};
    return true;
  }

  std::array<std::vector<uint16_t>, 128> ascii_;
  std::vector<std::pair<uint32_t, uint16_t>> cjk_;
};

const CueIndex& cue_index() {
  static const CueIndex instance;
  return instance;
}

std::vector<uint32_t> code_points(std::string_view utf8) {
  std::vector<uint32_t> cps;
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  for (size_t i = 0; i < utf8.size();) {
    const Decoded d = decode_utf8(s + i, utf8.size() - i);
    cps.push_back(d.cp);
    i += d.len;
  }
  std::sort(cps.begin(), cps.end());
  return cps;
}

constexpr std::string_view kProvinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

constexpr std::string_view kSurnames =
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝洪傅萧赖阎游"
    "張劉陳楊黃趙吳孫馬鄭謝許韓馮鄧蕭葉蘇呂盧鍾譚陸賈韋鄒閻龍賀顧龔萬錢嚴湯溫龐顏聶歐關蘭寧紀畢淩塗駱藍遊"
    "鮑華饒農車項連蘆麥婁竇費衛閔鄔邊師欒榮鞏鄺簡羅莊賴閻鍾蔣魏孫楊";

constexpr std::string_view kCompoundSurnames =
    "欧阳歐陽司马司馬诸葛諸葛上官东方東方皇甫令狐慕容尉迟尉遲长孙長孫宇文司徒夏侯公孙公孫轩辕軒轅端木独孤"
    "獨孤南宫南宮西门西門澹台澹臺申屠太史";

// Role nouns that start with a surname character: "转账给商家了", "房东" are nobody's name.
constexpr std::string_view kRoleNouns = "商家房东房東车主車主师傅師傅";

constexpr std::string_view kNameStops =
    "的了是在想要请請问問我你他她它和跟与與呢吗嗎啊吧哦呀嘛电電手身住昨去先女现現已有没沒需这這那就也都"
    "还還会會能帮幫给給从從到说說打找订訂买買退换換查联聯急麻谢謝您来來，。、";

// Romanised surnames, lower case, sorted (binary search).
constexpr std::string_view kRomanised[] = {
    "ai", "au", "bai", "cai", "cao", "chan", "chang", "chao", "chen", "cheng", "cheung", "chiu", "choi",
    "chou", "chow", "chu", "chung", "cui", "dai", "deng", "ding", "dong", "du", "fan", "fang", "feng", "fu",
    "fung", "gao", "ge", "gong", "gu", "guo", "han", "hao", "he", "ho", "hsieh", "hsu", "hu", "huang", "hui",
    "hung", "jiang", "jin", "kang", "kong", "kwan", "kwok", "lai", "lam", "lau", "lee", "lei", "leung", "li",
    "liang", "liao", "lin", "liu", "lo", "lu", "luo", "lv", "ma", "mak", "mao", "meng", "ng", "ouyang", "pan",
    "peng", "qian", "qin", "qiu", "ren", "shao", "shen", "shi", "song", "su", "sun", "tan", "tang", "tian",
    "tsai", "tse", "wan", "wang", "wei", "wen", "wong", "wu", "xia", "xiao", "xie", "xiong", "xu", "xue",
    "yan", "yang", "yao", "ye", "yeung", "yin", "yip", "yu", "yuan", "zeng", "zhang", "zhao", "zheng",
    "zhong", "zhou", "zhu",
};

// English given names, lower case, sorted (binary search).
constexpr std::string_view kGivenNames[] = {
    "aaron", "adam", "adrian", "aisha", "alan", "albert", "alex", "alexander", "alice", "alicia", "alison",
    "amanda", "amber", "amelia", "amy", "ana", "andrea", "andrew", "angela", "anna", "anne", "anthony",
    "ashley", "austin", "ava", "barbara", "ben", "benjamin", "beth", "betty", "bill", "bob", "brandon",
    "brenda", "brian", "brittany", "bruce", "bryan", "carl", "carlos", "carol", "caroline", "catherine",
    "charles", "charlie", "charlotte", "chloe", "chris", "christian", "christina", "christine",
    "christopher", "cindy", "claire", "daniel", "david", "deborah", "debra", "dennis", "diana", "diane",
    "donald", "donna", "dorothy", "dylan", "edward", "elizabeth", "ella", "ellen", "emily", "emma", "eric",
    "erica", "ethan", "eva", "evelyn", "frank", "gary", "george", "grace", "greg", "gregory", "hannah",
    "harry", "heather", "helen", "henry", "isaac", "isabella", "jack", "jacob", "james", "jane", "janet",
    "jason", "jeff", "jennifer", "jenny", "jeremy", "jerry", "jessica", "jim", "joan", "joe", "john",
    "jonathan", "jordan", "jose", "joseph", "joshua", "joyce", "judy", "julia", "julie", "justin", "karen",
    "kate", "katherine", "kathy", "kelly", "kevin", "kim", "kyle", "laura", "lauren", "leo", "liam",
    "linda", "lisa", "lucas", "lucy", "luis", "luke", "madison", "maria", "mark", "martha", "mary",
    "matthew", "megan", "melissa", "michael", "michelle", "mike", "nancy", "natalie", "nathan", "nicholas",
    "nicole", "noah", "olivia", "oscar", "pamela", "patricia", "patrick", "paul", "peter", "priya",
    "rachel", "raj", "ray", "raymond", "rebecca", "richard", "robert", "ronald", "rose", "ruby", "ruth",
    "ryan", "samantha", "samuel", "sandra", "sara", "sarah", "scott", "sean", "sharon", "sophia", "sophie",
    "stephanie", "stephen", "steve", "steven", "susan", "teresa", "thomas", "tiffany", "tim", "timothy",
    "tom", "tony", "tyler", "victoria", "vincent", "walter", "wendy", "william", "zoe",
};

struct Tables {
  CueFilters filters;
  std::vector<uint32_t> provinces;
  std::vector<uint32_t> surnames;
  std::vector<uint32_t> compound;  // pairs, unsorted: kept in order
  std::vector<uint32_t> roles;     // pairs, like compound
  std::vector<uint32_t> stops;

  Tables() {
    provinces = code_points(kProvinces);
    surnames = code_points(kSurnames);
    stops = code_points(kNameStops);
    for (auto [pairs, list] : {std::pair{kCompoundSurnames, &compound}, std::pair{kRoleNouns, &roles}}) {
      const auto* s = reinterpret_cast<const uint8_t*>(pairs.data());
      for (size_t i = 0; i < pairs.size();) {
        const Decoded d = decode_utf8(s + i, pairs.size() - i);
        list->push_back(d.cp);
        i += d.len;
      }
    }
    for (uint32_t cp : provinces) mark(cp);
    for (uint32_t cp : code_points(zh_address_trigger_chars())) mark(cp);
    for (const CueDef& cue : kCues) {
      const auto* c = reinterpret_cast<const uint8_t*>(cue.text.data());
      if (c[0] < 0x80) {
        // Cues are lower case and match case-insensitively; the scanner lower-cases letters
        // before asking. The first word ends at the first byte that is not a letter.
        size_t len = 0;
        while (len < cue.text.size() && c[len] >= 'a' && c[len] <= 'z') ++len;
        const uint32_t bit = len == 1 ? 26u : static_cast<uint32_t>(c[1] - 'a');
        filters.ascii_words[c[0] - 'a'][len] |= uint32_t{1} << bit;
      } else {
        const Decoded first = decode_utf8(c, cue.text.size());
        mark(first.cp);
        const uint32_t second = decode_utf8(c + first.len, cue.text.size() - first.len).cp;
        const uint32_t h = CueFilters::pair_hash(first.cp, second);
        filters.cjk_pairs[h >> 6] |= uint64_t{1} << (h & 63);
      }
    }
  }

  void mark(uint32_t cp) {
    if (cp >= 0x3000 && cp < 0xA000) filters.cjk[(cp - 0x3000) >> 6] |= uint64_t{1} << ((cp - 0x3000) & 63);
  }
};

const Tables& tables() {
  static const Tables instance;
  return instance;
}

bool contains(const std::vector<uint32_t>& sorted, uint32_t cp) {
  return std::binary_search(sorted.begin(), sorted.end(), cp);
}

bool has_pair(const std::vector<uint32_t>& pairs, uint32_t first, uint32_t second) {
  for (size_t i = 0; i + 1 < pairs.size(); i += 2) {
    if (pairs[i] == first && pairs[i + 1] == second) return true;
  }
  return false;
}

}  // namespace

bool match_cue(std::string_view text, uint32_t pos, CueMatch& out) { return cue_index().match(text, pos, out); }

const CueFilters& cue_filters() { return tables().filters; }

bool is_plate_province(uint32_t cp) { return contains(tables().provinces, cp); }

bool is_cn_surname(uint32_t cp) { return contains(tables().surnames, cp); }

bool is_cn_compound_surname(uint32_t first, uint32_t second) { return has_pair(tables().compound, first, second); }

bool is_cn_role_noun(uint32_t first, uint32_t second) { return has_pair(tables().roles, first, second); }

bool is_cn_name_stop(uint32_t cp) { return contains(tables().stops, cp); }

bool is_romanised_surname(std::string_view word) {
  if (word.size() < 2 || word.size() > 6) return false;
  char lower[6];
  for (size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c;
  }
  const std::string_view w(lower, word.size());
  return std::binary_search(std::begin(kRomanised), std::end(kRomanised), w);
}

bool is_english_given_name(std::string_view word) {
  if (word.size() < 2 || word.size() > 11) return false;
  char lower[11];
  for (size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c;
  }
  return std::binary_search(std::begin(kGivenNames), std::end(kGivenNames), std::string_view(lower, word.size()));
}

}  // namespace sealdesk::pii::detail
