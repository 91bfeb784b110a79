// The built-in PII entity types, mask styles and label locales of the masker.
//
// Entity names are stable strings: they appear in findings (`type`), in the masker config
// (`styles`, `entities`) and in consent policies, so never rename one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace sealdesk::pii {

enum class Entity : uint8_t {
  cn_id,              // mainland resident ID, 18 digits (GB 11643-1999) or legacy 15 digits
  cn_mobile,          // mainland mobile, 1[3-9] + 9 digits, optional +86 / 0086 / 86
  cn_landline,        // mainland landline with area code: 010-12345678, (0755) 1234 5678
  bank_card,          // 13-19 digits, known card prefix and length, Luhn (ISO/IEC 7812-1)
  uscc,               // Unified Social Credit Code (GB 32100-2015), 18 characters
  passport,           // PRC passport: E12345678, EA1234567, G12345678, DE/SE/PE1234567
  travel_permit,      // HK/Macau/Taiwan permits: C12345678, CA1234567, W/L12345678, H/M12345678(90)
  license_plate,      // mainland plate: 京A·12345, 粤B D12345 (new energy)
  email,
  ipv4,
  ipv6,
  iban,               // ISO 13616, mod 97 (ISO 7064 MOD 97-10)
  us_ssn,             // 123-45-6789 without the invalid areas (000, 666, 900-999)
  phone_intl,         // E.164 with '+' and a known country code (other than the mainland forms)
  verification_code,  // after a cue: 验证码 482913, verification code: 482913
  password,           // after a cue: 密码 abc123, password: hunter2
  dob,                // a date after a cue: 出生日期 1990年3月7日, DOB 03/07/1990
  name,               // after a cue, a role word or a field key: 我叫张三, 收件人李小龙, "name":"胡春燕"
  hk_id,              // Hong Kong identity card: A123456(3), AB987654(3); check character mod 11
  tw_id,              // Taiwan national ID: A123456789 (letter, 1/2 or 8/9, 7 digits, mod 10 check)
  mo_id,              // Macau resident ID: 1234567(8), first digit 1, 5 or 7
  phone_local,        // Hong Kong / Macau 8-digit and Taiwan 09xx / 0x area numbers, no country code
  im_account,         // WeChat id or QQ number after a cue: 微信 wxid_ab12, QQ 12345678
  alipay_id,          // Alipay user id: 2088 + 12 digits
  medical_record,     // after a cue: 病历号 MZ20240312, 病歷號碼, MRN 00123456
  address,            // a postal address: an address field's value ("address":"北京市朝阳区建国路88号"), or
                      // one in free text read by its structure (sdk/pii/address.h): 深圳市南山区科技园南路18号,
                      // 台北市大安區忠孝東路四段216巷27弄5號3樓, 22 Baker Street, London NW1 6XE, PO Box 1234
};
inline constexpr size_t kEntityCount = 26;

// "cn_id", "cn_mobile", ...
std::string_view entity_name(Entity entity);
std::optional<Entity> entity_from_name(std::string_view name);

// How a finding is replaced in the masked text.
enum class Style : uint8_t {
  label,      // [手机号] / [phone]
  partial,    // 138****5678, 110101********1234, ****1234
  pseudonym,  // [手机号#9f2c41d0]: keyed BLAKE2b, stable within one masker (session)
  sealed,     // [sealed:cn_mobile:<base64url>]: crypto_box_seal to the agent desk's key
};
std::string_view style_name(Style style);
std::optional<Style> style_from_name(std::string_view name);

// The language of labels.
enum class Locale : uint8_t { zh_cn, zh_tw, en };
std::optional<Locale> locale_from_name(std::string_view name);  // "zh-CN", "zh-TW", "en"

// The label text of an entity, without brackets: "手机号", "phone".
std::string_view entity_label(Entity entity, Locale locale);

}  // namespace sealdesk::pii
