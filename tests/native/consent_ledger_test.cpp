// Receipts and the ledger: Kantara CR v1.1 shape, canonical bytes, Ed25519 signatures that an
// independent implementation (Node's crypto) verifies, the BLAKE2b chain, and every way to
// tamper with a ledger or a stored state: edited, dropped, reordered, re-signed, cut off.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "sdk/consent/canonical.h"
#include "sdk/consent/engine.h"
#include "sdk/consent/json_api.h"
#include "tests/native/consent_test_support.h"

namespace sealdesk::consent {
namespace {

using nlohmann::json;
using testing::kT0;
using testing::make_engine;

Changes ok(Result<Changes> r) {
  EXPECT_TRUE(r.ok()) << status_name(r.status()) << ": " << r.error().detail;
  return r.ok() ? r.value() : Changes{};
}

// A short history: grant, a separate sensitive grant, a revoke, GPC.
ConsentEngine engine_with_history(uint8_t key_fill = 7) {
  ConsentEngine engine = make_engine(testing::default_policy_text(), key_fill);
  DecisionContext ctx;
  ctx.locale = "zh-CN";
  ctx.collection_method = "first-layer";
  ok(engine.grant({"routing", "chat", "video"}, kT0, ctx));
  ctx.collection_method = "jit-prompt";
  ok(engine.grant({"face_verification"}, kT0 + 1000, ctx));
  ctx.collection_method = "privacy-dashboard";
  ok(engine.revoke({"video"}, kT0 + 2000, ctx));
  ok(engine.set_global_privacy_control(true, kT0 + 3000, ctx));
  return engine;
}

json ledger_of(const ConsentEngine& engine) { return testing::parse(engine.export_store())["ledger"]; }

Status verify(const json& ledger, const ConsentEngine& engine) {
  return verify_ledger(ledger.dump(), engine.public_key()).status();
}

TEST(ConsentLedger, EveryStateChangeAppendsOneVerifiableReceipt) {
  const ConsentEngine engine = engine_with_history();
  ASSERT_EQ(engine.ledger().size(), 4u);
  auto count = verify_ledger(ledger_of(engine).dump(), engine.public_key());
  ASSERT_TRUE(count.ok()) << count.error().detail;
  EXPECT_EQ(count.value(), 4u);
  // The same without a pinned key (the site's first contact).
  EXPECT_TRUE(verify_ledger(ledger_of(engine).dump()).ok());
}

TEST(ConsentLedger, ReceiptFollowsKantaraConsentReceiptV11) {
  const ConsentEngine engine = engine_with_history();
  const json r = testing::parse(engine.ledger()[0].receipt_canonical);
  EXPECT_EQ(r["version"], "KI-CR-v1.1.0");
  EXPECT_EQ(r["jurisdiction"], "CN");
  EXPECT_EQ(r["consentTimestamp"], kT0 / 1000);  // Unix seconds, as the specification says
  EXPECT_EQ(r["consentTimestampMs"], kT0);
  EXPECT_EQ(r["collectionMethod"], "first-layer");
  const std::string id = r["consentReceiptID"];
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '8');  // UUID version 8 (RFC 9562 §5.8)
  EXPECT_EQ(r["language"], "zh-CN");
  EXPECT_EQ(r["policyUrl"], "https://shop.example/privacy");
  const json& controller = r["piiControllers"][0];
  EXPECT_EQ(controller["piiController"], "Example Shop Ltd.");
  EXPECT_EQ(controller["contact"], "Privacy Office");
  EXPECT_EQ(controller["dataProtectionOfficer"]["contact"], "dpo@shop.example");
  EXPECT_EQ(r["services"][0]["service"], "SealDesk customer service");
  const json& routing = r["services"][0]["purposes"][0];
  EXPECT_EQ(routing["purposeId"], "routing");
  EXPECT_EQ(routing["purpose"], "客服会话");
  EXPECT_EQ(routing["purposeCategory"], json::array({"Core Function"}));
  EXPECT_EQ(routing["consentType"], "EXPLICIT");
  EXPECT_EQ(routing["piiCategory"], json::array({"online_identifier", "session_metadata"}));
  EXPECT_EQ(routing["primaryPurpose"], true);
  EXPECT_EQ(routing["thirdPartyDisclosure"], true);
  EXPECT_EQ(routing["thirdPartyName"], "SealDesk relay operator");
  EXPECT_EQ(routing["termination"], "revocable at any time from the privacy dashboard; asked again after P365D");
  EXPECT_EQ(routing["consentState"], "granted");
  EXPECT_EQ(routing["purposeHash"], engine.purpose_hash(0));
  EXPECT_EQ(r["sensitive"], false);
  EXPECT_EQ(r["spiCat"], json::array());
  EXPECT_EQ(r["policyId"], "sealdesk-default");
  EXPECT_EQ(r["policyVersion"], "2025.1");
  EXPECT_EQ(r["noticeHash"], engine.texts("zh-CN").notice_hash);
  EXPECT_EQ(r["receiptSequence"], 0);
  EXPECT_TRUE(r["previousReceiptHash"].is_null());
  EXPECT_EQ(testing::parse(engine.ledger()[1].receipt_canonical)["previousReceiptHash"], engine.ledger()[0].hash);
}

TEST(ConsentLedger, PrincipalIsPseudonymousAndBoundToTheKey) {
  const ConsentEngine engine = engine_with_history();
  const json r = testing::parse(engine.ledger()[0].receipt_canonical);
  const std::string principal = r["piiPrincipalId"];
  EXPECT_EQ(principal, engine.principal());
  EXPECT_EQ(principal.rfind("urn:sealdesk:principal:", 0), 0u);
  EXPECT_EQ(principal.size(), std::string("urn:sealdesk:principal:").size() + 32);
  EXPECT_EQ(r["publicKey"], base64url_encode(engine.public_key()));
  EXPECT_NE(make_engine(testing::default_policy_text(), 9).principal(), principal);
}

TEST(ConsentLedger, ReceiptsAreCanonicalAndDeterministic) {
  const ConsentEngine a = engine_with_history();
  const ConsentEngine b = engine_with_history();
  EXPECT_EQ(a.export_store(), b.export_store());  // same key, same decisions, same time: same bytes
  for (const LedgerEntry& entry : a.ledger()) {
    auto again = canonical_json(testing::parse(entry.receipt_canonical));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again.value(), entry.receipt_canonical);
    EXPECT_EQ(entry.hash, to_hex(blake2b_256(entry.receipt_canonical)));
  }
}

