// A consent policy: policy-as-data from consent/policies/*.json, validated against the rules of
// consent/policy.schema.json. parse_policy() names the JSON pointer and rule of the first
// violation, e.g. "/purposes/3/retention: must be an ISO 8601 duration".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sdk/common/status.h"
#include "sdk/consent/duration.h"

namespace sealdesk::consent {

inline constexpr size_t kMaxPolicyBytes = 1 << 20;
inline constexpr size_t kMaxPurposes = 64;
inline constexpr int kDefaultMinorAge = 14;  // PIPL Art. 31 / GB/T 35273 §5.4: under-14s

struct ThirdParty {
  std::string name;
  std::string role;     // processor | controller | joint_controller
  std::string country;  // ISO 3166-1 alpha-2
};

// A transfer outside the policy's jurisdiction (PIPL Art. 38/39).
struct CrossBorderTransfer {
  std::vector<std::string> countries;
  std::string recipient;
  std::string safeguard;
};

struct Purpose {
  std::string id;
  bool required = false;
  std::string legal_basis;  // GDPR Art. 6(1) names: consent, contract, ...
  std::string category;     // Kantara purposeCategory
  bool sensitive = false;   // PIPL Art. 28/29: separate consent
  std::vector<std::string> sensitive_categories;
  std::vector<std::string> data_categories;
  std::string retention;  // ISO 8601 duration as written
  IsoDuration retention_duration;
  std::string validity;
  IsoDuration validity_duration;
  std::vector<ThirdParty> third_parties;
  std::optional<CrossBorderTransfer> cross_border;
  std::vector<std::string> depends_on;      // all must be granted
  std::vector<std::string> depends_on_any;  // at least one must be granted
  bool gpc_opt_out = false;
  // What the processing does with the conversation, declared so the notice and the digest cover it:
  bool trains_models = false;        // conversations train or improve models (must be sensitive, opt-in, GPC opt-out)
  bool derives_voiceprints = false;  // voiceprints / speaker embeddings: biometric data (PIPL Art. 28)
  bool outputs_leave_desk = false;   // results go to a named processor (e.g. a transcription service)
  // RFC 8785 canonical JSON of this purpose's object, optional members filled with their
  // defaults: the "terms" part of its hash.
  std::string terms_canonical;

  // Sensitive data, a cross-border transfer or model training: asked alone, never bundled
  // (PIPL Art. 29, 39; training on conversations is never part of another purpose's grant).
  bool needs_separate_consent() const { return sensitive || cross_border.has_value() || trains_models; }
};

struct Controller {
  std::string name, contact, email, phone, address, url;
  std::string dpo_name, dpo_contact;
};

struct Policy {
  std::string id;
  std::string version;
  std::string jurisdiction;
  std::string policy_url;
  std::string service;
  int minor_age = kDefaultMinorAge;
  Controller controller;
  std::vector<Purpose> purposes;  // in policy order
  // capability -> purposes it needs (sorted by capability name)
  std::vector<std::pair<std::string, std::vector<std::string>>> capabilities;
  // The "pii_masking" member as JSON text (the PII masker's config: style per entity), or empty.
  std::string pii_masking;
  // Purpose indexes with every dependency before its dependents (policy order otherwise).
  std::vector<size_t> dependency_order;

  const Purpose* find(std::string_view purpose_id) const;
  std::optional<size_t> index_of(std::string_view purpose_id) const;
  const std::vector<std::string>* capability(std::string_view name) const;
};

// When data kept for purpose since from_ms must be gone: from_ms plus the purpose's retention.
// not_found for a purpose the policy does not have.
Result<int64_t> retention_deadline(const Policy& policy, std::string_view purpose, int64_t from_ms);

// Parses and validates policy JSON. Errors:
//   policy_invalid_json  not JSON (detail: byte offset)
//   policy_invalid       breaks a schema rule (detail: "<JSON pointer>: <rule>")
//   unknown_purpose      depends_on / depends_on_any / capabilities name a purpose not in the policy
//   dependency_cycle     dependencies form a cycle (detail: the cycle)
//   training_not_opt_in  trains_models on a required purpose (locked on in every consent flow), or without
//                        sensitive or gpc_opt_out
//   voiceprint_not_biometric  derives_voiceprints without sensitive and sensitive_categories "biometric"
//   processor_missing    outputs_leave_desk without a third party whose role is "processor"
//   too_large            over kMaxPolicyBytes
Result<Policy> parse_policy(std::string_view json_text);

}  // namespace sealdesk::consent
