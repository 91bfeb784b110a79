// Consent engine transitions: grant, deny/revoke, dependencies, separate consent, minors,
// Global Privacy Control, expiry, the just-in-time plan and the change events.
#include "sdk/consent/engine.h"
#include "sdk/consent/json_api.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/native/consent_test_support.h"

namespace sealdesk::consent {
namespace {

using nlohmann::json;
using testing::kDay;
using testing::kHour;
using testing::kT0;
using testing::make_engine;
using Ids = std::vector<std::string>;

Changes ok(Result<Changes> r) {
  EXPECT_TRUE(r.ok()) << status_name(r.status()) << ": " << r.error().detail;
  return r.ok() ? r.value() : Changes{};
}

json last_receipt(const ConsentEngine& engine) {
  EXPECT_FALSE(engine.ledger().empty());
  return testing::parse(engine.ledger().back().receipt_canonical);
}

json receipt_purpose(const json& receipt, const std::string& id) {
  for (const json& p : receipt["services"][0]["purposes"]) {
    if (p["purposeId"] == id) return p;
  }
  return json();
}

TEST(ConsentEngine, StartsUnsetWithNothingAllowed) {
  ConsentEngine engine = make_engine();
  for (const PurposeStatus& p : engine.snapshot(kT0).purposes) EXPECT_EQ(p.state, PurposeState::unset) << p.purpose;
  EXPECT_EQ(engine.allows("chat", kT0), Status::consent_required);
  EXPECT_EQ(engine.allows_capability("session.connect", kT0), Status::consent_required);
  EXPECT_EQ(engine.allows("nope", kT0), Status::unknown_purpose);
  EXPECT_EQ(engine.allows_capability("teleport", kT0), Status::not_found);
  EXPECT_TRUE(engine.ledger().empty());
}

TEST(ConsentEngine, GrantAllowsAndRecordsTimeVersionAndReason) {
  ConsentEngine engine = make_engine();
  const Changes changes = ok(engine.grant({"routing", "chat"}, kT0));
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0], (Change{"routing", PurposeState::unset, PurposeState::granted, Reason::user}));
  EXPECT_EQ(changes[1], (Change{"chat", PurposeState::unset, PurposeState::granted, Reason::user}));
  EXPECT_EQ(engine.allows("chat", kT0), Status::ok);
  EXPECT_EQ(engine.allows_capability("chat.send", kT0), Status::ok);
  const Snapshot s = engine.snapshot(kT0);
  const PurposeStatus& chat = s.purposes[1];
  EXPECT_EQ(chat.purpose, "chat");
  EXPECT_EQ(chat.decision.decided_at_ms, kT0);
  EXPECT_EQ(chat.decision.policy_version, "2025.1");
  EXPECT_EQ(chat.decision.reason, Reason::user);
  EXPECT_EQ(chat.expires_at_ms, kT0 + 180 * kDay);
  EXPECT_EQ(engine.ledger().size(), 1u);
}

TEST(ConsentEngine, GrantOfAnUnknownPurposeFailsAndChangesNothing) {
  ConsentEngine engine = make_engine();
  auto r = engine.grant({"routing", "telepathy"}, kT0);
  EXPECT_EQ(r.status(), Status::unknown_purpose);
  EXPECT_EQ(r.error().detail, "\"telepathy\" is not a purpose of policy sealdesk-default");
  EXPECT_EQ(engine.state_of("routing", kT0), PurposeState::unset);
  EXPECT_TRUE(engine.ledger().empty());
  // An id that is not printable is not echoed into the error.
  EXPECT_EQ(engine.grant({std::string("\xFF\x01", 2)}, kT0).error().detail,
            "a purpose id that is not in policy sealdesk-default");
}

