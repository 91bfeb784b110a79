#include "sdk/consent/engine.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "sdk/consent/canonical.h"
#include "sdk/consent/json_api.h"
#include "sdk/crypto/library.h"

namespace sealdesk::consent {
namespace {

using nlohmann::json;

constexpr size_t kMaxIdsPerCall = 256;

std::string hash_purpose(const Policy& policy, const LocaleCatalog& catalog, const Purpose& purpose) {
  // Canonical {"controller","terms","text"} assembled from canonical parts (members already sorted).
  auto controller = canonical_json(json(policy.controller.name));
  const std::string document = "{\"controller\":" + (controller.ok() ? controller.value() : std::string("null")) +
                               ",\"terms\":" + purpose.terms_canonical +
                               ",\"text\":" + catalog.purpose_reference_canonical(purpose.id) + "}";
  return to_hex(blake2b_256(document));
}

std::vector<std::string> hash_purposes(const Policy& policy, const LocaleCatalog& catalog) {
  std::vector<std::string> hashes;
  for (const Purpose& p : policy.purposes) hashes.push_back(hash_purpose(policy, catalog, p));
  return hashes;
}

bool is_collection_method(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == ':' || c == '-';
  });
}

bool is_locale_tag(std::string_view s) {
  if (s.empty() || s.size() > 35) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool depends_on_any_of(const Purpose& p, const Policy& policy, const std::set<size_t>& targets) {
  for (const auto* list : {&p.depends_on, &p.depends_on_any}) {
    for (const std::string& dep : *list) {
      if (targets.count(*policy.index_of(dep)) != 0) return true;
    }
  }
  return false;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

// --- construction -------------------------------------------------------------------------

ConsentEngine::ConsentEngine(Policy policy, LocaleCatalog catalog, crypto::IdentityKey key)
    : policy_(std::move(policy)), catalog_(std::move(catalog)), key_(std::move(key)) {
  purpose_hashes_ = hash_purposes(policy_, catalog_);
  decisions_.assign(policy_.purposes.size(), Decision{});
  expiry_reported_.assign(policy_.purposes.size(), false);
}

Result<ConsentEngine> ConsentEngine::create(std::string_view policy_json, const std::vector<LocaleSource>& locales,
                                            crypto::IdentityKey key) {
  if (Status s = crypto::ensure_ready(); s != Status::ok) return s;
  auto policy = parse_policy(policy_json);
  if (!policy.ok()) return policy.error();
  auto catalog = LocaleCatalog::create(locales, policy.value());
  if (!catalog.ok()) return catalog.error();
  return ConsentEngine(std::move(policy).value(), std::move(catalog).value(), std::move(key));
}

void ConsentEngine::reset() {
  decisions_.assign(policy_.purposes.size(), Decision{});
  expiry_reported_.assign(policy_.purposes.size(), false);
  ledger_.clear();
  gpc_ = false;
  declared_age_.reset();
}

// --- state helpers ------------------------------------------------------------------------

std::optional<int64_t> ConsentEngine::expires_at(size_t index) const {
  const Decision& d = decisions_[index];
  if (d.state != PurposeState::granted && d.state != PurposeState::denied) return std::nullopt;
  // While GPC is reported, its purposes stay denied: there is nothing to ask again.
  if (gpc_ && policy_.purposes[index].gpc_opt_out && d.state == PurposeState::denied) return std::nullopt;
  return add_duration(d.decided_at_ms, policy_.purposes[index].validity_duration);
}

PurposeState ConsentEngine::effective(size_t index, int64_t now_ms) const {
  const auto expiry = expires_at(index);
  if (expiry && now_ms >= *expiry) return PurposeState::expired;
  return decisions_[index].state;
}

bool ConsentEngine::minor() const { return declared_age_ && *declared_age_ < policy_.minor_age; }

Status ConsentEngine::check_context(int64_t now_ms, const DecisionContext& ctx) const {
  if (now_ms < 0) return Status::invalid_argument;
  if (!is_locale_tag(ctx.locale) || !is_collection_method(ctx.collection_method)) return Status::invalid_argument;
  return Status::ok;
}

Result<std::vector<size_t>> ConsentEngine::resolve_ids(const std::vector<std::string>& purposes) const {
  if (purposes.size() > kMaxIdsPerCall) return Error{Status::invalid_argument, "more than 256 purposes in one call"};
  std::vector<size_t> out;
  for (const std::string& id : purposes) {
    const auto index = policy_.index_of(id);
    if (!index) {
      const bool printable = id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) { return c >= ' ' && c <= '~'; });
      return Error{Status::unknown_purpose, printable ? "\"" + id + "\" is not a purpose of policy " + policy_.id
                                                      : "a purpose id that is not in policy " + policy_.id};
    }
    if (std::find(out.begin(), out.end(), *index) == out.end()) out.push_back(*index);
  }
  return out;
}