TEST(ConsentLedger, EditedReceiptFailsItsSignature) {
  const ConsentEngine engine = engine_with_history();
  json ledger = ledger_of(engine);
  ledger[2]["receipt"]["services"][0]["purposes"][0]["consentState"] = "granted";  // "I never revoked video"
  EXPECT_EQ(verify(ledger, engine), Status::signature_invalid);
  // Recomputing the hash field does not help: the signature still covers the original bytes.
  ledger[2]["hash"] = to_hex(blake2b_256(canonical_json(ledger[2]["receipt"]).value()));
  EXPECT_EQ(verify(ledger, engine), Status::signature_invalid);
}

TEST(ConsentLedger, FlippedSignatureBitFails) {
  const ConsentEngine engine = engine_with_history();
  json ledger = ledger_of(engine);
  std::string sig = ledger[1]["signature"];
  sig[10] = sig[10] == 'A' ? 'B' : 'A';
  ledger[1]["signature"] = sig;
  EXPECT_EQ(verify(ledger, engine), Status::signature_invalid);
}

TEST(ConsentLedger, DroppedReceiptBreaksTheChain) {
  const ConsentEngine engine = engine_with_history();
  json middle = ledger_of(engine);
  middle.erase(2);
  auto r = verify_ledger(middle.dump(), engine.public_key());
  EXPECT_EQ(r.status(), Status::ledger_tampered);
  EXPECT_EQ(r.error().detail, "receipt 2: out of sequence: a receipt was dropped, inserted or reordered");
  json first = ledger_of(engine);
  first.erase(0);
  EXPECT_EQ(verify(first, engine), Status::ledger_tampered);
}

