// The consent engine handle JS owns (bound in consent_bindings.cpp); a header so that the desk
// bindings can take it as an argument of the one-call send path.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "sdk/consent/engine.h"
#include "sdk/consent/json_api.h"
#include "sdk/consent/receipt.h"
#include "sdk/crypto/identity.h"
#include "wasm/common.h"

namespace sealdesk::wasm {

using consent::ConsentEngine;
using consent::DecisionContext;

inline std::string_view text(HeapPtr ptr, size_t len) { return {reinterpret_cast<const char*>(ptr), len}; }

class ConsentHandle {
 public:
  explicit ConsentHandle(ConsentEngine engine) : engine_(std::move(engine)) {}
  const ConsentEngine& engine() const { return engine_; }  // for the desk's one-call send path

  // seed_len 0: a fresh install key (export it with _exportSeed to persist it).
  static ConsentHandle* create(HeapPtr policy, size_t policy_len, HeapPtr locales, size_t locales_len, HeapPtr seed,
                               size_t seed_len) {
    auto key = seed_len == 0 ? crypto::IdentityKey::generate() : crypto::IdentityKey::from_seed(heap_view(seed, seed_len));
    if (!key.ok()) return fail_null(key.error());
    auto bundle = consent::parse_locale_bundle(text(locales, locales_len));
    if (!bundle.ok()) return fail_null(bundle.error());
    auto engine = ConsentEngine::create(text(policy, policy_len), bundle.value(), std::move(key).value());
    if (!engine.ok()) return fail_null(engine.error());
    return new ConsentHandle(std::move(engine).value());
  }

  int32_t grant(HeapPtr ids, size_t ids_len, double now, HeapPtr ctx, size_t ctx_len) {
    return decide(ids, ids_len, now, ctx, ctx_len, &ConsentEngine::grant);
  }
  int32_t deny(HeapPtr ids, size_t ids_len, double now, HeapPtr ctx, size_t ctx_len) {
    return decide(ids, ids_len, now, ctx, ctx_len, &ConsentEngine::deny);
  }

  int32_t declare_age(int32_t years, double now, HeapPtr ctx, size_t ctx_len) {
    return with_context(now, ctx, ctx_len, [&](int64_t t, const DecisionContext& c) {
      return engine_.declare_age(years, t, c);
    });
  }

  int32_t set_gpc(bool enabled, double now, HeapPtr ctx, size_t ctx_len) {
    return with_context(now, ctx, ctx_len, [&](int64_t t, const DecisionContext& c) {
      return engine_.set_global_privacy_control(enabled, t, c);
    });
  }

  int32_t record_privacy_mode(double now, HeapPtr ctx, size_t ctx_len) {
    return with_context(now, ctx, ctx_len, [&](int64_t t, const DecisionContext& c) {
      return engine_.record_privacy_mode(t, c);
    });
  }

  int32_t upgrade_policy(HeapPtr policy, size_t policy_len, HeapPtr locales, size_t locales_len, double now, HeapPtr ctx,
                         size_t ctx_len) {
    auto bundle = consent::parse_locale_bundle(text(locales, locales_len));
    if (!bundle.ok()) return to_int(bundle.error());
    return with_context(now, ctx, ctx_len, [&](int64_t t, const DecisionContext& c) {
      return engine_.upgrade_policy(text(policy, policy_len), bundle.value(), t, c);
    });
  }

  int32_t import_store(HeapPtr store, size_t store_len, double now, HeapPtr ctx, size_t ctx_len) {
    return with_context(now, ctx, ctx_len, [&](int64_t t, const DecisionContext& c) {
      return engine_.import_store(text(store, store_len), t, c);
    });
  }

  int32_t refresh(double now) {
    auto t = consent::timestamp_from_js(now);
    if (!t.ok()) return to_int(t.error());
    return emit(engine_.refresh(t.value()));
  }

  void set_session_active(bool active) { engine_.set_session_active(active); }

