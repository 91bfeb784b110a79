// The shared scenario (tests/node/consent-scenario.json): the same consent history is run here
// and through the WASM build by node (tests/node/consent.test.mjs); both compare against the
// expectations in the file, so native and WASM give identical results, receipts included.
#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdio>
#include <cstdlib>

#include "sdk/consent/canonical.h"
#include "sdk/consent/engine.h"
#include "sdk/consent/json_api.h"
#include "tests/native/consent_test_support.h"

namespace sealdesk::consent {
namespace {

using nlohmann::json;

// SHA-256 (FIPS 180-4), which node:crypto has too (it has no BLAKE2b-256).
std::string sha256_hex(const std::string& text) {
  std::array<uint8_t, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const uint8_t*>(text.data()), text.size());
  return to_hex(digest);
}

json outcome(const Result<Changes>& r) {
  if (!r.ok()) return {{"code", status_name(r.status())}, {"result", nullptr}};
  return {{"code", "OK"}, {"result", testing::parse(to_json(r.value()))}};
}

DecisionContext context_of(const json& step) {
  if (!step.contains("context")) return {};
  auto ctx = parse_decision_context(step["context"].dump());
  EXPECT_TRUE(ctx.ok());
  return ctx.ok() ? ctx.value() : DecisionContext{};
}

std::vector<std::string> ids_of(const json& step) {
  std::vector<std::string> ids;
  for (const json& id : step["purposes"]) ids.push_back(id.get<std::string>());
  return ids;
}

json run_scenario(const json& scenario) {
  const auto seed = from_hex(scenario["seedHex"].get<std::string>());
  EXPECT_TRUE(seed.has_value());
  auto key = crypto::IdentityKey::from_seed(*seed);
  auto created = ConsentEngine::create(testing::default_policy_text(), testing::default_locales(), std::move(key).value());
  EXPECT_TRUE(created.ok());
  ConsentEngine& engine = created.value();

  json outcomes = json::array();
  for (const json& step : scenario["steps"]) {
    const std::string op = step["op"];
    const int64_t now = step["now"].get<int64_t>();
    if (op == "grant") {
      outcomes.push_back(outcome(engine.grant(ids_of(step), now, context_of(step))));
    } else if (op == "deny") {
      outcomes.push_back(outcome(engine.deny(ids_of(step), now, context_of(step))));
    } else if (op == "gpc") {
      outcomes.push_back(outcome(engine.set_global_privacy_control(step["enabled"].get<bool>(), now, context_of(step))));
    } else if (op == "age") {
      outcomes.push_back(outcome(engine.declare_age(step["years"].get<int>(), now, context_of(step))));
    } else if (op == "refresh") {
      outcomes.push_back(outcome(engine.refresh(now)));
    } else if (op == "allows") {
      const Status s = engine.allows(step["purpose"].get<std::string>(), now);
      outcomes.push_back({{"code", status_name(s)}, {"result", nullptr}});
    } else if (op == "plan") {
      auto plan = engine.plan(step["capability"].get<std::string>(), now);
      outcomes.push_back({{"code", status_name(plan.status())},
                          {"result", plan.ok() ? testing::parse(to_json(plan.value())) : json(nullptr)}});
    } else {
      ADD_FAILURE() << "unknown op " << op;
    }
  }
  const int64_t at = scenario["stateAt"].get<int64_t>();
  return {{"outcomes", outcomes},
          {"final",
           {{"state", testing::parse(to_json(engine.snapshot(at)))},
            {"receipts", engine.ledger().size()},
            {"head", engine.ledger().empty() ? json(nullptr) : json(engine.ledger().back().hash)},
            {"principal", engine.principal()},
            {"storeSha256", sha256_hex(engine.export_store())}}}};
}

TEST(ConsentScenario, NativeRunMatchesTheSharedExpectations) {
  json scenario = testing::parse(testing::read_file(testing::source_path("tests/node/consent-scenario.json")));
  ASSERT_TRUE(scenario.is_object());
  const json actual = run_scenario(scenario);
  if (std::getenv("SEALDESK_PRINT_SCENARIO") != nullptr) {
    scenario["expected"] = actual;
    std::printf("%s\n", scenario.dump(2).c_str());
    return;
  }
  ASSERT_TRUE(scenario.contains("expected")) << "run with SEALDESK_PRINT_SCENARIO=1 to generate expectations";
  const json& expected = scenario["expected"];
  ASSERT_EQ(actual["outcomes"].size(), expected["outcomes"].size());
  for (size_t i = 0; i < actual["outcomes"].size(); ++i) {
    EXPECT_EQ(actual["outcomes"][i], expected["outcomes"][i]) << "step " << i << ": " << actual["outcomes"][i].dump();
  }
  EXPECT_EQ(actual["final"], expected["final"]) << actual["final"].dump();
}

}  // namespace
}  // namespace sealdesk::consent