TEST(ConsentEngine, GrantWithoutItsDependencyFailsWithAReason) {
  ConsentEngine engine = make_engine();
  auto r = engine.grant({"chat"}, kT0);
  EXPECT_EQ(r.status(), Status::dependency_missing);
  EXPECT_EQ(r.error().detail, "chat needs routing");
  EXPECT_TRUE(engine.ledger().empty());
  // Order inside one call does not matter.
  ok(engine.grant({"chat", "routing"}, kT0));
  EXPECT_EQ(engine.allows("chat", kT0), Status::ok);
}

TEST(ConsentEngine, RecordingWithoutVideoOrVoiceFails) {
  ConsentEngine engine = make_engine();
  ok(engine.grant({"routing"}, kT0));
  auto r = engine.grant({"recording"}, kT0);
  EXPECT_EQ(r.status(), Status::dependency_missing);
  EXPECT_EQ(r.error().detail, "recording needs one of: voice, video");
  ok(engine.grant({"voice", "recording"}, kT0));
  EXPECT_EQ(engine.allows("recording", kT0), Status::ok);
}

TEST(ConsentEngine, RevokeVideoAlsoRevokesRecording) {
  ConsentEngine engine = make_engine();
  ok(engine.grant({"routing", "voice", "video", "recording"}, kT0));
  ok(engine.grant({"face_verification"}, kT0));
  const Changes changes = ok(engine.revoke({"video"}, kT0 + 1000));
  // Recording was consented to in the context of the video call: withdrawing the camera
  // withdraws it too, even though voice alone would satisfy its dependency.
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0], (Change{"video", PurposeState::granted, PurposeState::denied, Reason::user}));
  EXPECT_EQ(changes[1], (Change{"recording", PurposeState::granted, PurposeState::denied, Reason::dependency_revoked}));
  EXPECT_EQ(changes[2],
            (Change{"face_verification", PurposeState::granted, PurposeState::denied, Reason::dependency_revoked}));
  for (const Change& c : changes) EXPECT_TRUE(c.revokes());
  EXPECT_EQ(engine.allows("voice", kT0 + 1000), Status::ok);
  EXPECT_EQ(engine.allows("recording", kT0 + 1000), Status::consent_required);
  const json receipt = last_receipt(engine);
  EXPECT_EQ(receipt["action"], "deny");
  EXPECT_EQ(receipt_purpose(receipt, "recording")["reason"], "dependency_revoked");
  EXPECT_EQ(receipt_purpose(receipt, "recording")["consentState"], "denied");
}

TEST(ConsentEngine, RevokingRoutingWithdrawsEverythingThatDependsOnIt) {
  ConsentEngine engine = make_engine();
  ok(engine.grant({"routing", "chat", "attachments", "voice"}, kT0));
  ok(engine.grant({"pii_reveal"}, kT0));
  const Changes changes = ok(engine.revoke({"routing"}, kT0));
  EXPECT_EQ(changes.size(), 5u);
  for (const char* id : {"routing", "chat", "attachments", "voice", "pii_reveal"}) {
    EXPECT_EQ(engine.state_of(id, kT0), PurposeState::denied) << id;
  }
  // Unset purposes stay unset: nobody was asked about them.
  EXPECT_EQ(engine.state_of("video", kT0), PurposeState::unset);
}

TEST(ConsentEngine, RejectAllIsOneCallLikeAcceptAll) {
  ConsentEngine engine = make_engine();
  Ids optional;
  for (const Purpose& p : engine.policy().purposes) {
    if (!p.required) optional.push_back(p.id);
  }
  const Changes changes = ok(engine.deny(optional, kT0));
  EXPECT_EQ(changes.size(), optional.size());
  EXPECT_EQ(engine.ledger().size(), 1u);
  for (const std::string& id : optional) EXPECT_EQ(engine.state_of(id, kT0), PurposeState::denied) << id;
  // A denial can be reversed by asking again.
  ok(engine.grant({"routing", "chat"}, kT0 + 1));
  EXPECT_EQ(engine.allows("chat", kT0 + 1), Status::ok);
}