Status ConsentEngine::allows_index(size_t index, int64_t now_ms, std::string* why) const {
  const Purpose& p = policy_.purposes[index];
  const PurposeState state = effective(index, now_ms);
  if (state != PurposeState::granted) {
    if (why) *why = p.id + " is " + state_name(state);
    return state == PurposeState::expired ? Status::consent_expired : Status::consent_required;
  }
  for (const std::string& dep : p.depends_on) {
    if (Status s = allows_index(*policy_.index_of(dep), now_ms, why); s != Status::ok) {
      if (why) *why = p.id + " needs " + dep + ": " + *why;
      return s;
    }
  }
  if (!p.depends_on_any.empty()) {
    const bool any = std::any_of(p.depends_on_any.begin(), p.depends_on_any.end(), [&](const std::string& dep) {
      return allows_index(*policy_.index_of(dep), now_ms, nullptr) == Status::ok;
    });
    if (!any) {
      if (why) *why = p.id + " needs one of: " + join(p.depends_on_any);
      return Status::consent_required;
    }
  }
  return Status::ok;
}

// --- commits ------------------------------------------------------------------------------

ReceiptDraft ConsentEngine::draft_receipt(const char* action, int64_t now_ms, const DecisionContext& ctx) const {
  const LocalizedTexts& texts = catalog_.resolved(ctx.locale);
  ReceiptDraft draft;
  draft.policy = &policy_;
  draft.action = action;
  draft.collection_method = ctx.collection_method;
  draft.language = texts.locale;
  draft.notice_hash = texts.notice_hash;
  draft.timestamp_ms = now_ms;
  draft.gpc = gpc_;
  draft.minor = minor();
  return draft;
}

Result<size_t> ConsentEngine::append_receipt(const ReceiptDraft& draft) {
  auto entry = sign_receipt(draft, key_, ledger_.empty() ? nullptr : &ledger_.back(), ledger_.size());
  if (!entry.ok()) return entry.error();
  ledger_.push_back(std::move(entry).value());
  return ledger_.size();
}

Result<Changes> ConsentEngine::record_privacy_mode(int64_t now_ms, const DecisionContext& ctx) {
  if (Status s = check_context(now_ms, ctx); s != Status::ok) return Error{s, "now_ms < 0 or a malformed context"};
  // No purpose changes: the receipt lists none, so replaying the ledger leaves every decision
  // (and its expiry) as it was.
  auto appended = append_receipt(draft_receipt("privacy_mode", now_ms, ctx));
  if (!appended.ok()) return appended.error();
  return Changes{};
}