TEST(ConsentLedger, ReorderedLedgerBreaksTheChain) {
  const ConsentEngine engine = engine_with_history();
  json ledger = ledger_of(engine);
  std::swap(ledger[1], ledger[2]);
  EXPECT_EQ(verify(ledger, engine), Status::ledger_tampered);
}

TEST(ConsentLedger, EditedHashFieldIsTampering) {
  const ConsentEngine engine = engine_with_history();
  json ledger = ledger_of(engine);
  ledger[3]["hash"] = std::string(64, '0');
  auto r = verify_ledger(ledger.dump(), engine.public_key());
  EXPECT_EQ(r.status(), Status::ledger_tampered);
  EXPECT_EQ(r.error().detail, "receipt 3: hash does not match the receipt");
}

TEST(ConsentLedger, SwappedKeyIsRejected) {
  const ConsentEngine mine = engine_with_history(7);
  const ConsentEngine other = engine_with_history(9);
  // A whole ledger re-signed by someone else's key.
  auto whole = verify_ledger(ledger_of(other).dump(), mine.public_key());
  EXPECT_EQ(whole.status(), Status::signature_invalid);
  EXPECT_EQ(whole.error().detail, "receipt 0: signed by a different key than this install's");
  // One receipt swapped in from another install, even without a pinned key.
  json mixed = ledger_of(mine);
  mixed[1] = ledger_of(other)[1];
  EXPECT_EQ(verify_ledger(mixed.dump()).status(), Status::signature_invalid);
  // A receipt whose publicKey field was replaced (signature by the original key).
  json replaced = ledger_of(mine);
  replaced[0]["receipt"]["publicKey"] = base64url_encode(other.public_key());
  EXPECT_EQ(verify(replaced, mine), Status::signature_invalid);
}

TEST(ConsentLedger, MalformedLedgersAreTypedErrors) {
  const ConsentEngine engine = engine_with_history();
  EXPECT_EQ(verify_ledger("not json", engine.public_key()).status(), Status::malformed);
  EXPECT_EQ(verify_ledger("{}", engine.public_key()).status(), Status::ledger_tampered);
  EXPECT_EQ(verify_ledger("[1]", engine.public_key()).status(), Status::ledger_tampered);
  EXPECT_EQ(verify_ledger("[{\"receipt\":{},\"hash\":\"\",\"signature\":\"\"}]").status(), Status::ledger_tampered);
  json ledger = ledger_of(engine);
  ledger[0]["receipt"]["consentTimestamp"] = 1.5;
  EXPECT_EQ(verify(ledger, engine), Status::ledger_tampered);
  EXPECT_EQ(verify_ledger("[]", std::vector<uint8_t>(31)).status(), Status::invalid_argument);
  EXPECT_EQ(verify_ledger("[]", engine.public_key()).value(), 0u);
}

// --- export / import ----------------------------------------------------------------------

TEST(ConsentStore, RoundTripRestoresStateAndLedger) {
  const ConsentEngine engine = engine_with_history();
  const std::string store = engine.export_store();
  ConsentEngine restored = make_engine();
  EXPECT_TRUE(ok(restored.import_store(store, kT0 + 5000)).empty());
  EXPECT_EQ(to_json(restored.snapshot(kT0 + 5000)), to_json(engine.snapshot(kT0 + 5000)));
  EXPECT_EQ(restored.export_store(), store);
  // The chain continues where it left off.
  ok(restored.grant({"voice"}, kT0 + 6000));
  EXPECT_EQ(verify_ledger(ledger_of(restored).dump(), restored.public_key()).value(), 5u);
}

