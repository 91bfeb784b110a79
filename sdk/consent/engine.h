// The consent engine: per-purpose decisions over a policy, enforced in the core and proven with
// signed, hash-chained receipts.
//
// Time is an argument (`now_ms`, milliseconds since the Unix epoch, UTC): the engine never reads
// a clock, so tests are deterministic and native and WASM give byte-identical receipts.
//
// Every call that changes state returns the Changes it made (the JS layer stops a purpose's
// tracks and wipes its keys when a Change revokes() it) and appends one signed receipt to the
// ledger. A call that fails changes nothing.
//
//   auto engine = ConsentEngine::create(policy_json, {{"en", en_json}, {"zh-CN", zh_json}}, std::move(key));
//   engine.value().grant({"routing", "chat"}, now_ms, {.locale = "zh-CN", .collection_method = "first-layer"});
//   if (engine.value().allows("chat", now_ms) != Status::ok) { /* refuse */ }
//   auto plan = engine.value().plan("call.video", now_ms);   // what to ask before a video call
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sdk/common/status.h"
#include "sdk/consent/locale.h"
#include "sdk/consent/policy.h"
#include "sdk/consent/receipt.h"
#include "sdk/consent/state.h"
#include "sdk/crypto/identity.h"

namespace sealdesk::consent {

inline constexpr size_t kMaxStoreBytes = 64 << 20;
inline constexpr char kStoreFormat[] = "sealdesk-consent-store/1";

// How a decision was collected: recorded in its receipt.
struct DecisionContext {
  std::string locale = kReferenceLocale;  // the locale whose texts were shown
  std::string collection_method = "sdk";  // e.g. "first-layer", "jit-prompt", "privacy-dashboard"
  bool guardian_confirmed = false;        // a guardian confirmed (needed while the person is a minor)
};

// One purpose's decision as stored (state is never `expired` here: expiry is computed).
struct Decision {
  PurposeState state = PurposeState::unset;
  int64_t decided_at_ms = 0;
  std::string policy_version;  // of the policy the decision was made under
  std::string purpose_hash;    // of the purpose's terms and text when decided
  Reason reason = Reason::none;
  bool guardian_confirmed = false;

  friend bool operator==(const Decision&, const Decision&) = default;
};

struct PurposeStatus {
  std::string purpose;
  PurposeState state = PurposeState::unset;  // effective at `now`: granted/denied become expired
  Decision decision;
  std::optional<int64_t> expires_at_ms;  // for granted and denied decisions
};

struct Snapshot {
  std::string policy_id;
  std::string policy_version;
  bool gpc = false;
  std::optional<int> declared_age;
  bool minor = false;
  std::vector<PurposeStatus> purposes;  // in policy order
};

// The just-in-time prompt plan: what must be asked, in order, before a capability may run.
struct PlanStep {
  std::vector<std::string> purposes;  // grant these together in one call
  bool separate = false;              // a sensitive or cross-border purpose, asked alone
  bool guardian_required = false;     // the person is a minor: a guardian must confirm
};
struct PlanChoice {
  std::string purpose;                 // needs one of...
  std::vector<std::string> one_of;     // ...these, none of which is granted or planned
};
struct PlanBlock {
  std::string purpose;
  Reason reason = Reason::none;  // gpc: denied without a prompt
};
struct JitPlan {
  std::string capability;
  bool allowed = false;           // nothing to ask: the capability may run now
  std::vector<PlanStep> steps;    // dependency order
  std::vector<PlanChoice> choices;
  std::vector<PlanBlock> blocked; // cannot be asked: the capability stays refused
};

class ConsentEngine {
 public:
  // Loads and validates the policy and its locale texts (optional; when given, en is required:
  // the fallback and the reference text hashed into each purpose, so load the same locale set
  // every time). `key` is this install's identity; it signs receipts. All purposes start unset.
  static Result<ConsentEngine> create(std::string_view policy_json, const std::vector<LocaleSource>& locales,
                                      crypto::IdentityKey key);