Result<Changes> ConsentEngine::commit(const std::vector<Update>& updates, const char* action, int64_t now_ms,
                                      const DecisionContext& ctx) {
  if (updates.empty()) return Changes{};
  const std::vector<Decision> saved = decisions_;
  std::vector<PurposeState> before;
  for (const Update& u : updates) before.push_back(effective(u.index, now_ms));

  const LocalizedTexts& texts = catalog_.resolved(ctx.locale);
  ReceiptDraft draft = draft_receipt(action, now_ms, ctx);
  for (const Update& u : updates) {
    decisions_[u.index] = Decision{u.state, now_ms, policy_.version, purpose_hashes_[u.index], u.reason,
                                   u.guardian_confirmed};
    const Purpose& p = policy_.purposes[u.index];
    const std::string& title = texts.text("purposes." + p.id + ".title");
    draft.purposes.push_back(ReceiptPurpose{&p, title.empty() ? p.id : title, u.state, u.reason,
                                            purpose_hashes_[u.index], u.guardian_confirmed});
  }
  if (auto appended = append_receipt(draft); !appended.ok()) {
    decisions_ = saved;
    return appended.error();
  }

  Changes changes;
  for (size_t k = 0; k < updates.size(); ++k) {
    expiry_reported_[updates[k].index] = false;
    const PurposeState after = effective(updates[k].index, now_ms);
    if (after != before[k]) {
      changes.push_back(Change{policy_.purposes[updates[k].index].id, before[k], after, updates[k].reason});
    }
  }
  return changes;
}

Result<Changes> ConsentEngine::grant(const std::vector<std::string>& purposes, int64_t now_ms,
                                     const DecisionContext& ctx) {
  if (Status s = check_context(now_ms, ctx); s != Status::ok) return Error{s, "now_ms < 0 or a malformed context"};
  auto ids = resolve_ids(purposes);
  if (!ids.ok()) return ids.error();
  if (ids.value().empty()) return Changes{};

  std::set<size_t> in_call(ids.value().begin(), ids.value().end());
  for (size_t i : ids.value()) {
    const Purpose& p = policy_.purposes[i];
    if (p.needs_separate_consent() && ids.value().size() > 1) {
      return Error{Status::separate_consent_required,
                   p.id + (p.sensitive       ? " is sensitive personal information (PIPL Art. 29)"
                           : p.cross_border ? " transfers data abroad (PIPL Art. 39)"
                                            : " trains models on conversations") +
                       ": grant it alone"};
    }
  }
  if (minor() && !ctx.guardian_confirmed) {
    return Error{Status::guardian_required, "the person declared an age under " + std::to_string(policy_.minor_age)};
  }
  for (size_t i : ids.value()) {
    if (gpc_ && policy_.purposes[i].gpc_opt_out) {
      return Error{Status::gpc_denied, policy_.purposes[i].id + " stays denied while Global Privacy Control is on"};
    }
  }
  auto satisfied = [&](const std::string& dep) {
    const size_t d = *policy_.index_of(dep);
    return in_call.count(d) != 0 || allows_index(d, now_ms, nullptr) == Status::ok;
  };
  for (size_t i : policy_.dependency_order) {
    if (in_call.count(i) == 0) continue;
    const Purpose& p = policy_.purposes[i];
    for (const std::string& dep : p.depends_on) {
      if (!satisfied(dep)) return Error{Status::dependency_missing, p.id + " needs " + dep};
    }
    if (!p.depends_on_any.empty() && std::none_of(p.depends_on_any.begin(), p.depends_on_any.end(), satisfied)) {
      return Error{Status::dependency_missing, p.id + " needs one of: " + join(p.depends_on_any)};
    }
  }

  std::vector<Update> updates;
  for (size_t i : policy_.dependency_order) {
    if (in_call.count(i) != 0) updates.push_back({i, PurposeState::granted, Reason::user, minor() && ctx.guardian_confirmed});
  }
  return commit(updates, "grant", now_ms, ctx);
}

