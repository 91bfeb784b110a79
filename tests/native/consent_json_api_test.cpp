// JSON in and out of the engine, as the WASM bindings use it: inputs from JS are checked here
// (not in the bindings), and an engine without locale texts still works and signs receipts.
#include "sdk/consent/json_api.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "tests/native/consent_test_support.h"

namespace sealdesk::consent {
namespace {

using nlohmann::json;

TEST(ConsentJsonApi, PurposeListMustBeAnArrayOfStrings) {
  EXPECT_EQ(parse_purpose_list(R"(["chat","voice"])").value(), (std::vector<std::string>{"chat", "voice"}));
  EXPECT_TRUE(parse_purpose_list("[]").value().empty());
  for (const char* bad : {"", "chat", R"("chat")", R"({"chat":true})", R"(["chat",1])", "[null]", "[\"a\""}) {
    EXPECT_EQ(parse_purpose_list(bad).status(), Status::invalid_argument) << bad;
  }
  EXPECT_EQ(parse_purpose_list(json(std::vector<std::string>(257, "chat")).dump()).status(), Status::invalid_argument);
}

TEST(ConsentJsonApi, DecisionContextAcceptsOnlyItsMembers) {
  auto ctx = parse_decision_context(R"({"locale":"zh-TW","collectionMethod":"jit-prompt","guardianConfirmed":true})");
  ASSERT_TRUE(ctx.ok());
  EXPECT_EQ(ctx.value().locale, "zh-TW");
  EXPECT_EQ(ctx.value().collection_method, "jit-prompt");
  EXPECT_TRUE(ctx.value().guardian_confirmed);
  EXPECT_EQ(parse_decision_context("").value().locale, "en");
  EXPECT_EQ(parse_decision_context("{}").value().collection_method, "sdk");
  EXPECT_EQ(parse_decision_context(R"({"guardianConfirmed":"yes"})").error().detail,
            "context.guardianConfirmed has the wrong type");
  EXPECT_EQ(parse_decision_context(R"({"colour":"red"})").error().detail, "context has an unknown member");
  EXPECT_EQ(parse_decision_context("[]").status(), Status::invalid_argument);
}

TEST(ConsentJsonApi, LocaleBundleMapsTagsToLocaleFiles) {
  json bundle = json::object();
  for (const LocaleSource& s : testing::default_locales()) bundle[s.tag] = testing::parse(s.json_text);
  auto sources = parse_locale_bundle(bundle.dump());
  ASSERT_TRUE(sources.ok());
  ASSERT_EQ(sources.value().size(), 3u);
  auto engine = ConsentEngine::create(testing::default_policy_text(), sources.value(), testing::fixed_key());
  ASSERT_TRUE(engine.ok()) << engine.error().detail;
  // The bundle round trip does not change any purpose hash.
  ConsentEngine from_files = testing::make_engine();
  for (size_t i = 0; i < from_files.policy().purposes.size(); ++i) {
    EXPECT_EQ(engine.value().purpose_hash(i), from_files.purpose_hash(i));
  }
  EXPECT_EQ(parse_locale_bundle("{").status(), Status::policy_invalid_json);
  EXPECT_EQ(parse_locale_bundle("[]").status(), Status::policy_invalid);
}

TEST(ConsentJsonApi, TimestampsFromJsAreWholeNonNegativeSafeIntegers) {
  EXPECT_EQ(timestamp_from_js(0).value(), 0);
  EXPECT_EQ(timestamp_from_js(1'750'000'000'000.0).value(), 1'750'000'000'000);
  EXPECT_EQ(timestamp_from_js(9007199254740991.0).value(), 9007199254740991);
  for (double bad : {-1.0, 0.5, 9007199254740992.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    EXPECT_EQ(timestamp_from_js(bad).status(), Status::invalid_argument) << bad;
  }
}

TEST(ConsentJsonApi, LedgerJsonIsTheExactSignedBytes) {
  ConsentEngine engine = testing::make_engine();
  ASSERT_TRUE(engine.grant({"routing"}, testing::kT0).ok());
  const std::string ledger = ledger_to_json(engine.ledger());
  EXPECT_EQ(ledger, "[" + engine.ledger()[0].to_json() + "]");
  EXPECT_NE(ledger.find(engine.ledger()[0].receipt_canonical), std::string::npos);
  EXPECT_EQ(verify_ledger(ledger, engine.public_key()).value(), 1u);
}

TEST(ConsentJsonApi, EngineWithoutLocalesNamesPurposesById) {
  auto engine = ConsentEngine::create(testing::default_policy_text(), {}, testing::fixed_key());
  ASSERT_TRUE(engine.ok()) << engine.error().detail;
  ASSERT_TRUE(engine.value().grant({"routing", "chat"}, testing::kT0).ok());
  const json receipt = testing::parse(engine.value().ledger()[0].receipt_canonical);
  EXPECT_EQ(receipt["services"][0]["purposes"][1]["purpose"], "chat");
  const LocalizedTexts texts = engine.value().texts("zh-CN");
  EXPECT_TRUE(texts.texts.empty());
  EXPECT_TRUE(texts.missing.empty());
  EXPECT_EQ(verify_ledger(ledger_to_json(engine.value().ledger())).value(), 1u);
}

}  // namespace
}  // namespace sealdesk::consent
