#include "sdk/pii/entities.h"

#include <array>

namespace sealdesk::pii {
namespace {

struct EntityText {
  std::string_view name;
  std::string_view zh_cn;
  std::string_view zh_tw;
  std::string_view en;
};

// Indexed by Entity.
constexpr std::array<EntityText, kEntityCount> kEntities{{
    {"cn_id", "身份证号", "身分證號", "ID number"},
    {"cn_mobile", "手机号", "手機號碼", "phone"},
    {"cn_landline", "座机号", "市話號碼", "landline"},
    {"bank_card", "银行卡号", "銀行卡號", "card"},
    {"uscc", "统一社会信用代码", "統一社會信用代碼", "credit code"},
    {"passport", "护照号", "護照號碼", "passport"},
    {"travel_permit", "通行证号", "通行證號碼", "travel permit"},
    {"license_plate", "车牌号", "車牌號碼", "license plate"},
    {"email", "邮箱", "電子郵件", "email"},
    {"ipv4", "IP地址", "IP位址", "IP address"},
    {"ipv6", "IP地址", "IP位址", "IP address"},
    {"iban", "IBAN", "IBAN", "IBAN"},
    {"us_ssn", "社会安全号", "社會安全號碼", "SSN"},
    {"phone_intl", "电话号码", "電話號碼", "phone"},
    {"verification_code", "验证码", "驗證碼", "code"},
    {"password", "密码", "密碼", "password"},
    {"dob", "出生日期", "出生日期", "date of birth"},
    {"name", "姓名", "姓名", "name"},
    {"hk_id", "香港身份证号", "香港身分證號碼", "HKID"},
    {"tw_id", "台湾身份证号", "身分證字號", "Taiwan ID"},
    {"mo_id", "澳门身份证号", "澳門身分證號碼", "Macau ID"},
    {"phone_local", "电话号码", "電話號碼", "phone"},
    {"im_account", "社交账号", "通訊帳號", "messaging account"},
    {"alipay_id", "支付宝账号", "支付寶帳號", "Alipay ID"},
    {"medical_record", "病历号", "病歷號碼", "medical record number"},
    {"address", "地址", "地址", "address"},
}};

constexpr std::array<std::string_view, 4> kStyles{"label", "partial", "pseudonym", "sealed"};

}  // namespace

std::string_view entity_name(Entity entity) { return kEntities[static_cast<size_t>(entity)].name; }

std::optional<Entity> entity_from_name(std::string_view name) {
  for (size_t i = 0; i < kEntityCount; ++i) {
    if (kEntities[i].name == name) return static_cast<Entity>(i);
  }
  return std::nullopt;
}

std::string_view style_name(Style style) { return kStyles[static_cast<size_t>(style)]; }

std::optional<Style> style_from_name(std::string_view name) {
  for (size_t i = 0; i < kStyles.size(); ++i) {
    if (kStyles[i] == name) return static_cast<Style>(i);
  }
  return std::nullopt;
}

std::optional<Locale> locale_from_name(std::string_view name) {
  if (name == "zh-CN" || name == "zh-Hans" || name == "zh") return Locale::zh_cn;
  if (name == "zh-TW" || name == "zh-HK" || name == "zh-Hant") return Locale::zh_tw;
  if (name == "en" || name.starts_with("en-")) return Locale::en;
  return std::nullopt;
}

std::string_view entity_label(Entity entity, Locale locale) {
  const EntityText& text = kEntities[static_cast<size_t>(entity)];
  switch (locale) {
    case Locale::zh_cn: return text.zh_cn;
    case Locale::zh_tw: return text.zh_tw;
    case Locale::en: return text.en;
  }
  return text.en;
}

}  // namespace sealdesk::pii