Result<Changes> ConsentEngine::deny(const std::vector<std::string>& purposes, int64_t now_ms,
                                    const DecisionContext& ctx) {
  if (Status s = check_context(now_ms, ctx); s != Status::ok) return Error{s, "now_ms < 0 or a malformed context"};
  auto ids = resolve_ids(purposes);
  if (!ids.ok()) return ids.error();
  if (ids.value().empty()) return Changes{};
  for (size_t i : ids.value()) {
    if (session_active_ && policy_.purposes[i].required) {
      return Error{Status::purpose_required, policy_.purposes[i].id + " is required while the session runs: end it first"};
    }
  }
  std::set<size_t> targets(ids.value().begin(), ids.value().end());
  std::vector<Update> updates;
  for (size_t i : policy_.dependency_order) {
    if (targets.count(i) != 0) {
      updates.push_back({i, PurposeState::denied, Reason::user});
    } else if (decisions_[i].state == PurposeState::granted && depends_on_any_of(policy_.purposes[i], policy_, targets)) {
      // Dependency order puts every dependency first, so one pass reaches transitive dependents.
      targets.insert(i);
      updates.push_back({i, PurposeState::denied, Reason::dependency_revoked});
    }
  }
  return commit(updates, "deny", now_ms, ctx);
}

Result<Changes> ConsentEngine::enforce_gpc(int64_t now_ms, const DecisionContext& ctx) {
  std::vector<Update> updates;
  if (gpc_) {
    std::set<size_t> targets;
    for (size_t i : policy_.dependency_order) {
      const Purpose& p = policy_.purposes[i];
      if (p.gpc_opt_out) {
        targets.insert(i);
        if (decisions_[i].state != PurposeState::denied) updates.push_back({i, PurposeState::denied, Reason::gpc});
      } else if (decisions_[i].state == PurposeState::granted && depends_on_any_of(p, policy_, targets)) {
        targets.insert(i);
        updates.push_back({i, PurposeState::denied, Reason::dependency_revoked});
      }
    }
  } else {
    for (size_t i = 0; i < decisions_.size(); ++i) {
      if (decisions_[i].state == PurposeState::denied && decisions_[i].reason == Reason::gpc) {
        updates.push_back({i, PurposeState::unset, Reason::gpc_cleared});
      }
    }
  }
  return commit(updates, "global_privacy_control", now_ms, ctx);
}

Result<Changes> ConsentEngine::enforce_minor(int64_t now_ms, const DecisionContext& ctx) {
  if (!minor()) return Changes{};
  std::vector<Update> updates;
  for (size_t i = 0; i < decisions_.size(); ++i) {
    if (decisions_[i].state == PurposeState::granted && !decisions_[i].guardian_confirmed) {
      updates.push_back({i, PurposeState::unset, Reason::guardian_required});
    }
  }
  return commit(updates, "guardian_required", now_ms, ctx);
}

Result<Changes> ConsentEngine::set_global_privacy_control(bool enabled, int64_t now_ms, const DecisionContext& ctx) {
  if (Status s = check_context(now_ms, ctx); s != Status::ok) return Error{s, "now_ms < 0 or a malformed context"};
  const bool previous = gpc_;
  gpc_ = enabled;
  auto changes = enforce_gpc(now_ms, ctx);
  if (!changes.ok()) gpc_ = previous;
  return changes;
}

Result<Changes> ConsentEngine::declare_age(int years, int64_t now_ms, const DecisionContext& ctx) {
  if (Status s = check_context(now_ms, ctx); s != Status::ok) return Error{s, "now_ms < 0 or a malformed context"};
  if (years < 0 || years > 150) return Error{Status::invalid_argument, "age must be 0 to 150"};
  const auto previous = declared_age_;
  declared_age_ = years;
  auto changes = enforce_minor(now_ms, ctx);
  if (!changes.ok()) declared_age_ = previous;
  return changes;
}

Changes ConsentEngine::refresh(int64_t now_ms) {
  Changes changes;
  for (size_t i = 0; i < decisions_.size(); ++i) {
    if (!expiry_reported_[i] && effective(i, now_ms) == PurposeState::expired) {
      expiry_reported_[i] = true;
      changes.push_back(Change{policy_.purposes[i].id, decisions_[i].state, PurposeState::expired, Reason::expired});
    }
  }
  return changes;
}