TEST(ConsentEngine, RegrantRenewsTheDecisionWithAReceiptButNoChange) {
  ConsentEngine engine = make_engine();
  ok(engine.grant({"routing"}, kT0));
  EXPECT_TRUE(ok(engine.grant({"routing"}, kT0 + kDay)).empty());
  EXPECT_EQ(engine.ledger().size(), 2u);
  EXPECT_EQ(engine.snapshot(kT0).purposes[0].decision.decided_at_ms, kT0 + kDay);
}

TEST(ConsentEngine, RequiredPurposeCannotBeDeniedWhileTheSessionRuns) {
  ConsentEngine engine = make_engine();
  ok(engine.grant({"routing", "chat"}, kT0));
  engine.set_session_active(true);
  auto r = engine.deny({"routing"}, kT0);
  EXPECT_EQ(r.status(), Status::purpose_required);
  EXPECT_EQ(engine.state_of("routing", kT0), PurposeState::granted);
  EXPECT_EQ(engine.state_of("chat", kT0), PurposeState::granted);
  ok(engine.deny({"chat"}, kT0));  // optional purposes stay revocable at any moment
  engine.set_session_active(false);
  ok(engine.deny({"routing"}, kT0));
  EXPECT_EQ(engine.state_of("routing", kT0), PurposeState::denied);
}

TEST(ConsentEngine, SensitivePurposeNeedsItsOwnSeparateGrant) {
  ConsentEngine engine = make_engine();
  auto bundled = engine.grant({"routing", "video", "face_verification"}, kT0);
  EXPECT_EQ(bundled.status(), Status::separate_consent_required);
  EXPECT_EQ(bundled.error().detail, "face_verification is sensitive personal information (PIPL Art. 29): grant it alone");
  ok(engine.grant({"routing", "video"}, kT0));
  ok(engine.grant({"face_verification"}, kT0));
  const json receipt = last_receipt(engine);
  EXPECT_EQ(receipt["sensitive"], true);
  EXPECT_EQ(receipt["spiCat"], json::array({"biometric"}));
  EXPECT_EQ(receipt_purpose(receipt, "face_verification")["sensitive"], true);
}

TEST(ConsentEngine, CrossBorderPurposeNeedsItsOwnSeparateGrant) {
  ConsentEngine engine = make_engine();
  ok(engine.grant({"routing", "chat"}, kT0));
  auto bundled = engine.grant({"voice", "transcription"}, kT0);
  EXPECT_EQ(bundled.status(), Status::separate_consent_required);
  EXPECT_EQ(bundled.error().detail, "transcription transfers data abroad (PIPL Art. 39): grant it alone");
  ok(engine.grant({"transcription"}, kT0));
  const json transfer = receipt_purpose(last_receipt(engine), "transcription")["crossBorderTransfer"];
  EXPECT_EQ(transfer["countries"], json::array({"SG"}));
  EXPECT_EQ(transfer["safeguard"], "standard_contract");
}

TEST(ConsentEngine, MinorNeedsAGuardianForEveryGrantButNotToDeny) {
  ConsentEngine engine = make_engine();
  EXPECT_TRUE(ok(engine.declare_age(12, kT0)).empty());
  auto alone = engine.grant({"routing"}, kT0);
  EXPECT_EQ(alone.status(), Status::guardian_required);
  EXPECT_EQ(alone.error().detail, "the person declared an age under 14");
  DecisionContext guardian;
  guardian.guardian_confirmed = true;
  ok(engine.grant({"routing", "chat"}, kT0, guardian));
  const json receipt = last_receipt(engine);
  EXPECT_EQ(receipt["principalIsMinor"], true);
  EXPECT_EQ(receipt_purpose(receipt, "chat")["guardianConfirmed"], true);
  EXPECT_FALSE(receipt.dump().find("\"12\"") != std::string::npos);  // the age itself is not recorded
  EXPECT_EQ(engine.allows("chat", kT0), Status::ok);
  ok(engine.deny({"chat"}, kT0));  // withdrawing never waits for a guardian
  EXPECT_EQ(engine.state_of("chat", kT0), PurposeState::denied);
}

