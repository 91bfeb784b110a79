// Policy upgrades: only purposes whose hash (terms, controller, reference text) changed are
// asked again (PIPL Art. 14); everything else keeps its decision and the version it was made under.
#include <gtest/gtest.h>

#include "sdk/consent/engine.h"
#include "tests/native/consent_test_support.h"

namespace sealdesk::consent {
namespace {

using nlohmann::json;
using testing::default_locales;
using testing::kT0;
using testing::make_engine;
using testing::purpose_of;

Changes ok(Result<Changes> r) {
  EXPECT_TRUE(r.ok()) << status_name(r.status()) << ": " << r.error().detail;
  return r.ok() ? r.value() : Changes{};
}

ConsentEngine engine_with_decisions() {
  ConsentEngine engine = make_engine();
  ok(engine.grant({"routing", "chat", "voice", "video", "recording", "analytics"}, kT0));
  ok(engine.deny({"personalization"}, kT0));
  return engine;
}

json next_version() {
  json policy = testing::default_policy();
  policy["version"] = "2025.2";
  return policy;
}

TEST(ConsentUpgrade, OnlyChangedPurposesAreAskedAgain) {
  ConsentEngine engine = engine_with_decisions();
  json policy = next_version();
  purpose_of(policy, "voice")["retention"] = "P7D";
  const Changes changes = ok(engine.upgrade_policy(policy.dump(), default_locales(), kT0 + 1000));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0], (Change{"voice", PurposeState::granted, PurposeState::unset, Reason::policy_changed}));
  EXPECT_TRUE(changes[0].revokes());

  const Snapshot s = engine.snapshot(kT0 + 1000);
  EXPECT_EQ(s.policy_version, "2025.2");
  for (const PurposeStatus& p : s.purposes) {
    if (p.purpose == "voice") continue;
    const bool was_decided = p.decision.reason != Reason::none;
    if (was_decided) {
      EXPECT_EQ(p.decision.policy_version, "2025.1") << p.purpose << " keeps the version it was decided under";
    }
  }
  EXPECT_EQ(engine.state_of("chat", kT0 + 1000), PurposeState::granted);
  EXPECT_EQ(engine.state_of("personalization", kT0 + 1000), PurposeState::denied);
  // Recording is unchanged and still allowed through video.
  EXPECT_EQ(engine.allows("recording", kT0 + 1000), Status::ok);
  const json receipt = testing::parse(engine.ledger().back().receipt_canonical);
  EXPECT_EQ(receipt["action"], "policy_upgrade");
  EXPECT_EQ(receipt["policyVersion"], "2025.2");
  ASSERT_EQ(receipt["services"][0]["purposes"].size(), 1u);
  EXPECT_EQ(receipt["services"][0]["purposes"][0]["purposeId"], "voice");
  EXPECT_EQ(receipt["services"][0]["purposes"][0]["consentState"], "unset");
  // The plan asks for voice only.
  EXPECT_EQ(engine.plan("call.video", kT0 + 1000).value().steps[0].purposes, std::vector<std::string>{"voice"});
}

TEST(ConsentUpgrade, NewVersionWithSameTermsKeepsEverythingWithoutAReceipt) {
  ConsentEngine engine = engine_with_decisions();
  const size_t receipts = engine.ledger().size();
  json policy = next_version();
  policy["capabilities"]["chat.typing"] = json::array({"chat"});  // not part of any purpose's terms
  EXPECT_TRUE(ok(engine.upgrade_policy(policy.dump(4), default_locales(), kT0)).empty());
  EXPECT_EQ(engine.ledger().size(), receipts);
  EXPECT_EQ(engine.allows_capability("chat.typing", kT0), Status::ok);
}

TEST(ConsentUpgrade, ChangedEnglishTextIsAChangedNotice) {
  ConsentEngine engine = engine_with_decisions();
  auto locales = default_locales();
  json en = testing::parse(locales[0].json_text);
  en["texts"]["purposes"]["chat"]["details"] = "Your messages are kept for 90 days.";
  locales[0].json_text = en.dump();
  const Changes changes = ok(engine.upgrade_policy(next_version().dump(), locales, kT0));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].purpose, "chat");
}