Result<Changes> ConsentEngine::upgrade_policy(std::string_view policy_json, const std::vector<LocaleSource>& locales,
                                              int64_t now_ms, const DecisionContext& ctx) {
  if (Status s = check_context(now_ms, ctx); s != Status::ok) return Error{s, "now_ms < 0 or a malformed context"};
  auto next_policy = parse_policy(policy_json);
  if (!next_policy.ok()) return next_policy.error();
  auto next_catalog = LocaleCatalog::create(locales, next_policy.value());
  if (!next_catalog.ok()) return next_catalog.error();

  // Keep everything to restore if signing fails (it cannot, short of libsodium failing).
  Policy saved_policy = policy_;
  LocaleCatalog saved_catalog = catalog_;
  auto saved_hashes = purpose_hashes_;
  auto saved_decisions = decisions_;
  auto saved_reported = expiry_reported_;
  const size_t saved_ledger = ledger_.size();

  Changes changes;
  Policy& next = next_policy.value();
  std::vector<Decision> carried(next.purposes.size());
  std::vector<bool> reported(next.purposes.size(), false);
  for (size_t i = 0; i < policy_.purposes.size(); ++i) {
    const auto j = next.index_of(policy_.purposes[i].id);
    if (j) {
      carried[*j] = decisions_[i];
      reported[*j] = expiry_reported_[i];
    } else if (const PurposeState before = effective(i, now_ms); before != PurposeState::unset) {
      changes.push_back(Change{policy_.purposes[i].id, before, PurposeState::unset, Reason::purpose_removed});
    }
  }
  policy_ = std::move(next);
  catalog_ = std::move(next_catalog).value();
  purpose_hashes_ = hash_purposes(policy_, catalog_);
  decisions_ = std::move(carried);
  expiry_reported_ = std::move(reported);

  auto more = reask_changed_and_enforce(now_ms, ctx);
  if (!more.ok()) {
    policy_ = std::move(saved_policy);
    catalog_ = std::move(saved_catalog);
    purpose_hashes_ = std::move(saved_hashes);
    decisions_ = std::move(saved_decisions);
    expiry_reported_ = std::move(saved_reported);
    ledger_.resize(saved_ledger);
    return more.error();
  }
  changes.insert(changes.end(), more.value().begin(), more.value().end());
  return changes;
}

// Purposes whose hash changed since their decision go back to unset (PIPL Art. 14), then GPC and
// the minor rule are applied again. Shared by a policy upgrade and a store import.
Result<Changes> ConsentEngine::reask_changed_and_enforce(int64_t now_ms, const DecisionContext& ctx) {
  Changes changes;
  std::vector<Update> resets;
  for (size_t i = 0; i < decisions_.size(); ++i) {
    if (decisions_[i].state != PurposeState::unset && decisions_[i].purpose_hash != purpose_hashes_[i]) {
      resets.push_back({i, PurposeState::unset, Reason::policy_changed});
    }
  }
  for (auto step : {0, 1, 2}) {
    auto more = step == 0 ? commit(resets, "policy_upgrade", now_ms, ctx)
              : step == 1 ? enforce_gpc(now_ms, ctx)
                          : enforce_minor(now_ms, ctx);
    if (!more.ok()) return more.error();
    changes.insert(changes.end(), more.value().begin(), more.value().end());
  }
  return changes;
}

// --- queries ------------------------------------------------------------------------------

Status ConsentEngine::allows(std::string_view purpose, int64_t now_ms, std::string* why) const {
  const auto index = policy_.index_of(purpose);
  if (!index) {
    if (why) *why = "not a purpose of policy " + policy_.id;
    return Status::unknown_purpose;
  }
  return allows_index(*index, now_ms, why);
}