TEST(ConsentEngine, DeclaringAMinorAgeResetsGrantsMadeWithoutAGuardian) {
  ConsentEngine engine = make_engine();
  ok(engine.grant({"routing", "chat"}, kT0));
  EXPECT_TRUE(ok(engine.declare_age(14, kT0)).empty());  // 14 is not under 14
  const Changes changes = ok(engine.declare_age(13, kT0 + 1));
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0], (Change{"routing", PurposeState::granted, PurposeState::unset, Reason::guardian_required}));
  EXPECT_EQ(changes[1], (Change{"chat", PurposeState::granted, PurposeState::unset, Reason::guardian_required}));
  EXPECT_EQ(last_receipt(engine)["action"], "guardian_required");
  EXPECT_EQ(engine.declare_age(-1, kT0).status(), Status::invalid_argument);
  EXPECT_EQ(engine.declare_age(151, kT0).status(), Status::invalid_argument);
}

TEST(ConsentEngine, MinorAgeThresholdComesFromThePolicy) {
  json policy = testing::default_policy();
  policy["minor_age"] = 16;  // e.g. GDPR Art. 8 in a member state that keeps 16
  ConsentEngine engine = make_engine(policy.dump());
  ok(engine.declare_age(15, kT0));
  EXPECT_EQ(engine.grant({"routing"}, kT0).status(), Status::guardian_required);
  ok(engine.declare_age(16, kT0));
  ok(engine.grant({"routing"}, kT0));
}

TEST(ConsentEngine, GlobalPrivacyControlDeniesAnalyticsWithoutAPrompt) {
  ConsentEngine engine = make_engine();
  ok(engine.grant({"routing", "analytics"}, kT0));
  const Changes changes = ok(engine.set_global_privacy_control(true, kT0 + 1));
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0], (Change{"analytics", PurposeState::granted, PurposeState::denied, Reason::gpc}));
  EXPECT_EQ(changes[1], (Change{"personalization", PurposeState::unset, PurposeState::denied, Reason::gpc}));
  EXPECT_EQ(changes[2], (Change{"model_training", PurposeState::unset, PurposeState::denied, Reason::gpc}));
  const json receipt = last_receipt(engine);
  EXPECT_EQ(receipt["globalPrivacyControl"], true);
  EXPECT_EQ(receipt["action"], "global_privacy_control");
  EXPECT_EQ(receipt_purpose(receipt, "analytics")["reason"], "global_privacy_control");
  EXPECT_EQ(engine.state_of("analytics", kT0 + 400 * kDay), PurposeState::denied);  // never "expired" under GPC
  auto again = engine.grant({"analytics"}, kT0 + 2);
  EXPECT_EQ(again.status(), Status::gpc_denied);
  EXPECT_EQ(engine.state_of("analytics", kT0 + 2), PurposeState::denied);
  // Reported again on the next page load: nothing new to record.
  EXPECT_TRUE(ok(engine.set_global_privacy_control(true, kT0 + 3)).empty());
  EXPECT_EQ(engine.ledger().size(), 2u);
}

TEST(ConsentEngine, ClearingGpcUnsetsItsDenialsButKeepsThePersonsOwn) {
  ConsentEngine engine = make_engine();
  ok(engine.grant({"routing"}, kT0));
  ok(engine.deny({"personalization"}, kT0));
  ok(engine.set_global_privacy_control(true, kT0));
  const Changes changes = ok(engine.set_global_privacy_control(false, kT0 + 1));
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0], (Change{"analytics", PurposeState::denied, PurposeState::unset, Reason::gpc_cleared}));
  EXPECT_EQ(changes[1], (Change{"model_training", PurposeState::denied, PurposeState::unset, Reason::gpc_cleared}));
  EXPECT_EQ(engine.state_of("personalization", kT0 + 1), PurposeState::denied);
  ok(engine.grant({"analytics"}, kT0 + 2));
}

