// Locale texts for the three layers of the notice (first layer, per-purpose details, full notice),
// from consent/locales/<tag>.json: {"locale": "<tag>", "texts": {nested objects of strings}}.
// Keys are dotted paths ("layer1.title", "purposes.chat.summary").
//
// "en" is the reference: when any locale is given, en must be among them and hold every key the
// policy needs. Any other locale may lack keys; resolve() fills them from en and lists them in
// `missing`, so a raw key is never shown. With no locales at all (an engine used without a UI)
// there are no texts, and receipts name purposes by their ids.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sdk/common/status.h"
#include "sdk/consent/policy.h"

namespace sealdesk::consent {

inline constexpr char kReferenceLocale[] = "en";
inline constexpr size_t kMaxLocaleBytes = 1 << 20;

struct LocaleSource {
  std::string tag;        // e.g. "zh-CN"; must equal the file's "locale"
  std::string json_text;
};

struct LocalizedTexts {
  std::string requested;  // the tag that was asked for
  std::string locale;     // the catalog locale used: requested, a close match, or "en" ("" without locales)
  std::map<std::string, std::string> texts;  // every reference key, resolved
  std::vector<std::string> missing;          // keys `locale` lacks, shown in en instead (sorted)
  std::string notice_hash;  // hex BLAKE2b-256 of canonical {"locale","texts"}: what was shown

  // The text for key; the empty string for a key the reference locale does not have either.
  const std::string& text(std::string_view key) const;
};

class LocaleCatalog {
 public:
  // Keys every reference catalog must have besides purposes.<id>.{title,summary,details}.
  static const std::vector<std::string>& required_layer_keys();

  // policy_invalid_json / policy_invalid (detail "locale <tag>: <pointer>: <rule>") / too_large.
  static Result<LocaleCatalog> create(const std::vector<LocaleSource>& sources, const Policy& policy);

  // Best match: exact tag (case-insensitive); Chinese script/region (zh-Hant, zh-HK, zh-MO ->
  // zh-TW; zh-Hans, zh-SG, zh -> zh-CN); same primary language; else en.
  LocalizedTexts resolve(std::string_view requested) const;
  // The same without the copy (its `requested` is the chosen locale).
  const LocalizedTexts& resolved(std::string_view requested) const;

  std::vector<std::string> tags() const;
  // The reference texts of a purpose as canonical JSON {"details","summary","title"}.
  std::string purpose_reference_canonical(std::string_view purpose_id) const;

 private:
  const std::map<std::string, std::string>* find(std::string_view tag) const;
  std::string choose(std::string_view requested) const;  // a loaded tag, or "" without locales
  LocalizedTexts build(const std::string& chosen) const;
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> locales_;
  std::vector<LocalizedTexts> resolved_;  // one per locale (one empty entry without locales)
};

}  // namespace sealdesk::consent