Status ConsentEngine::allows_capability(std::string_view capability, int64_t now_ms, std::string* why) const {
  const std::vector<std::string>* needs = policy_.capability(capability);
  if (needs == nullptr) {
    if (policy_.index_of(capability)) return allows(capability, now_ms, why);
    if (why) *why = "not a capability of policy " + policy_.id;
    return Status::not_found;
  }
  for (const std::string& purpose : *needs) {
    if (Status s = allows(purpose, now_ms, why); s != Status::ok) return s;
  }
  return Status::ok;
}

PurposeState ConsentEngine::state_of(std::string_view purpose, int64_t now_ms) const {
  const auto index = policy_.index_of(purpose);
  return index ? effective(*index, now_ms) : PurposeState::unset;
}

Result<JitPlan> ConsentEngine::plan(std::string_view capability, int64_t now_ms) const {
  std::vector<std::string> needs;
  if (const auto* listed = policy_.capability(capability)) {
    needs = *listed;
  } else if (policy_.index_of(capability)) {
    needs = {std::string(capability)};
  } else {
    return Error{Status::not_found, "not a capability or purpose of policy " + policy_.id};
  }
  JitPlan plan;
  plan.capability = std::string(capability);
  plan.allowed = allows_capability(capability, now_ms) == Status::ok;

  // Everything the capability needs: its purposes and, transitively, their depends_on.
  std::set<size_t> needed;
  std::vector<size_t> pending;
  for (const std::string& id : needs) pending.push_back(*policy_.index_of(id));
  while (!pending.empty()) {
    const size_t i = pending.back();
    pending.pop_back();
    if (!needed.insert(i).second) continue;
    for (const std::string& dep : policy_.purposes[i].depends_on) pending.push_back(*policy_.index_of(dep));
  }
  // depends_on_any is met by a needed purpose or an allowed one; otherwise the person chooses.
  for (size_t i : policy_.dependency_order) {
    if (needed.count(i) == 0) continue;
    const Purpose& p = policy_.purposes[i];
    if (p.depends_on_any.empty()) continue;
    const bool met = std::any_of(p.depends_on_any.begin(), p.depends_on_any.end(), [&](const std::string& dep) {
      const size_t d = *policy_.index_of(dep);
      return needed.count(d) != 0 || allows_index(d, now_ms, nullptr) == Status::ok;
    });
    if (!met) plan.choices.push_back(PlanChoice{p.id, p.depends_on_any});
  }

  std::vector<size_t> ask;
  for (size_t i : policy_.dependency_order) {
    if (needed.count(i) == 0 || effective(i, now_ms) == PurposeState::granted) continue;
    if (gpc_ && policy_.purposes[i].gpc_opt_out) {
      plan.blocked.push_back(PlanBlock{policy_.purposes[i].id, Reason::gpc});
    } else {
      ask.push_back(i);
    }
  }
  // Steps: everything ready that may be bundled goes in one step; a sensitive or cross-border
  // purpose gets a step of its own once its dependencies are placed.
  std::set<size_t> placed;
  auto ready = [&](size_t i) {
    const Purpose& p = policy_.purposes[i];
    for (const auto* list : {&p.depends_on, &p.depends_on_any}) {
      for (const std::string& dep : *list) {
        const size_t d = *policy_.index_of(dep);
        if (std::find(ask.begin(), ask.end(), d) != ask.end() && placed.count(d) == 0) return false;
      }
    }
    return true;
  };
  while (placed.size() < ask.size()) {
    PlanStep bundle;
    bundle.guardian_required = minor();
    // `ask` is in dependency order, so one pass also bundles dependents with their dependencies
    // (a grant accepts both in the same call).
    for (size_t i : ask) {
      if (placed.count(i) == 0 && !policy_.purposes[i].needs_separate_consent() && ready(i)) {
        bundle.purposes.push_back(policy_.purposes[i].id);
        placed.insert(i);
      }
    }
    if (!bundle.purposes.empty()) {
      plan.steps.push_back(std::move(bundle));
      continue;
    }
    bool progressed = false;
    for (size_t i : ask) {
      if (placed.count(i) == 0 && ready(i)) {
        plan.steps.push_back(PlanStep{{policy_.purposes[i].id}, true, minor()});
        placed.insert(i);
        progressed = true;
        break;
      }
    }
    if (!progressed) break;  // unreachable: the dependency graph is acyclic
  }
  return plan;
}