// Issue 21: training on conversations is never part of another purpose's grant.
TEST(ConsentEngine, ModelTrainingStartsDeniedAndIsNotGrantedByGrantingChat) {
  ConsentEngine engine = make_engine();
  EXPECT_EQ(engine.state_of("model_training", kT0), PurposeState::unset);
  EXPECT_EQ(engine.allows("model_training", kT0), Status::consent_required);
  // What first-layer "Allow chat" grants (js/ui/widget.js firstLayerPurposes): routing and chat.
  DecisionContext first_layer;
  first_layer.collection_method = "first-layer";
  ok(engine.grant({"routing", "chat"}, kT0, first_layer));
  EXPECT_EQ(engine.allows("chat", kT0), Status::ok);
  EXPECT_EQ(engine.state_of("model_training", kT0), PurposeState::unset);
  EXPECT_EQ(engine.allows("model_training", kT0), Status::consent_required);
  EXPECT_TRUE(receipt_purpose(last_receipt(engine), "model_training").is_null());
  // Bundled with chat, it is refused and nothing changes.
  const size_t receipts = engine.ledger().size();
  auto bundled = engine.grant({"chat", "model_training"}, kT0 + 1);
  EXPECT_EQ(bundled.status(), Status::separate_consent_required);
  EXPECT_EQ(bundled.error().detail, "model_training is sensitive personal information (PIPL Art. 29): grant it alone");
  EXPECT_EQ(engine.ledger().size(), receipts);
  EXPECT_EQ(engine.state_of("model_training", kT0 + 1), PurposeState::unset);
}

TEST(ConsentEngine, NoBulkGrantIncludesModelTraining) {
  ConsentEngine engine = make_engine();
  // "Grant all" in one call is refused as a whole.
  Ids all;
  for (const Purpose& p : engine.policy().purposes) all.push_back(p.id);
  auto everything = engine.grant(all, kT0);
  EXPECT_EQ(everything.status(), Status::separate_consent_required);
  EXPECT_TRUE(engine.ledger().empty());
  EXPECT_EQ(engine.state_of("model_training", kT0), PurposeState::unset);
  // The largest bundle the engine accepts (every purpose that may be bundled, as layer 2's "save"
  // with every box on sends it) leaves model training unasked.
  Ids bundle;
  for (const Purpose& p : engine.policy().purposes) {
    if (!p.needs_separate_consent()) bundle.push_back(p.id);
  }
  EXPECT_EQ(std::find(bundle.begin(), bundle.end(), "model_training"), bundle.end());
  ok(engine.grant(bundle, kT0));
  EXPECT_EQ(engine.state_of("model_training", kT0), PurposeState::unset);
  EXPECT_EQ(engine.allows("model_training", kT0), Status::consent_required);
  // Granting the other separate purposes one by one does not reach it either.
  for (const char* id : {"pii_reveal", "transcription", "location", "face_verification"}) ok(engine.grant({id}, kT0));
  EXPECT_EQ(engine.allows("model_training", kT0), Status::consent_required);
  // Only its own decision grants it; withdrawing chat withdraws it.
  ok(engine.grant({"model_training"}, kT0));
  EXPECT_EQ(engine.allows("model_training", kT0), Status::ok);
  const Changes changes = ok(engine.revoke({"chat"}, kT0 + 1));
  EXPECT_NE(std::find(changes.begin(), changes.end(),
                      Change{"model_training", PurposeState::granted, PurposeState::denied, Reason::dependency_revoked}),
            changes.end());
}