  ConsentEngine(ConsentEngine&&) noexcept = default;
  ConsentEngine& operator=(ConsentEngine&&) noexcept = default;

  // --- decisions --------------------------------------------------------------------------
  // Grants every purpose in `purposes` (order does not matter; dependencies may be granted in the
  // same call). Errors: unknown_purpose; dependency_missing (detail names what is missing);
  // separate_consent_required (a sensitive, cross-border or model-training purpose bundled with others);
  // guardian_required (a minor without ctx.guardian_confirmed); gpc_denied (a gpc_opt_out purpose
  // while Global Privacy Control is on); invalid_argument (now_ms < 0, bad context).
  Result<Changes> grant(const std::vector<std::string>& purposes, int64_t now_ms, const DecisionContext& ctx = {});

  // Denies (or revokes: the same call) every purpose in `purposes`, and every granted purpose
  // that depends on one of them, at once (GDPR Art. 7(3): withdrawing is as easy as giving).
  // Never needs a guardian. purpose_required for a required purpose while a session runs.
  Result<Changes> deny(const std::vector<std::string>& purposes, int64_t now_ms, const DecisionContext& ctx = {});
  Result<Changes> revoke(const std::vector<std::string>& purposes, int64_t now_ms, const DecisionContext& ctx = {}) {
    return deny(purposes, now_ms, ctx);
  }

  // The person's declared age. Below the policy's minor_age every grant needs a guardian's
  // confirmation; grants made without one go back to unset (reason guardian_required).
  Result<Changes> declare_age(int years, int64_t now_ms, const DecisionContext& ctx = {});

  // What the page reports as navigator.globalPrivacyControl. On: every gpc_opt_out purpose (and
  // what depends on it) is denied without a prompt, reason global_privacy_control. Off again: the
  // purposes GPC denied go back to unset; denials the person made stay.
  Result<Changes> set_global_privacy_control(bool enabled, int64_t now_ms, const DecisionContext& ctx = {});

  // A new policy version. Each purpose's hash (its terms, the controller and its en text) is
  // compared: changed purposes go back to unset (reason policy_changed), unchanged ones keep
  // their decision (PIPL Art. 14), removed ones are dropped. On error nothing changes.
  Result<Changes> upgrade_policy(std::string_view policy_json, const std::vector<LocaleSource>& locales,
                                 int64_t now_ms, const DecisionContext& ctx = {});

  // The person switched privacy mode on for the conversation (sdk/desk/inbox.h): one signed
  // receipt (action privacy_mode, no purposes), so the ledger shows when and how it was asked
  // for. Decisions do not change. invalid_argument for now_ms < 0 or a bad context.
  Result<Changes> record_privacy_mode(int64_t now_ms, const DecisionContext& ctx = {});

  // Reports decisions that expired since the last call (granted/denied -> expired) so the JS
  // layer can stop tracks; queries already treat them as expired. No receipt: nobody decided.
  Changes refresh(int64_t now_ms);

  // While a session runs, its required purposes cannot be denied (end the session first).
  void set_session_active(bool active) { session_active_ = active; }

  // --- queries ----------------------------------------------------------------------------
  // ok when the purpose and all it depends on are granted and unexpired. Otherwise
  // consent_required / consent_expired / unknown_purpose; `why` (optional) says which purpose.
  Status allows(std::string_view purpose, int64_t now_ms, std::string* why = nullptr) const;
  // The same for a capability (a purpose id also works as a capability): not_found if unknown.
  Status allows_capability(std::string_view capability, int64_t now_ms, std::string* why = nullptr) const;
  // What must be asked before `capability` (or a purpose id) may run. not_found if unknown.
  Result<JitPlan> plan(std::string_view capability, int64_t now_ms) const;