Snapshot ConsentEngine::snapshot(int64_t now_ms) const {
  Snapshot s;
  s.policy_id = policy_.id;
  s.policy_version = policy_.version;
  s.gpc = gpc_;
  s.declared_age = declared_age_;
  s.minor = minor();
  for (size_t i = 0; i < policy_.purposes.size(); ++i) {
    s.purposes.push_back(PurposeStatus{policy_.purposes[i].id, effective(i, now_ms), decisions_[i], expires_at(i)});
  }
  return s;
}

// --- persistence --------------------------------------------------------------------------

std::string ConsentEngine::export_store() const {
  json decisions = json::object();
  for (size_t i = 0; i < policy_.purposes.size(); ++i) decisions[policy_.purposes[i].id] = decision_to_json(decisions_[i]);
  const std::string ledger = ledger_to_json(ledger_);
  json head = {{"count", ledger_.size()}, {"hash", ledger_.empty() ? json(nullptr) : json(ledger_.back().hash)}};
  json store = {{"format", kStoreFormat},
                {"policy", {{"id", policy_.id}, {"version", policy_.version}}},
                {"principal", {{"id", principal()}, {"publicKey", base64url_encode(key_.public_key())}}},
                {"settings", {{"gpc", gpc_}, {"declaredAge", declared_age_ ? json(*declared_age_) : json(nullptr)}}},
                {"decisions", decisions},
                {"ledger", nullptr},
                {"head", head}};
  // Splice the ledger in as its exact canonical text (no re-serialization of signed bytes).
  std::string text = dump(store);
  const std::string placeholder = "\"ledger\":null";
  const size_t at = text.find(placeholder);
  return text.substr(0, at) + "\"ledger\":" + ledger + text.substr(at + placeholder.size());
}

