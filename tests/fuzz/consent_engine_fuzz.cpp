// Drives the engine with input-chosen sequences of grants, denials, GPC, ages, time steps,
// plans and store round trips, and checks what must always hold:
//   - a failed call changes nothing (no state, no receipt);
//   - allows(p) only when p and all it depends on are granted and unexpired;
//   - under GPC no gpc_opt_out purpose is granted; a minor's grants are guardian-confirmed;
//   - the ledger always verifies, and export/import reproduces the state.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "sdk/consent/engine.h"
#include "sdk/consent/json_api.h"
#include "tests/fuzz/consent_fuzz_support.h"

using namespace sealdesk;
using namespace sealdesk::consent;

namespace {

void check_invariants(const ConsentEngine& e, int64_t now) {
  const Policy& policy = e.policy();
  const Snapshot s = e.snapshot(now);
  for (size_t i = 0; i < policy.purposes.size(); ++i) {
    const Purpose& p = policy.purposes[i];
    const PurposeStatus& status = s.purposes[i];
    if (e.allows(p.id, now) == Status::ok) {
      if (status.state != PurposeState::granted) std::abort();
      for (const std::string& dep : p.depends_on) {
        if (e.allows(dep, now) != Status::ok) std::abort();
      }
    }
    if (status.decision.state == PurposeState::expired) std::abort();  // never stored
    if (s.gpc && p.gpc_opt_out && status.decision.state == PurposeState::granted) std::abort();
    if (s.minor && status.decision.state == PurposeState::granted && !status.decision.guardian_confirmed) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Importing the store of a fresh engine resets one long-lived engine (parsing the policy and
  // locales for every input would dominate the run).
  static ConsentEngine engine = fuzzing::make_engine();
  static ConsentEngine restored = fuzzing::make_engine();
  static const std::string fresh_store = engine.export_store();
  if (!engine.import_store(fresh_store, 0).ok()) std::abort();
  engine.set_session_active(false);
  const Policy& policy = engine.policy();
  int64_t now = 1'750'000'000'000;
  size_t i = 0;
  auto next = [&]() -> uint8_t { return i < size ? data[i++] : 0; };
  auto subset = [&]() {
    const uint16_t mask = static_cast<uint16_t>(next() | next() << 8);
    std::vector<std::string> ids;
    for (size_t k = 0; k < policy.purposes.size() && k < 16; ++k) {
      if (mask & (1u << k)) ids.push_back(policy.purposes[k].id);
    }
    return ids;
  };

  for (int step = 0; step < 48 && i < size; ++step) {
    const uint8_t op = next() % 9;
    DecisionContext ctx;
    ctx.guardian_confirmed = (next() & 1) != 0;
    ctx.locale = (op & 1) ? "zh-TW" : "en";
    const std::string before = engine.export_store();
    Result<Changes> r = Changes{};
    switch (op) {
      case 0: r = engine.grant(subset(), now, ctx); break;
      case 1: r = engine.deny(subset(), now, ctx); break;
      case 2: r = engine.set_global_privacy_control((next() & 1) != 0, now, ctx); break;
      case 3: r = engine.declare_age(next() % 40, now, ctx); break;
      case 4: now += int64_t{next()} * 3'600'000 * 12; break;
      case 5: (void)engine.refresh(now); break;
      case 6: {
        const auto& caps = policy.capabilities;
        auto plan = engine.plan(caps[next() % caps.size()].first, now);
        if (!plan.ok()) std::abort();
        // Granting the plan's steps must succeed unless GPC blocks or a choice is open.
        if (plan.value().blocked.empty() && plan.value().choices.empty()) {
          for (const PlanStep& s : plan.value().steps) {
            DecisionContext g = ctx;
            g.guardian_confirmed = true;
            if (!engine.grant(s.purposes, now, g).ok()) std::abort();
          }
        }
        break;
      }
      case 7: engine.set_session_active((next() & 1) != 0); break;
      case 8: {
        if (!restored.import_store(engine.export_store(), now).ok()) std::abort();
        if (to_json(restored.snapshot(now)) != to_json(engine.snapshot(now))) std::abort();
        break;
      }
    }
    if (!r.ok() && engine.export_store() != before) std::abort();  // failures change nothing
    check_invariants(engine, now);
  }
  std::string ledger = "[";
  for (size_t k = 0; k < engine.ledger().size(); ++k) ledger += (k ? "," : "") + engine.ledger()[k].to_json();
  ledger += "]";
  auto verified = verify_ledger(ledger, engine.public_key());
  if (!verified.ok() || verified.value() != engine.ledger().size()) std::abort();
  return 0;
}