TEST(ConsentUpgrade, TranslationFixesDoNotReAsk) {
  ConsentEngine engine = engine_with_decisions();
  auto locales = default_locales();
  json zh = testing::parse(locales[1].json_text);
  zh["texts"]["purposes"]["chat"]["details"] = "修正了错别字。";
  locales[1].json_text = zh.dump();
  EXPECT_TRUE(ok(engine.upgrade_policy(next_version().dump(), locales, kT0)).empty());
}

TEST(ConsentUpgrade, NewControllerReAsksEveryDecidedPurpose) {
  ConsentEngine engine = engine_with_decisions();
  json policy = next_version();
  policy["controller"]["name"] = "Other Shop Ltd.";
  const Changes changes = ok(engine.upgrade_policy(policy.dump(), default_locales(), kT0));
  EXPECT_EQ(changes.size(), 7u);  // 6 granted + 1 denied
  for (const Change& c : changes) EXPECT_EQ(c.to, PurposeState::unset);
}

TEST(ConsentUpgrade, RemovedPurposeIsDroppedAndReportedAddedOneStartsUnset) {
  ConsentEngine engine = engine_with_decisions();
  json policy = next_version();
  json& purposes = policy["purposes"];
  for (size_t i = 0; i < purposes.size(); ++i) {
    if (purposes[i]["id"] == "analytics") {
      purposes.erase(i);
      break;
    }
  }
  policy["capabilities"].erase("analytics.collect");
  json coupons = purpose_of(policy, "personalization");
  coupons["id"] = "coupons";
  purposes.push_back(coupons);
  auto locales = default_locales();
  for (auto& locale : locales) {
    json doc = testing::parse(locale.json_text);
    doc["texts"]["purposes"]["coupons"] = {{"title", "Coupons"}, {"summary", "Coupons"}, {"details", "Coupons"}};
    locale.json_text = doc.dump();
  }
  const Changes changes = ok(engine.upgrade_policy(policy.dump(), locales, kT0));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0], (Change{"analytics", PurposeState::granted, PurposeState::unset, Reason::purpose_removed}));
  EXPECT_EQ(engine.state_of("coupons", kT0), PurposeState::unset);
  EXPECT_EQ(engine.allows("analytics", kT0), Status::unknown_purpose);
}

TEST(ConsentUpgrade, InvalidNewPolicyChangesNothing) {
  ConsentEngine engine = engine_with_decisions();
  const size_t receipts = engine.ledger().size();
  json policy = next_version();
  purpose_of(policy, "voice")["retention"] = "three days";
  auto r = engine.upgrade_policy(policy.dump(), default_locales(), kT0);
  EXPECT_EQ(r.status(), Status::policy_invalid);
  EXPECT_EQ(r.error().detail, "/purposes/3/retention: must be an ISO 8601 duration");
  EXPECT_EQ(engine.policy().version, "2025.1");
  EXPECT_EQ(engine.state_of("voice", kT0), PurposeState::granted);
  EXPECT_EQ(engine.ledger().size(), receipts);
  EXPECT_EQ(engine.upgrade_policy("{", default_locales(), kT0).status(), Status::policy_invalid_json);
}

TEST(ConsentUpgrade, UpgradeUnderGpcDeniesNewlyOptedOutPurposes) {
  ConsentEngine engine = engine_with_decisions();
  ok(engine.set_global_privacy_control(true, kT0));
  json policy = next_version();
  purpose_of(policy, "attachments")["gpc_opt_out"] = true;
  const Changes changes = ok(engine.upgrade_policy(policy.dump(), default_locales(), kT0));
  // attachments was never decided; under the new terms GPC denies it without a prompt.
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0], (Change{"attachments", PurposeState::unset, PurposeState::denied, Reason::gpc}));
  EXPECT_EQ(engine.state_of("attachments", kT0), PurposeState::denied);
}

TEST(ConsentUpgrade, LowerMinorAgeThresholdAppliesToTheDeclaredAge) {
  ConsentEngine engine = make_engine();
  ok(engine.declare_age(15, kT0));
  ok(engine.grant({"routing"}, kT0));
  json policy = next_version();
  policy["minor_age"] = 16;
  const Changes changes = ok(engine.upgrade_policy(policy.dump(), default_locales(), kT0));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0], (Change{"routing", PurposeState::granted, PurposeState::unset, Reason::guardian_required}));
}

}  // namespace
}  // namespace sealdesk::consent