  PurposeState state_of(std::string_view purpose, int64_t now_ms) const;  // unset for an unknown id
  Snapshot snapshot(int64_t now_ms) const;
  const Policy& policy() const { return policy_; }
  LocalizedTexts texts(std::string_view locale) const { return catalog_.resolve(locale); }
  // hex BLAKE2b-256 of a purpose's terms and reference text (what upgrade_policy compares).
  const std::string& purpose_hash(size_t purpose_index) const { return purpose_hashes_[purpose_index]; }
  const crypto::IdentityPublicKey& public_key() const { return key_.public_key(); }
  // The install key's seed, for the JS layer to persist (it must wipe its copy after storing).
  Status export_identity_seed(std::span<uint8_t, crypto::kIdentitySeedBytes> out) const { return key_.export_seed(out); }
  std::string principal() const { return principal_id(key_.public_key()); }
  const std::vector<LedgerEntry>& ledger() const { return ledger_; }

  // --- persistence ------------------------------------------------------------------------
  // The state and ledger for the JS layer to store (IndexedDB or localStorage):
  //   {"format","policy":{id,version},"principal":{id,publicKey},"settings":{gpc,declaredAge},
  //    "decisions":{...},"ledger":[...],"head":{count,hash}}
  std::string export_store() const;

  // Restores an exported store. The ledger must verify against this install's key; the
  // decisions are rebuilt by replaying it and must equal the stored ones; the head must match.
  // Then the current policy is applied as by upgrade_policy (changed purposes -> unset).
  // Errors: malformed (not JSON), unsupported_version, ledger_tampered, signature_invalid,
  // too_large. On any error the engine is left all-unset with an empty ledger and the caller
  // must keep the rejected store aside (never drop it silently) and report the error.
  Result<Changes> import_store(std::string_view store_json, int64_t now_ms, const DecisionContext& ctx = {});

 private:
  ConsentEngine(Policy policy, LocaleCatalog catalog, crypto::IdentityKey key);

  PurposeState effective(size_t index, int64_t now_ms) const;
  std::optional<int64_t> expires_at(size_t index) const;
  Status allows_index(size_t index, int64_t now_ms, std::string* why) const;
  bool minor() const;
  Status check_context(int64_t now_ms, const DecisionContext& ctx) const;
  Result<std::vector<size_t>> resolve_ids(const std::vector<std::string>& purposes) const;

  struct Update {
    size_t index;
    PurposeState state;
    Reason reason;
    bool guardian_confirmed = false;
  };
  ReceiptDraft draft_receipt(const char* action, int64_t now_ms, const DecisionContext& ctx) const;
  Result<size_t> append_receipt(const ReceiptDraft& draft);  // signs it onto the ledger's chain: its new length
  // Applies updates, signs one receipt for them, and returns the changes (effective before/after).
  Result<Changes> commit(const std::vector<Update>& updates, const char* action, int64_t now_ms,
                         const DecisionContext& ctx);
  Result<Changes> enforce_gpc(int64_t now_ms, const DecisionContext& ctx);
  Result<Changes> enforce_minor(int64_t now_ms, const DecisionContext& ctx);
  Result<Changes> reask_changed_and_enforce(int64_t now_ms, const DecisionContext& ctx);
  // Moves decisions onto a new policy: equal hashes carry over, others reset.
  Result<Changes> reconcile(Policy next_policy, LocaleCatalog next_catalog, std::vector<Decision> carried,
                            std::vector<std::string> carried_ids, int64_t now_ms, const DecisionContext& ctx);
  void reset();

  Policy policy_;
  LocaleCatalog catalog_;
  crypto::IdentityKey key_;
  std::vector<std::string> purpose_hashes_;  // per purpose index
  std::vector<Decision> decisions_;          // per purpose index
  std::vector<bool> expiry_reported_;        // per purpose index, for refresh()
  std::vector<LedgerEntry> ledger_;
  bool gpc_ = false;
  std::optional<int> declared_age_;
  bool session_active_ = false;
};

}  // namespace sealdesk::consent
