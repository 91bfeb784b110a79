// Locale texts: the shipped locales are complete, a missing key falls back to en and is
// reported (never shown raw), tags resolve to the closest locale, and the notice hash pins the
// exact texts shown.
#include "sdk/consent/locale.h"

#include <gtest/gtest.h>

#include "tests/native/consent_test_support.h"

namespace sealdesk::consent {
namespace {

using nlohmann::json;
using testing::default_locales;

Policy default_parsed_policy() {
  auto policy = parse_policy(testing::default_policy_text());
  EXPECT_TRUE(policy.ok());
  return std::move(policy).value();
}

LocaleCatalog catalog_of(const std::vector<LocaleSource>& sources) {
  auto catalog = LocaleCatalog::create(sources, default_parsed_policy());
  EXPECT_TRUE(catalog.ok()) << catalog.error().detail;
  return std::move(catalog).value();
}

std::string without(const std::string& locale_text, const std::string& group, const std::string& key) {
  json doc = testing::parse(locale_text);
  doc["texts"][group].erase(key);
  return doc.dump();
}

TEST(ConsentLocale, ShippedLocalesAreCompleteForTheDefaultPolicy) {
  const LocaleCatalog catalog = catalog_of(default_locales());
  for (const char* tag : {"en", "zh-CN", "zh-TW"}) {
    const LocalizedTexts texts = catalog.resolve(tag);
    EXPECT_EQ(texts.locale, tag);
    EXPECT_TRUE(texts.missing.empty()) << tag << " lacks " << texts.missing.front();
    for (const auto& [key, value] : texts.texts) EXPECT_FALSE(value.empty()) << tag << " " << key;
  }
  EXPECT_EQ(catalog.resolve("zh-CN").text("purposes.chat.title"), "聊天");
  EXPECT_EQ(catalog.resolve("zh-TW").text("layer1.reject_all"), "全部拒絕");
  EXPECT_EQ(catalog.resolve("en").text("layer1.reject_all"), "Reject all");
}

TEST(ConsentLocale, MissingKeyFallsBackToEnglishAndIsReported) {
  auto sources = default_locales();
  sources[2].json_text = without(sources[2].json_text, "layer1", "reject_all");  // zh-TW
  const LocalizedTexts texts = catalog_of(sources).resolve("zh-TW");
  EXPECT_EQ(texts.locale, "zh-TW");
  EXPECT_EQ(texts.missing, std::vector<std::string>{"layer1.reject_all"});
  EXPECT_EQ(texts.text("layer1.reject_all"), "Reject all");  // never the raw key
  EXPECT_EQ(texts.text("layer1.accept_all"), "允許聊天");
}

TEST(ConsentLocale, EnglishIsRequiredAndMustHaveEveryKeyThePolicyNeeds) {
  auto sources = default_locales();
  sources.erase(sources.begin());
  auto no_en = LocaleCatalog::create(sources, default_parsed_policy());
  EXPECT_EQ(no_en.status(), Status::policy_invalid);
  EXPECT_EQ(no_en.error().detail, "locale en: is required (the fallback for every other locale)");

  auto partial = default_locales();
  json en = testing::parse(partial[0].json_text);
  en["texts"]["purposes"].erase("face_verification");
  partial[0].json_text = en.dump();
  auto incomplete = LocaleCatalog::create(partial, default_parsed_policy());
  EXPECT_EQ(incomplete.status(), Status::policy_invalid);
  EXPECT_EQ(incomplete.error().detail, "locale en: /texts/purposes/face_verification/title: is required");
}

TEST(ConsentLocale, MalformedLocalesAreTypedErrors) {
  auto sources = default_locales();
  sources[1].json_text = "{not json";
  EXPECT_EQ(LocaleCatalog::create(sources, default_parsed_policy()).status(), Status::policy_invalid_json);

  sources = default_locales();
  sources[1].tag = "zh-TW";  // the file says zh-CN
  auto mismatch = LocaleCatalog::create(sources, default_parsed_policy());
  EXPECT_EQ(mismatch.error().detail, "locale zh-TW: /locale: must be \"zh-TW\"");

  sources = default_locales();
  sources.push_back(sources[1]);
  EXPECT_EQ(LocaleCatalog::create(sources, default_parsed_policy()).error().detail, "locale zh-CN: given twice");

  sources = default_locales();
  json doc = testing::parse(sources[1].json_text);
  doc["texts"]["layer1"]["title"] = 42;
  sources[1].json_text = doc.dump();
  EXPECT_EQ(LocaleCatalog::create(sources, default_parsed_policy()).error().detail,
            "locale zh-CN: /texts/layer1/title: must be a string or an object");

  sources = default_locales();
  doc = testing::parse(sources[1].json_text);
  doc["locale"] = "en";
  sources[1].json_text = doc.dump();
  EXPECT_EQ(LocaleCatalog::create(sources, default_parsed_policy()).error().detail,
            "locale zh-CN: /locale: must be \"zh-CN\"");
}

TEST(ConsentLocale, TagsResolveToTheClosestLocale) {
  const LocaleCatalog catalog = catalog_of(default_locales());
  EXPECT_EQ(catalog.resolve("zh-cn").locale, "zh-CN");
  EXPECT_EQ(catalog.resolve("zh-Hant-HK").locale, "zh-TW");
  EXPECT_EQ(catalog.resolve("zh-HK").locale, "zh-TW");
  EXPECT_EQ(catalog.resolve("zh-Hans-SG").locale, "zh-CN");
  EXPECT_EQ(catalog.resolve("zh").locale, "zh-CN");
  EXPECT_EQ(catalog.resolve("en-GB").locale, "en");
  EXPECT_EQ(catalog.resolve("fr-FR").locale, "en");
  EXPECT_EQ(catalog.resolve("<script>").locale, "en");
  EXPECT_EQ(catalog.resolve("<script>").requested, "");
}

TEST(ConsentLocale, NoticeHashPinsTheExactTextsShown) {
  const LocaleCatalog catalog = catalog_of(default_locales());
  const std::string en = catalog.resolve("en").notice_hash;
  EXPECT_EQ(en.size(), 64u);
  EXPECT_EQ(catalog.resolve("en-US").notice_hash, en);  // same texts shown
  EXPECT_NE(catalog.resolve("zh-CN").notice_hash, en);
  EXPECT_NE(catalog.resolve("zh-TW").notice_hash, catalog.resolve("zh-CN").notice_hash);

  auto sources = default_locales();
  json doc = testing::parse(sources[0].json_text);
  doc["texts"]["layer1"]["body"] = doc["texts"]["layer1"]["body"].get<std::string>() + " ";
  sources[0].json_text = doc.dump();
  EXPECT_NE(catalog_of(sources).resolve("en").notice_hash, en);
}

}  // namespace
}  // namespace sealdesk::consent