TEST(ConsentLedger, PrivacyModeIsOneReceiptThatChangesNoDecision) {
  ConsentEngine engine = make_engine(testing::default_policy_text());
  ok(engine.grant({"routing", "chat"}, kT0));
  const auto before = engine.snapshot(kT0 + 10);
  DecisionContext ctx;
  ctx.locale = "zh-CN";
  ctx.collection_method = "privacy-mode-toggle";
  EXPECT_TRUE(ok(engine.record_privacy_mode(kT0 + 5000, ctx)).empty());
  ASSERT_EQ(engine.ledger().size(), 2u);
  const json receipt = json::parse(engine.ledger().back().receipt_canonical);
  EXPECT_EQ(receipt["action"], "privacy_mode");
  EXPECT_EQ(receipt["collectionMethod"], "privacy-mode-toggle");
  EXPECT_EQ(receipt["language"], "zh-CN");
  EXPECT_EQ(receipt["consentTimestampMs"], kT0 + 5000);
  EXPECT_TRUE(receipt["services"][0]["purposes"].empty());
  // The chat grant keeps its time (and so its expiry): the receipt decided nothing.
  const auto after = engine.snapshot(kT0 + 10);
  for (size_t i = 0; i < after.purposes.size(); ++i) EXPECT_EQ(after.purposes[i].decision, before.purposes[i].decision);
  // It is part of the chain: the store restores with it, and cutting it off is tampering.
  const std::string store = engine.export_store();
  ConsentEngine restored = make_engine(testing::default_policy_text());
  ok(restored.import_store(store, kT0 + 6000));
  EXPECT_EQ(restored.ledger().size(), 2u);
  EXPECT_EQ(restored.state_of("chat", kT0 + 6000), PurposeState::granted);
  json cut = testing::parse(store);
  cut["ledger"].erase(cut["ledger"].size() - 1);
  ConsentEngine refused = make_engine(testing::default_policy_text());
  EXPECT_FALSE(refused.import_store(cut.dump(), kT0 + 6000).ok());
  EXPECT_EQ(engine.record_privacy_mode(-1).status(), Status::invalid_argument);
}

TEST(ConsentStore, DeclaredAgeAndGpcSurviveTheRoundTrip) {
  ConsentEngine engine = make_engine();
  ok(engine.declare_age(12, kT0));
  DecisionContext guardian;
  guardian.guardian_confirmed = true;
  ok(engine.grant({"routing"}, kT0, guardian));
  ConsentEngine restored = make_engine();
  ok(restored.import_store(engine.export_store(), kT0));
  EXPECT_TRUE(restored.snapshot(kT0).minor);
  EXPECT_EQ(restored.grant({"chat"}, kT0).status(), Status::guardian_required);
  EXPECT_EQ(restored.allows("routing", kT0), Status::ok);
}

struct StoreTamper {
  const char* name;
  void (*edit)(json&);
  Status status;
};

TEST(ConsentStore, TamperedStoreIsRejectedAndFallsBackToUnset) {
  const std::vector<StoreTamper> cases = {
      {"edited receipt", [](json& s) { s["ledger"][2]["receipt"]["services"][0]["purposes"][0]["consentState"] = "granted"; },
       Status::signature_invalid},
      {"dropped receipt", [](json& s) { s["ledger"].erase(1); }, Status::ledger_tampered},
      {"reordered ledger", [](json& s) { std::swap(s["ledger"][0], s["ledger"][1]); }, Status::ledger_tampered},
      {"cut off newest receipt", [](json& s) { s["ledger"].erase(3); }, Status::ledger_tampered},
      {"cut off newest receipt and head",
       [](json& s) {
         s["ledger"].erase(3);
         s["head"]["count"] = 3;
         s["head"]["hash"] = s["ledger"][2]["hash"];
       },
       Status::ledger_tampered},  // the stored decisions still say what receipt 3 did
      {"edited decision", [](json& s) { s["decisions"]["video"]["state"] = "granted"; }, Status::ledger_tampered},
      {"edited decision time", [](json& s) { s["decisions"]["chat"]["decidedAt"] = kT0 + 999; }, Status::ledger_tampered},
      {"edited settings", [](json& s) { s["settings"]["declaredAge"] = "adult"; }, Status::ledger_tampered},
      {"missing ledger", [](json& s) { s.erase("ledger"); }, Status::ledger_tampered},
      {"future format", [](json& s) { s["format"] = "sealdesk-consent-store/2"; }, Status::unsupported_version},
  };
  const ConsentEngine engine = engine_with_history();
  for (const StoreTamper& c : cases) {
    json store = testing::parse(engine.export_store());
    c.edit(store);
    ConsentEngine restored = make_engine();
    ok(restored.grant({"routing"}, kT0));  // anything in memory is dropped by the failed import
    auto r = restored.import_store(store.dump(), kT0 + 5000);
    EXPECT_EQ(r.status(), c.status) << c.name << ": " << (r.ok() ? "accepted" : r.error().detail);
    for (const PurposeStatus& p : restored.snapshot(kT0 + 5000).purposes) {
      EXPECT_EQ(p.state, PurposeState::unset) << c.name << " " << p.purpose;
    }
    EXPECT_TRUE(restored.ledger().empty()) << c.name;
    EXPECT_FALSE(restored.snapshot(kT0).gpc) << c.name;
  }
}