TEST(ConsentEngine, JitPlanAsksModelTrainingAloneAfterChat) {
  ConsentEngine engine = make_engine();
  auto plan = engine.plan("model_training", kT0);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan.value().steps.size(), 2u);
  EXPECT_EQ(plan.value().steps[0].purposes, (Ids{"routing", "chat"}));
  EXPECT_FALSE(plan.value().steps[0].separate);
  EXPECT_EQ(plan.value().steps[1].purposes, (Ids{"model_training"}));
  EXPECT_TRUE(plan.value().steps[1].separate);
}

TEST(ConsentEngine, ModelTrainingStaysDeniedUnderGlobalPrivacyControl) {
  ConsentEngine engine = make_engine();
  ok(engine.grant({"routing", "chat"}, kT0));
  ok(engine.grant({"model_training"}, kT0));
  ok(engine.set_global_privacy_control(true, kT0 + 1));
  EXPECT_EQ(engine.state_of("model_training", kT0 + 1), PurposeState::denied);
  EXPECT_EQ(engine.snapshot(kT0 + 1).purposes[*engine.policy().index_of("model_training")].decision.reason, Reason::gpc);
  EXPECT_EQ(engine.allows("model_training", kT0 + 1), Status::consent_required);
  EXPECT_EQ(engine.allows("chat", kT0 + 1), Status::ok);  // chat itself is not a GPC opt-out
  auto again = engine.grant({"model_training"}, kT0 + 2);
  EXPECT_EQ(again.status(), Status::gpc_denied);
  EXPECT_EQ(again.error().detail, "model_training stays denied while Global Privacy Control is on");
  EXPECT_EQ(engine.state_of("model_training", kT0 + 400 * kDay), PurposeState::denied);  // never "expired" under GPC
  auto plan = engine.plan("model_training", kT0 + 2);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan.value().blocked.size(), 1u);
  EXPECT_EQ(plan.value().blocked[0].purpose, "model_training");
  EXPECT_EQ(plan.value().blocked[0].reason, Reason::gpc);
  EXPECT_TRUE(plan.value().steps.empty());
  // GPC cleared: back to unset (asked again), never back to granted.
  ok(engine.set_global_privacy_control(false, kT0 + 3));
  EXPECT_EQ(engine.state_of("model_training", kT0 + 3), PurposeState::unset);
  EXPECT_EQ(engine.allows("model_training", kT0 + 3), Status::consent_required);
}

TEST(ConsentEngine, ExpiredDecisionIsRefusedUntilAskedAgain) {
  ConsentEngine engine = make_engine();
  ok(engine.grant({"routing", "chat"}, kT0));
  const int64_t before = kT0 + 180 * kDay - 1;
  const int64_t after = kT0 + 180 * kDay;  // chat: validity P180D
  EXPECT_EQ(engine.allows("chat", before), Status::ok);
  EXPECT_TRUE(engine.refresh(before).empty());
  EXPECT_EQ(engine.allows("chat", after), Status::consent_expired);
  EXPECT_EQ(engine.allows_capability("chat.send", after), Status::consent_expired);
  EXPECT_EQ(engine.state_of("chat", after), PurposeState::expired);
  const Changes expired = engine.refresh(after);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0], (Change{"chat", PurposeState::granted, PurposeState::expired, Reason::expired}));
  EXPECT_TRUE(expired[0].revokes());
  EXPECT_TRUE(engine.refresh(after + 1).empty());  // reported once
  EXPECT_EQ(engine.ledger().size(), 1u);           // nobody decided: no receipt
  const Changes renewed = ok(engine.grant({"chat"}, after));
  ASSERT_EQ(renewed.size(), 1u);
  EXPECT_EQ(renewed[0].from, PurposeState::expired);
  EXPECT_EQ(engine.allows("chat", after), Status::ok);
}

TEST(ConsentEngine, ExpiredDependencyRefusesItsDependents) {
  ConsentEngine engine = make_engine();
  ok(engine.grant({"routing", "chat"}, kT0));
  ok(engine.grant({"pii_reveal"}, kT0 + 180 * kDay - kHour));  // valid 2 h, but chat expires first
  std::string why;
  EXPECT_EQ(engine.allows("pii_reveal", kT0 + 180 * kDay, &why), Status::consent_expired);
  EXPECT_EQ(why, "pii_reveal needs chat: chat is expired");
}

