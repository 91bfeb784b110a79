#include "sdk/consent/locale.h"

#include <algorithm>
#include <cctype>
#include <functional>

#include <nlohmann/json.hpp>

#include "sdk/consent/canonical.h"

namespace sealdesk::consent {
namespace {

using nlohmann::json;

constexpr size_t kMaxDepth = 8;
constexpr size_t kMaxKeys = 4096;
constexpr const char* kPurposeTextFields[] = {"title", "summary", "details"};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_tag(std::string_view s) {
  if (s.empty() || s.size() > 35) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-'; });
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Flattens nested objects of strings into dotted keys. Returns the first violation.
std::optional<std::string> flatten(const json& node, const std::string& key, const std::string& pointer, size_t depth,
                                   std::map<std::string, std::string>& out) {
  if (node.is_string()) {
    const auto& s = node.get_ref<const std::string&>();
    if (s.empty()) return pointer + ": must not be empty";
    out[key] = s;
    return std::nullopt;
  }
  if (!node.is_object()) return pointer + ": must be a string or an object";
  if (depth > kMaxDepth) return pointer + ": nests too deeply";
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string& name = it.key();
    if (name.empty() || name.find('.') != std::string::npos || name.find('/') != std::string::npos ||
        name.find('~') != std::string::npos) {
      return pointer + "/" + name + ": key must be non-empty without '.', '/' or '~'";
    }
    if (auto e = flatten(it.value(), key.empty() ? name : key + "." + name, pointer + "/" + name, depth + 1, out)) {
      return e;
    }
    if (out.size() > kMaxKeys) return pointer + ": more than 4096 texts";
  }
  return std::nullopt;
}

std::string pointer_of(const std::string& dotted) {
  std::string p = "/texts/" + dotted;
  std::replace(p.begin(), p.end(), '.', '/');
  return p;
}

}  // namespace

const std::string& LocalizedTexts::text(std::string_view key) const {
  static const std::string kEmpty;
  const auto it = texts.find(std::string(key));
  return it == texts.end() ? kEmpty : it->second;
}

const std::vector<std::string>& LocaleCatalog::required_layer_keys() {
  static const std::vector<std::string> kKeys = {
      "layer1.title",     "layer1.body",        "layer1.accept_all",         "layer1.reject_all",
      "layer1.customize", "layer2.title",       "layer2.body",               "layer2.save",
      "layer2.required_label", "layer2.sensitive_label", "layer2.cross_border_label",
      "notice.title",     "notice.body",        "notice.controller_label",   "notice.dpo_label",
      "notice.rights",    "jit.title",          "jit.allow",                 "jit.deny",
      "guardian.title",   "guardian.body",      "guardian.confirm",          "gpc.notice"};
  return kKeys;
}

Result<LocaleCatalog> LocaleCatalog::create(const std::vector<LocaleSource>& sources, const Policy& policy) {
  LocaleCatalog catalog;
  for (const LocaleSource& source : sources) {
    const std::string where = "locale " + (is_tag(source.tag) ? source.tag : std::string("(invalid tag)")) + ": ";
    if (!is_tag(source.tag)) return Error{Status::policy_invalid, where + "tag must match ^[A-Za-z0-9-]{1,35}$"};
    if (source.json_text.size() > kMaxLocaleBytes) return Error{Status::too_large, where + "larger than 1 MiB"};
    if (catalog.find(source.tag) != nullptr) return Error{Status::policy_invalid, where + "given twice"};
    const json doc = json::parse(source.json_text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return Error{Status::policy_invalid_json, where + "not valid JSON"};
    if (!doc.is_object()) return Error{Status::policy_invalid, where + "(root): must be an object"};
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      if (it.key() != "locale" && it.key() != "texts" && it.key() != "$comment") {
        return Error{Status::policy_invalid, where + "/" + it.key() + ": is not allowed"};
      }
    }
    const auto tag = doc.find("locale");
    if (tag == doc.end()) return Error{Status::policy_invalid, where + "/locale: is required"};
    if (!tag->is_string() || lower(tag->get_ref<const std::string&>()) != lower(source.tag)) {
      return Error{Status::policy_invalid, where + "/locale: must be \"" + source.tag + "\""};
    }
    const auto texts = doc.find("texts");
    if (texts == doc.end()) return Error{Status::policy_invalid, where + "/texts: is required"};
    if (!texts->is_object()) return Error{Status::policy_invalid, where + "/texts: must be an object"};
    std::map<std::string, std::string> flat;
    if (auto e = flatten(*texts, "", "/texts", 0, flat)) return Error{Status::policy_invalid, where + *e};
    catalog.locales_.emplace_back(source.tag, std::move(flat));
  }

  if (sources.empty()) {  // no texts at all: receipts name purposes by id
    catalog.resolved_.push_back(catalog.build(std::string()));
    return catalog;
  }
  const auto* reference = catalog.find(kReferenceLocale);
  if (reference == nullptr) {
    return Error{Status::policy_invalid, "locale en: is required (the fallback for every other locale)"};
  }
  std::vector<std::string> required = required_layer_keys();
  for (const Purpose& purpose : policy.purposes) {
    for (const char* field : kPurposeTextFields) required.push_back("purposes." + purpose.id + "." + field);
  }
  for (const std::string& key : required) {
    if (reference->find(key) == reference->end()) {
      return Error{Status::policy_invalid, "locale en: " + pointer_of(key) + ": is required"};
    }
  }
  // Texts and notice hashes are fixed once loaded: resolve them once, not on every decision.
  for (const auto& entry : catalog.locales_) catalog.resolved_.push_back(catalog.build(entry.first));
  return catalog;
}

const std::map<std::string, std::string>* LocaleCatalog::find(std::string_view tag) const {
  const std::string wanted = lower(tag);
  for (const auto& [t, texts] : locales_) {
    if (lower(t) == wanted) return &texts;
  }
  return nullptr;
}

std::vector<std::string> LocaleCatalog::tags() const {
  std::vector<std::string> out;
  for (const auto& entry : locales_) out.push_back(entry.first);
  return out;
}

std::string LocaleCatalog::choose(std::string_view requested) const {
  const std::string req = lower(requested);
  auto have = [&](std::string_view tag) -> std::string {
    for (const auto& entry : locales_) {
      if (lower(entry.first) == lower(tag)) return entry.first;
    }
    return {};
  };
  if (!req.empty()) {
    if (std::string exact = have(req); !exact.empty()) return exact;
    const bool traditional = starts_with(req, "zh-hant") || starts_with(req, "zh-tw") || starts_with(req, "zh-hk") ||
                             starts_with(req, "zh-mo");
    if (req == "zh" || starts_with(req, "zh-")) {
      if (std::string zh = have(traditional ? "zh-TW" : "zh-CN"); !zh.empty()) return zh;
    }
    const std::string primary = req.substr(0, req.find('-'));
    for (const auto& entry : locales_) {
      const std::string t = lower(entry.first);
      if (t.substr(0, t.find('-')) == primary) return entry.first;
    }
  }
  return have(kReferenceLocale);
}

LocalizedTexts LocaleCatalog::build(const std::string& chosen) const {
  LocalizedTexts result;
  result.requested = chosen;
  result.locale = chosen;
  static const std::map<std::string, std::string> kNoTexts;
  const auto* reference_texts = find(kReferenceLocale);
  const auto& reference = reference_texts ? *reference_texts : kNoTexts;
  const auto& texts = reference_texts ? *find(chosen) : kNoTexts;
  for (const auto& [key, en_text] : reference) {
    const auto it = texts.find(key);
    if (it != texts.end()) {
      result.texts[key] = it->second;
    } else {
      result.texts[key] = en_text;
      result.missing.push_back(key);
    }
  }
  json shown = {{"locale", result.locale}, {"texts", result.texts}};
  auto canonical = canonical_json(shown);  // every string passed the JSON parser: valid UTF-8
  result.notice_hash = to_hex(blake2b_256(canonical.ok() ? canonical.value() : std::string()));
  return result;
}

const LocalizedTexts& LocaleCatalog::resolved(std::string_view requested) const {
  const std::string chosen = is_tag(requested) ? choose(requested) : choose(kReferenceLocale);
  for (const LocalizedTexts& texts : resolved_) {
    if (texts.locale == chosen) return texts;
  }
  return resolved_.front();  // no locales at all: the one empty entry
}

LocalizedTexts LocaleCatalog::resolve(std::string_view requested) const {
  LocalizedTexts result = resolved(requested);
  result.requested = is_tag(requested) ? std::string(requested) : std::string();
  return result;
}

std::string LocaleCatalog::purpose_reference_canonical(std::string_view purpose_id) const {
  const auto* reference = find(kReferenceLocale);
  json text = json::object();
  for (const char* field : kPurposeTextFields) {
    if (reference == nullptr) {
      text[field] = std::string();
      continue;
    }
    const auto it = reference->find("purposes." + std::string(purpose_id) + "." + field);
    text[field] = it == reference->end() ? std::string() : it->second;
  }
  auto canonical = canonical_json(text);
  return canonical.ok() ? canonical.value() : std::string("{}");
}

}  // namespace sealdesk::consent