TEST(ConsentStore, AnotherInstallsStoreIsRejected) {
  const ConsentEngine other = engine_with_history(9);
  ConsentEngine mine = make_engine(testing::default_policy_text(), 7);
  EXPECT_EQ(mine.import_store(other.export_store(), kT0).status(), Status::signature_invalid);
}

TEST(ConsentStore, NotJsonIsMalformed) {
  ConsentEngine engine = make_engine();
  EXPECT_EQ(engine.import_store("", kT0).status(), Status::malformed);
  EXPECT_EQ(engine.import_store("[]", kT0).status(), Status::malformed);
  EXPECT_EQ(engine.import_store("{\"format\":1}", kT0).status(), Status::ledger_tampered);
}

TEST(ConsentStore, ImportUnderANewPolicyReAsksOnlyChangedPurposes) {
  const ConsentEngine old_engine = engine_with_history();
  json policy = testing::default_policy();
  policy["version"] = "2025.2";
  testing::purpose_of(policy, "chat")["retention"] = "P60D";
  ConsentEngine engine = make_engine(policy.dump());
  const Changes changes = ok(engine.import_store(old_engine.export_store(), kT0 + 5000));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0], (Change{"chat", PurposeState::granted, PurposeState::unset, Reason::policy_changed}));
  EXPECT_EQ(engine.state_of("routing", kT0 + 5000), PurposeState::granted);
  EXPECT_EQ(engine.state_of("face_verification", kT0 + 5000), PurposeState::denied);
  EXPECT_EQ(engine.ledger().size(), 5u);
  EXPECT_TRUE(verify_ledger(ledger_of(engine).dump(), engine.public_key()).ok());
}

// An independent Ed25519 implementation (Node's crypto, OpenSSL underneath) verifies the
// receipts over canonical bytes it rebuilds itself with JSON.stringify on key-sorted objects.
TEST(ConsentLedger, NodeCryptoVerifiesExportedReceipts) {
  if (std::system("node --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "node is not installed";
  const ConsentEngine engine = engine_with_history();
  const std::string dir = ::testing::TempDir();
  const std::string ledger_path = dir + "consent_ledger.json";
  const std::string script_path = dir + "consent_verify.cjs";
  const std::string script = R"JS(
const fs = require('fs');
const crypto = require('crypto');
const canon = (v) => Array.isArray(v) ? '[' + v.map(canon).join(',') + ']'
  : v !== null && typeof v === 'object'
    ? '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canon(v[k])).join(',') + '}'
    : JSON.stringify(v);
const verify = (entry) => crypto.verify(null, Buffer.from(canon(entry.receipt), 'utf8'),
  crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: entry.receipt.publicKey }, format: 'jwk' }),
  Buffer.from(entry.signature, 'base64url'));
const ledger = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
if (!ledger.length || !ledger.every(verify)) process.exit(2);
const edited = JSON.parse(JSON.stringify(ledger[0]));
edited.receipt.collectionMethod = 'forged';
if (verify(edited)) process.exit(3);
console.log(ledger.length);
)JS";
  for (const auto& [path, text] : {std::pair{ledger_path, ledger_of(engine).dump()}, std::pair{script_path, script}}) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  const std::string command = "node " + script_path + " " + ledger_path;
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

}  // namespace
}  // namespace sealdesk::consent