  int32_t allows(HeapPtr purpose, size_t purpose_len, double now) {
    auto t = consent::timestamp_from_js(now);
    if (!t.ok()) return to_int(t.error());
    std::string why;
    const Status s = engine_.allows(text(purpose, purpose_len), t.value(), &why);
    return s == Status::ok ? 0 : fail(s, why);
  }

  // When data kept for the purpose since `from` must be gone (ms), or -Status.
  double retention_deadline(HeapPtr purpose, size_t purpose_len, double from) {
    auto t = consent::timestamp_from_js(from);
    if (!t.ok()) return to_int(t.error());
    auto deadline = consent::retention_deadline(engine_.policy(), text(purpose, purpose_len), t.value());
    if (!deadline.ok()) return to_int(deadline.error());
    return static_cast<double>(deadline.value());
  }

  int32_t allows_capability(HeapPtr capability, size_t capability_len, double now) {
    auto t = consent::timestamp_from_js(now);
    if (!t.ok()) return to_int(t.error());
    std::string why;
    const Status s = engine_.allows_capability(text(capability, capability_len), t.value(), &why);
    return s == Status::ok ? 0 : fail(s, why);
  }

  int32_t plan(HeapPtr capability, size_t capability_len, double now) {
    auto t = consent::timestamp_from_js(now);
    if (!t.ok()) return to_int(t.error());
    auto plan = engine_.plan(text(capability, capability_len), t.value());
    if (!plan.ok()) return to_int(plan.error());
    output_ = consent::to_json(plan.value());
    return 0;
  }

  int32_t state(double now) {
    auto t = consent::timestamp_from_js(now);
    if (!t.ok()) return to_int(t.error());
    output_ = consent::to_json(engine_.snapshot(t.value()));
    return 0;
  }

  int32_t texts(HeapPtr locale, size_t locale_len) {
    output_ = consent::to_json(engine_.texts(text(locale, locale_len)));
    return 0;
  }

  int32_t receipts() {
    output_ = consent::ledger_to_json(engine_.ledger());
    return static_cast<int32_t>(engine_.ledger().size());
  }

  int32_t export_store() {
    output_ = engine_.export_store();
    return 0;
  }

  int32_t principal() {
    output_ = engine_.principal();
    return 0;
  }

  int32_t public_key(HeapPtr out) {
    const auto& pk = engine_.public_key();
    std::copy(pk.begin(), pk.end(), heap_span(out, pk.size()).begin());
    return static_cast<int32_t>(pk.size());
  }

  int32_t export_seed(HeapPtr out) {
    return to_int(engine_.export_identity_seed(heap_fixed<uint8_t, crypto::kIdentitySeedBytes>(out)));
  }

  // The JSON of the last successful call, then cleared.
  std::string take_output() { return std::exchange(output_, std::string()); }

 private:
  static ConsentHandle* fail_null(const Error& error) {
    to_int(error);
    return nullptr;
  }

  int32_t emit(const consent::Changes& changes) {
    output_ = consent::to_json(changes);
    return static_cast<int32_t>(changes.size());
  }

  template <class Call>
  int32_t with_context(double now, HeapPtr ctx, size_t ctx_len, Call call) {
    auto t = consent::timestamp_from_js(now);
    if (!t.ok()) return to_int(t.error());
    auto c = consent::parse_decision_context(text(ctx, ctx_len));
    if (!c.ok()) return to_int(c.error());
    auto changes = call(t.value(), c.value());
    if (!changes.ok()) return to_int(changes.error());
    return emit(changes.value());
  }

  using DecideFn = Result<consent::Changes> (ConsentEngine::*)(const std::vector<std::string>&, int64_t,
                                                               const DecisionContext&);
  int32_t decide(HeapPtr ids, size_t ids_len, double now, HeapPtr ctx, size_t ctx_len, DecideFn fn) {
    auto list = consent::parse_purpose_list(text(ids, ids_len));
    if (!list.ok()) return to_int(list.error());
    return with_context(now, ctx, ctx_len, [&](int64_t t, const DecisionContext& c) {
      return (engine_.*fn)(list.value(), t, c);
    });
  }

  ConsentEngine engine_;
  std::string output_;
};

}  // namespace sealdesk::wasm
