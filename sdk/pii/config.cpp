#include "sdk/pii/config.h"

#include <nlohmann/json.hpp>

#include <string>

#include "sdk/pii/checks.h"

namespace sealdesk::pii::detail {
namespace {

using nlohmann::json;

bool parse_hex32(const json& value, std::array<uint8_t, 32>& out) {
  if (!value.is_string()) return false;
  const std::string& hex = value.get_ref<const std::string&>();
  if (hex.size() != 64) return false;
  for (size_t i = 0; i < 32; ++i) {
    int byte = 0;
    for (size_t k = 0; k < 2; ++k) {
      const char c = hex[2 * i + k];
      int v;
      if (c >= '0' && c <= '9') {
        v = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        v = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        v = c - 'A' + 10;
      } else {
        return false;
      }
      byte = byte * 16 + v;
    }
    out[i] = static_cast<uint8_t>(byte);
  }
  return true;
}

bool parse_style(const json& value, Style& out) {
  if (!value.is_string()) return false;
  const auto style = style_from_name(value.get_ref<const std::string&>());
  if (!style) return false;
  out = *style;
  return true;
}

bool parse_small_int(const json& value, int max, uint8_t& out) {
  if (!value.is_number_integer()) return false;
  const auto v = value.get<int64_t>();
  if (v < 0 || v > max) return false;
  out = static_cast<uint8_t>(v);
  return true;
}

bool valid_rule_id(const std::string& id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return !entity_from_name(id).has_value();
}

std::string_view locale_key(Locale locale) {
  switch (locale) {
    case Locale::zh_cn: return "zh-CN";
    case Locale::zh_tw: return "zh-TW";
    case Locale::en: return "en";
  }
  return "en";
}

Status parse_rule(const json& item, size_t index, const MaskerConfig& config, Style default_style, Rule& rule,
                  std::string& detail) {
  const std::string where = "rules[" + std::to_string(index) + "]";
  if (!item.is_object()) {
    detail = where + ": must be an object";
    return Status::rule_invalid;
  }
  for (auto it = item.begin(); it != item.end(); ++it) {
    const std::string& key = it.key();
    if (key != "id" && key != "pattern" && key != "validator" && key != "style" && key != "label" &&
        key != "ignoreCase" && key != "keepStart" && key != "keepEnd") {
      detail = where + ": unknown key \"" + key + "\"";
      return Status::rule_invalid;
    }
  }
  auto id = item.find("id");
  if (id == item.end() || !id->is_string() || !valid_rule_id(id->get_ref<const std::string&>())) {
    detail = where + ".id: must match [a-z0-9_-]{1,32} and not be a built-in entity name";
    return Status::rule_invalid;
  }
  rule.id = id->get_ref<const std::string&>();
  for (const Rule& other : config.rules) {
    if (other.id == rule.id) {
      detail = where + ".id: duplicate id \"" + rule.id + "\"";
      return Status::rule_invalid;
    }
  }
  bool ignore_case = false;
  if (auto ic = item.find("ignoreCase"); ic != item.end()) {
    if (!ic->is_boolean()) {
      detail = where + ".ignoreCase: must be true or false";
      return Status::rule_invalid;
    }
    ignore_case = ic->get<bool>();
  }
  auto pattern = item.find("pattern");
  if (pattern == item.end() || !pattern->is_string()) {
    detail = where + ".pattern: must be a string";
    return Status::rule_invalid;
  }
  auto compiled = Pattern::compile(pattern->get_ref<const std::string&>(), ignore_case);
  if (!compiled.ok()) {
    detail = where + ".pattern: " + compiled.error().detail;
    return Status::rule_invalid;
  }
  rule.pattern = std::move(compiled).value();
  rule.style = default_style;
  if (auto style = item.find("style"); style != item.end() && !parse_style(*style, rule.style)) {
    detail = where + ".style: must be label, partial, pseudonym or sealed";
    return Status::rule_invalid;
  }
  if (auto validator = item.find("validator"); validator != item.end()) {
    static constexpr std::pair<std::string_view, Validator> kValidators[] = {
        {"luhn", Validator::luhn}, {"mod97", Validator::mod97}, {"mod11_2", Validator::mod11_2},
        {"cn_id", Validator::cn_id}, {"uscc", Validator::uscc}, {"iban", Validator::iban}};
    bool known = false;
    if (validator->is_string()) {
      for (const auto& [name, value] : kValidators) {
        if (validator->get_ref<const std::string&>() == name) {
          rule.validator = value;
          known = true;
        }
      }
    }
    if (!known) {
      detail = where + ".validator: must be luhn, mod97, mod11_2, cn_id, uscc or iban";
      return Status::rule_invalid;
    }
  }
  rule.label = rule.id;
  if (auto label = item.find("label"); label != item.end()) {
    if (label->is_string()) {
      rule.label = label->get_ref<const std::string&>();
    } else if (label->is_object()) {
      auto mine = label->find(std::string(locale_key(config.locale)));
      auto en = label->find("en");
      for (auto it = label->begin(); it != label->end(); ++it) {
        if (!it->is_string()) {
          detail = where + ".label: values must be strings";
          return Status::rule_invalid;
        }
      }
      if (mine != label->end()) {
        rule.label = mine->get_ref<const std::string&>();
      } else if (en != label->end()) {
        rule.label = en->get_ref<const std::string&>();
      }
    } else {
      detail = where + ".label: must be a string or an object of strings by locale";
      return Status::rule_invalid;
    }
    if (rule.label.empty() || rule.label.size() > 64) {
      detail = where + ".label: must be 1-64 bytes";
      return Status::rule_invalid;
    }
  }
  if (auto ks = item.find("keepStart"); ks != item.end() && !parse_small_int(*ks, 32, rule.keep_start)) {
    detail = where + ".keepStart: must be an integer 0-32";
    return Status::rule_invalid;
  }
  if (auto ke = item.find("keepEnd"); ke != item.end() && !parse_small_int(*ke, 32, rule.keep_end)) {
    detail = where + ".keepEnd: must be an integer 0-32";
    return Status::rule_invalid;
  }
  return Status::ok;
}

}  // namespace

Status parse_config(std::string_view text, MaskerConfig& out, std::string& detail) {
  out = MaskerConfig{};
  out.styles.fill(Style::label);
  out.enabled.set();
  if (text.empty()) return Status::ok;
  const json root = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    detail = "config is not a JSON object";
    return Status::invalid_argument;
  }
  for (auto it = root.begin(); it != root.end(); ++it) {
    const std::string& key = it.key();
    if (key != "locale" && key != "style" && key != "styles" && key != "entities" && key != "pseudonymKey" &&
        key != "revealKey" && key != "rules") {
      detail = "unknown key \"" + key + "\"";
      return Status::invalid_argument;
    }
  }
  if (auto locale = root.find("locale"); locale != root.end()) {
    const auto parsed = locale->is_string() ? locale_from_name(locale->get_ref<const std::string&>()) : std::nullopt;
    if (!parsed) {
      detail = "locale: must be zh-CN, zh-TW or en";
      return Status::invalid_argument;
    }
    out.locale = *parsed;
  }
  Style default_style = Style::label;
  if (auto style = root.find("style"); style != root.end() && !parse_style(*style, default_style)) {
    detail = "style: must be label, partial, pseudonym or sealed";
    return Status::invalid_argument;
  }
  out.styles.fill(default_style);
  if (auto styles = root.find("styles"); styles != root.end()) {
    if (!styles->is_object()) {
      detail = "styles: must be an object";
      return Status::invalid_argument;
    }
    for (auto it = styles->begin(); it != styles->end(); ++it) {
      const auto entity = entity_from_name(it.key());
      if (!entity) {
        detail = "styles: unknown entity \"" + it.key() + "\"";
        return Status::invalid_argument;
      }
      if (!parse_style(it.value(), out.styles[static_cast<size_t>(*entity)])) {
        detail = "styles." + it.key() + ": must be label, partial, pseudonym or sealed";
        return Status::invalid_argument;
      }
    }
  }
  if (auto entities = root.find("entities"); entities != root.end()) {
    if (!entities->is_object()) {
      detail = "entities: must be an object";
      return Status::invalid_argument;
    }
    for (auto it = entities->begin(); it != entities->end(); ++it) {
      const auto entity = entity_from_name(it.key());
      if (!entity || !it.value().is_boolean()) {
        detail = "entities: \"" + it.key() + "\" must be a built-in entity set to true or false";
        return Status::invalid_argument;
      }
      out.enabled.set(static_cast<size_t>(*entity), it.value().get<bool>());
    }
  }
  if (auto key = root.find("pseudonymKey"); key != root.end()) {
    if (!parse_hex32(*key, out.pseudonym_key)) {
      detail = "pseudonymKey: must be 64 hex digits";
      return Status::invalid_argument;
    }
    out.has_pseudonym_key = true;
  }
  if (auto key = root.find("revealKey"); key != root.end()) {
    if (!parse_hex32(*key, out.reveal_key)) {
      detail = "revealKey: must be 64 hex digits (an X25519 public key)";
      return Status::invalid_argument;
    }
    out.has_reveal_key = true;
  }
  if (auto rules = root.find("rules"); rules != root.end()) {
    if (!rules->is_array() || rules->size() > 32) {
      detail = "rules: must be an array of at most 32 rules";
      return Status::rule_invalid;
    }
    for (size_t i = 0; i < rules->size(); ++i) {
      Rule rule;
      if (Status s = parse_rule((*rules)[i], i, out, default_style, rule, detail); s != Status::ok) return s;
      out.rules.push_back(std::move(rule));
    }
  }
  bool sealed = false;
  for (size_t i = 0; i < kEntityCount; ++i) sealed |= out.enabled.test(i) && out.styles[i] == Style::sealed;
  for (const Rule& rule : out.rules) sealed |= rule.style == Style::sealed;
  if (sealed && !out.has_reveal_key) {
    detail = "revealKey: required when a style is \"sealed\"";
    return Status::invalid_argument;
  }
  return Status::ok;
}

bool validate(Validator validator, std::string_view s) {
  switch (validator) {
    case Validator::none: return true;
    case Validator::luhn: {
      // Luhn covers the digits only: a prefix like "GC" in "GC4111…" is not part of it.
      std::string digits;
      for (char c : s) {
        if (c >= '0' && c <= '9') digits.push_back(c);
      }
      return luhn_valid(digits);
    }
    case Validator::mod97: return iban_mod97_valid(s);
    case Validator::mod11_2: return iso7064_mod11_2_valid(s);
    case Validator::cn_id: return cn_id18_valid(s) || cn_id15_valid(s);
    case Validator::uscc: return uscc_valid(s);
    case Validator::iban: return iban_valid(s);
  }
  return false;
}

}  // namespace sealdesk::pii::detail