Result<Changes> ConsentEngine::import_store(std::string_view store_json, int64_t now_ms, const DecisionContext& ctx) {
  reset();
  if (Status s = check_context(now_ms, ctx); s != Status::ok) return Error{s, "now_ms < 0 or a malformed context"};
  if (store_json.size() > kMaxStoreBytes) return Error{Status::too_large, "store is larger than 64 MiB"};
  const json store = json::parse(store_json.begin(), store_json.end(), nullptr, /*allow_exceptions=*/false);
  if (store.is_discarded() || !store.is_object()) return Error{Status::malformed, "store is not a JSON object"};
  const auto format = store.find("format");
  if (format == store.end() || !format->is_string()) return Error{Status::ledger_tampered, "store: format is missing"};
  if (format->get_ref<const std::string&>() != kStoreFormat) {
    return Error{Status::unsupported_version, "store: format is not " + std::string(kStoreFormat)};
  }
  const auto ledger = store.find("ledger");
  if (ledger == store.end()) return Error{Status::ledger_tampered, "store: ledger is missing"};
  auto verified = verify_ledger_value(*ledger, key_.public_key());
  if (!verified.ok()) return verified.error();
  VerifiedLedger& chain = verified.value();

  auto fail = [this](std::string detail) -> Result<Changes> {
    reset();
    return Error{Status::ledger_tampered, std::move(detail)};
  };
  const auto head = store.find("head");
  if (head == store.end() || !head->is_object() || !head->contains("count") || !head->contains("hash")) {
    return fail("store: head is missing");
  }
  const json& head_count = (*head)["count"];
  const json& head_hash = (*head)["hash"];
  const bool head_ok = head_count.is_number_unsigned() && head_count.get<uint64_t>() == chain.entries.size() &&
                       (chain.entries.empty() ? head_hash.is_null()
                                              : head_hash.is_string() && head_hash.get<std::string>() == chain.entries.back().hash);
  if (!head_ok) return fail("store: head does not match the ledger (receipts were cut off or added)");

  // Replay: the ledger is the source of truth for every decision.
  std::map<std::string, Decision> replayed;
  for (size_t r = 0; r < chain.receipts.size(); ++r) {
    const json& receipt = chain.receipts[r];
    const std::string where = "receipt " + std::to_string(r) + ": ";
    const auto ts = receipt.find("consentTimestampMs");
    const auto version = receipt.find("policyVersion");
    const auto services = receipt.find("services");
    if (ts == receipt.end() || !ts->is_number_unsigned() || version == receipt.end() || !version->is_string() ||
        services == receipt.end() || !services->is_array() || services->size() != 1 || !(*services)[0].is_object() ||
        !(*services)[0].contains("purposes") || !(*services)[0]["purposes"].is_array()) {
      return fail(where + "unreadable");
    }
    for (const json& entry : (*services)[0]["purposes"]) {
      if (!entry.is_object()) return fail(where + "unreadable purpose");
      const auto id = entry.find("purposeId");
      const auto state = entry.find("consentState");
      const auto reason = entry.find("reason");
      const auto hash = entry.find("purposeHash");
      const auto guardian = entry.find("guardianConfirmed");
      if (id == entry.end() || !id->is_string() || state == entry.end() || !state->is_string() ||
          reason == entry.end() || !reason->is_string() || hash == entry.end() || !hash->is_string() ||
          guardian == entry.end() || !guardian->is_boolean()) {
        return fail(where + "unreadable purpose");
      }
      const auto parsed_state = parse_state(state->get_ref<const std::string&>());
      const auto parsed_reason = parse_reason(reason->get_ref<const std::string&>());
      if (!parsed_state || *parsed_state == PurposeState::expired || !parsed_reason) return fail(where + "unknown state");
      replayed[id->get<std::string>()] = Decision{*parsed_state,
                                                  static_cast<int64_t>(ts->get<uint64_t>()),
                                                  version->get<std::string>(),
                                                  hash->get<std::string>(),
                                                  *parsed_reason,
                                                  guardian->get<bool>()};
    }
  }

  // The stored decisions must be what the ledger says: an edited state is tampering.
  const auto decisions = store.find("decisions");
  if (decisions == store.end() || !decisions->is_object()) return fail("store: decisions are missing");
  for (auto it = decisions->begin(); it != decisions->end(); ++it) {
    const auto found = replayed.find(it.key());
    const json expected = decision_to_json(found == replayed.end() ? Decision{} : found->second);
    if (it.value() != expected) return fail("store: decision of a purpose does not match the ledger");
  }
  const auto settings = store.find("settings");
  if (settings == store.end() || !settings->is_object()) return fail("store: settings are missing");
  const auto gpc = settings->find("gpc");
  const auto age = settings->find("declaredAge");
  if (gpc == settings->end() || !gpc->is_boolean() || age == settings->end() ||
      !(age->is_null() || (age->is_number_unsigned() && age->get<uint64_t>() <= 150))) {
    return fail("store: settings are malformed");
  }

  ledger_ = std::move(chain.entries);
  for (size_t i = 0; i < policy_.purposes.size(); ++i) {
    const auto found = replayed.find(policy_.purposes[i].id);
    if (found != replayed.end()) decisions_[i] = found->second;
  }
  gpc_ = gpc->get<bool>();
  if (!age->is_null()) declared_age_ = static_cast<int>(age->get<uint64_t>());

  // Apply the current policy: purposes whose hash changed since the decision are asked again.
  auto changes = reask_changed_and_enforce(now_ms, ctx);
  if (!changes.ok()) reset();
  return changes;
}

}  // namespace sealdesk::consent