TEST(ConsentEngine, DenialsExpireTooSoThePersonIsAskedAgain) {
  ConsentEngine engine = make_engine();
  ok(engine.deny({"analytics"}, kT0));
  EXPECT_EQ(engine.state_of("analytics", kT0 + 180 * kDay), PurposeState::expired);
  auto plan = engine.plan("analytics.collect", kT0 + 180 * kDay);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan.value().steps.size(), 1u);
}

TEST(ConsentEngine, JitPlanForAVideoCallIsOneBundledStep) {
  ConsentEngine engine = make_engine();
  auto plan = engine.plan("call.video", kT0);
  ASSERT_TRUE(plan.ok());
  EXPECT_FALSE(plan.value().allowed);
  ASSERT_EQ(plan.value().steps.size(), 1u);
  EXPECT_EQ(plan.value().steps[0].purposes, (Ids{"routing", "voice", "video"}));
  EXPECT_FALSE(plan.value().steps[0].separate);
  ok(engine.grant({"routing", "voice"}, kT0));
  plan = engine.plan("call.video", kT0);
  EXPECT_EQ(plan.value().steps[0].purposes, (Ids{"video"}));
  ok(engine.grant({"video"}, kT0));
  plan = engine.plan("call.video", kT0);
  EXPECT_TRUE(plan.value().allowed);
  EXPECT_TRUE(plan.value().steps.empty());
}

TEST(ConsentEngine, JitPlanAsksSensitivePurposesSeparatelyAfterTheirDependencies) {
  ConsentEngine engine = make_engine();
  auto plan = engine.plan("identity.face_verify", kT0);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan.value().steps.size(), 2u);
  EXPECT_EQ(plan.value().steps[0].purposes, (Ids{"routing", "video"}));
  EXPECT_EQ(plan.value().steps[1].purposes, (Ids{"face_verification"}));
  EXPECT_TRUE(plan.value().steps[1].separate);
}

TEST(ConsentEngine, JitPlanOffersAChoiceWhenAnyOfIsUnmet) {
  ConsentEngine engine = make_engine();
  auto plan = engine.plan("recording", kT0);  // a purpose id works as a capability
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan.value().choices.size(), 1u);
  EXPECT_EQ(plan.value().choices[0].purpose, "recording");
  EXPECT_EQ(plan.value().choices[0].one_of, (Ids{"voice", "video"}));
  // call.record_voice names voice itself: no choice left.
  plan = engine.plan("call.record_voice", kT0);
  EXPECT_TRUE(plan.value().choices.empty());
  EXPECT_EQ(plan.value().steps[0].purposes, (Ids{"routing", "voice", "recording"}));
}

TEST(ConsentEngine, JitPlanMarksGpcBlocksAndGuardianSteps) {
  ConsentEngine engine = make_engine();
  ok(engine.set_global_privacy_control(true, kT0));
  ok(engine.declare_age(10, kT0));
  auto plan = engine.plan("analytics.collect", kT0);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan.value().blocked.size(), 1u);
  EXPECT_EQ(plan.value().blocked[0].purpose, "analytics");
  EXPECT_EQ(plan.value().blocked[0].reason, Reason::gpc);
  ASSERT_EQ(plan.value().steps.size(), 1u);
  EXPECT_EQ(plan.value().steps[0].purposes, (Ids{"routing"}));
  EXPECT_TRUE(plan.value().steps[0].guardian_required);
  EXPECT_EQ(engine.plan("teleport", kT0).status(), Status::not_found);
}

// Following the plan makes every capability of the default policy allowed.
TEST(ConsentEngine, FollowingThePlanAllowsEveryCapability) {
  const ConsentEngine probe = make_engine();
  for (const auto& [capability, needs] : probe.policy().capabilities) {
    ConsentEngine engine = make_engine();
    auto plan = engine.plan(capability, kT0);
    ASSERT_TRUE(plan.ok()) << capability;
    for (const PlanChoice& choice : plan.value().choices) ok(engine.grant({"routing", choice.one_of[0]}, kT0));
    plan = engine.plan(capability, kT0);
    for (const PlanStep& step : plan.value().steps) ok(engine.grant(step.purposes, kT0));
    EXPECT_EQ(engine.allows_capability(capability, kT0), Status::ok) << capability;
  }
}

TEST(ConsentEngine, BadArgumentsAreRejectedWithoutChanges) {
  ConsentEngine engine = make_engine();
  EXPECT_EQ(engine.grant({"routing"}, -1).status(), Status::invalid_argument);
  DecisionContext bad_method;
  bad_method.collection_method = "first layer <b>";
  EXPECT_EQ(engine.grant({"routing"}, kT0, bad_method).status(), Status::invalid_argument);
  DecisionContext bad_locale;
  bad_locale.locale = "";
  EXPECT_EQ(engine.deny({"routing"}, kT0, bad_locale).status(), Status::invalid_argument);
  EXPECT_EQ(engine.grant(Ids(257, "routing"), kT0).status(), Status::invalid_argument);
  EXPECT_TRUE(ok(engine.grant({}, kT0)).empty());
  EXPECT_TRUE(engine.ledger().empty());
  // Duplicates count once.
  EXPECT_EQ(ok(engine.grant({"routing", "routing"}, kT0)).size(), 1u);
}

TEST(ConsentEngine, ReceiptRecordsTheLocaleAndNoticeShown) {
  ConsentEngine engine = make_engine();
  DecisionContext ctx;
  ctx.locale = "zh-Hant-TW";
  ctx.collection_method = "first-layer";
  ok(engine.grant({"routing", "chat"}, kT0, ctx));
  const json receipt = last_receipt(engine);
  EXPECT_EQ(receipt["language"], "zh-TW");
  EXPECT_EQ(receipt["noticeLocale"], "zh-TW");
  EXPECT_EQ(receipt["noticeHash"], engine.texts("zh-TW").notice_hash);
  EXPECT_EQ(receipt["collectionMethod"], "first-layer");
  EXPECT_EQ(receipt_purpose(receipt, "chat")["purpose"], "聊天");
}

TEST(ConsentEngine, JsonFormsFollowThePublicContract) {
  ConsentEngine engine = make_engine();
  const Changes changes = ok(engine.grant({"routing", "chat"}, kT0));
  const json c = testing::parse(to_json(changes));
  EXPECT_EQ(c[1], json({{"purpose", "chat"}, {"from", "unset"}, {"to", "granted"}, {"reason", "user"}, {"revokes", false}}));
  const json s = testing::parse(to_json(engine.snapshot(kT0)));
  EXPECT_EQ(s["policyVersion"], "2025.1");
  EXPECT_EQ(s["purposes"]["chat"], "granted");
  EXPECT_EQ(s["purposes"]["video"], "unset");
  EXPECT_EQ(s["decisions"]["chat"]["decidedAt"], kT0);
  EXPECT_EQ(s["decisions"]["chat"]["expiresAt"], kT0 + 180 * kDay);
  EXPECT_TRUE(s["decisions"]["video"]["decidedAt"].is_null());
  const json p = testing::parse(to_json(engine.plan("call.video", kT0).value()));
  EXPECT_EQ(p["steps"][0]["purposes"], json::array({"voice", "video"}));
  const json t = testing::parse(to_json(engine.texts("zh-CN")));
  EXPECT_EQ(t["locale"], "zh-CN");
  EXPECT_EQ(t["texts"]["purposes.chat.title"], "聊天");
  EXPECT_TRUE(t["missing"].empty());
}

}  // namespace
}  // namespace sealdesk::consent
