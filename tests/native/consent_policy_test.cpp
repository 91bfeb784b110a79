// Policy validation: the shipped default policy is valid, and every rule of
// consent/policy.schema.json is enforced by the core with the JSON pointer and the rule named.
// A cross-check runs the same cases through Python's jsonschema (skipped when it is missing),
// so the schema file and the C++ validator cannot drift apart.
#include "sdk/consent/policy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "tests/native/consent_test_support.h"

namespace sealdesk::consent {
namespace {

using nlohmann::json;
using testing::default_policy;
using testing::purpose_of;

struct InvalidCase {
  const char* name;
  std::function<void(json&)> edit;
  Status status;
  std::string detail;
  bool core_only = false;  // a rule JSON Schema cannot express
};

std::string text_of(const json& j) { return j.dump(); }

const std::vector<InvalidCase>& invalid_cases() {
  static const std::vector<InvalidCase> cases = {
      {"retention not a duration", [](json& p) { p["purposes"][3]["retention"] = "30 days"; }, Status::policy_invalid,
       "/purposes/3/retention: must be an ISO 8601 duration"},
      {"validity with a fraction", [](json& p) { p["purposes"][1]["validity"] = "P1.5D"; }, Status::policy_invalid,
       "/purposes/1/validity: must be an ISO 8601 duration"},
      {"missing dpo", [](json& p) { p["controller"].erase("dpo"); }, Status::policy_invalid, "/controller/dpo: is required"},
      {"unknown root member", [](json& p) { p["tracking"] = true; }, Status::policy_invalid, "/tracking: is not allowed"},
      {"unknown purpose member", [](json& p) { p["purposes"][2]["opt_out"] = true; }, Status::policy_invalid,
       "/purposes/2/opt_out: is not allowed"},
      {"bad policy id", [](json& p) { p["id"] = "Bad ID"; }, Status::policy_invalid,
       "/id: must match ^[a-z0-9][a-z0-9._-]{0,63}$"},
      {"http policy url", [](json& p) { p["policy_url"] = "http://shop.example/privacy"; }, Status::policy_invalid,
       "/policy_url: must be an https URL"},
      {"jurisdiction name", [](json& p) { p["jurisdiction"] = "China"; }, Status::policy_invalid,
       "/jurisdiction: must be an ISO 3166 country code"},
      {"minor age too high", [](json& p) { p["minor_age"] = 30; }, Status::policy_invalid,
       "/minor_age: must be between 1 and 21"},
      {"minor age as text", [](json& p) { p["minor_age"] = "14"; }, Status::policy_invalid, "/minor_age: must be an integer"},
      {"no purposes", [](json& p) { p["purposes"] = json::array(); }, Status::policy_invalid,
       "/purposes: must have at least 1 item"},
      {"purposes not an array", [](json& p) { p["purposes"] = json::object(); }, Status::policy_invalid,
       "/purposes: must be an array"},
      {"unknown legal basis", [](json& p) { p["purposes"][1]["legal_basis"] = "maybe"; }, Status::policy_invalid,
       "/purposes/1/legal_basis: must be one of: consent, contract, legal_obligation, vital_interests, public_task, "
       "legitimate_interests"},
      {"required as text", [](json& p) { p["purposes"][1]["required"] = "no"; }, Status::policy_invalid,
       "/purposes/1/required: must be a boolean"},
      {"sensitive without categories", [](json& p) { purpose_of(p, "chat")["sensitive"] = true; }, Status::policy_invalid,
       "/purposes/1/sensitive_categories: is required for a sensitive purpose"},
      {"categories on a non-sensitive purpose",
       [](json& p) { purpose_of(p, "chat")["sensitive_categories"] = json::array({"biometric"}); }, Status::policy_invalid,
       "/purposes/1/sensitive_categories: is only allowed for a sensitive purpose"},
      {"unknown sensitive category",
       [](json& p) { purpose_of(p, "face_verification")["sensitive_categories"] = json::array({"face"}); },
       Status::policy_invalid,
       "/purposes/10/sensitive_categories/0: must be one of: biometric, religious_belief, specific_identity, "
       "medical_health, financial_account, location_tracking, minor_personal_information"},
      {"sensitive purpose without consent",
       [](json& p) {
         purpose_of(p, "face_verification")["legal_basis"] = "contract";
         purpose_of(p, "face_verification")["required"] = true;
       },
       Status::policy_invalid, "/purposes/10/legal_basis: must be \"consent\" for a sensitive purpose"},
      {"cross-border without consent",
       [](json& p) {
         purpose_of(p, "transcription")["legal_basis"] = "legitimate_interests";
         purpose_of(p, "transcription")["required"] = true;
       },
       Status::policy_invalid, "/purposes/7/legal_basis: must be \"consent\" for a cross-border transfer"},
      {"required purpose on consent", [](json& p) { purpose_of(p, "routing")["legal_basis"] = "consent"; },
       Status::policy_invalid, "/purposes/0/legal_basis: must not be \"consent\" for a required purpose"},
      {"optional purpose without consent", [](json& p) { purpose_of(p, "chat")["legal_basis"] = "contract"; },
       Status::policy_invalid, "/purposes/1/required: must be true when the legal basis is not consent"},
      {"required purpose that GPC opts out", [](json& p) { purpose_of(p, "routing")["gpc_opt_out"] = true; },
       Status::policy_invalid, "/purposes/0/gpc_opt_out: must be false for a required purpose"},
      {"duplicate data category",
       [](json& p) { purpose_of(p, "chat")["data_categories"] = json::array({"chat_messages", "chat_messages"}); },
       Status::policy_invalid, "/purposes/1/data_categories: must not contain duplicates"},
      {"no data category", [](json& p) { purpose_of(p, "chat")["data_categories"] = json::array(); },
       Status::policy_invalid, "/purposes/1/data_categories: must have at least 1 item"},
      {"third party country name", [](json& p) { purpose_of(p, "routing")["third_parties"][0]["country"] = "China"; },
       Status::policy_invalid, "/purposes/0/third_parties/0/country: must be an ISO 3166-1 alpha-2 code"},
      {"third party without role", [](json& p) { purpose_of(p, "routing")["third_parties"][0].erase("role"); },
       Status::policy_invalid, "/purposes/0/third_parties/0/role: is required"},
      {"cross border as text", [](json& p) { purpose_of(p, "transcription")["cross_border"] = "SG"; },
       Status::policy_invalid, "/purposes/7/cross_border: must be null or an object"},
      {"cross border unknown safeguard",
       [](json& p) { purpose_of(p, "transcription")["cross_border"]["safeguard"] = "trust_us"; }, Status::policy_invalid,
       "/purposes/7/cross_border/safeguard: must be one of: security_assessment, certification, standard_contract, "
       "adequacy, other"},
      {"one-item depends_on_any", [](json& p) { purpose_of(p, "recording")["depends_on_any"] = json::array({"voice"}); },
       Status::policy_invalid, "/purposes/6/depends_on_any: must have at least 2 items"},
      {"service too long", [](json& p) { p["service"] = std::string(201, 'x'); }, Status::policy_invalid,
       "/service: must be 1 to 200 characters"},
      {"empty controller name", [](json& p) { p["controller"]["name"] = ""; }, Status::policy_invalid,
       "/controller/name: must be 1 to 200 characters"},
      {"bad email", [](json& p) { p["controller"]["email"] = "privacy at shop"; }, Status::policy_invalid,
       "/controller/email: must be an email address"},
      {"capability name with capitals", [](json& p) { p["capabilities"]["Chat.Send"] = json::array({"chat"}); },
       Status::policy_invalid, "/capabilities/Chat.Send: name must match ^[a-z][a-z0-9_.-]{0,63}$"},
      {"capability with no purpose", [](json& p) { p["capabilities"]["chat.send"] = json::array(); },
       Status::policy_invalid, "/capabilities/chat.send: must have at least 1 item"},
      // What the processing does with the conversation: each rule has its own status code.
      {"trains_models as text", [](json& p) { purpose_of(p, "model_training")["trains_models"] = "yes"; },
       Status::policy_invalid, "/purposes/13/trains_models: must be a boolean"},
      {"training in a purpose that is not sensitive", [](json& p) { purpose_of(p, "chat")["trains_models"] = true; },
       Status::training_not_opt_in, "/purposes/1/sensitive: must be true for a purpose that trains models"},
      {"training in a required purpose (granted without asking)",
       [](json& p) { purpose_of(p, "routing")["trains_models"] = true; }, Status::training_not_opt_in,
       "/purposes/0/required: must be false for a purpose that trains models"},
      {"training that GPC does not opt out of", [](json& p) { purpose_of(p, "model_training")["gpc_opt_out"] = false; },
       Status::training_not_opt_in, "/purposes/13/gpc_opt_out: must be true for a purpose that trains models"},
      {"training without gpc_opt_out (defaults to false)",
       [](json& p) { purpose_of(p, "model_training").erase("gpc_opt_out"); }, Status::training_not_opt_in,
       "/purposes/13/gpc_opt_out: must be true for a purpose that trains models"},
      {"training in a sensitive purpose without GPC opt-out",
       [](json& p) { purpose_of(p, "pii_reveal")["trains_models"] = true; }, Status::training_not_opt_in,
       "/purposes/2/gpc_opt_out: must be true for a purpose that trains models"},
      {"voiceprints from a purpose that is not sensitive",
       [](json& p) { purpose_of(p, "voice")["derives_voiceprints"] = true; }, Status::voiceprint_not_biometric,
       "/purposes/3/sensitive: must be true for a purpose that derives voiceprints (biometric data)"},
      {"voiceprints without the biometric category",
       [](json& p) { purpose_of(p, "pii_reveal")["derives_voiceprints"] = true; }, Status::voiceprint_not_biometric,
       "/purposes/2/sensitive_categories: must include \"biometric\" for a purpose that derives voiceprints"},
      {"outputs leave the desk with no third party", [](json& p) { purpose_of(p, "chat")["outputs_leave_desk"] = true; },
       Status::processor_missing, "/purposes/1/third_parties: must name a processor when the outputs leave the desk"},
      {"outputs leave the desk to a controller only",
       [](json& p) { purpose_of(p, "transcription")["third_parties"][0]["role"] = "controller"; },
       Status::processor_missing, "/purposes/7/third_parties: must name a processor when the outputs leave the desk"},
      // Rules only the core can check.
      {"duplicate purpose id", [](json& p) { p["purposes"][2]["id"] = "chat"; }, Status::policy_invalid,
       "/purposes/2/id: must be unique (\"chat\" is already used)", true},
      {"zero validity", [](json& p) { purpose_of(p, "chat")["validity"] = "PT0S"; }, Status::policy_invalid,
       "/purposes/1/validity: must not be zero", true},
      {"dependency on an unknown purpose", [](json& p) { purpose_of(p, "chat")["depends_on"] = json::array({"routeing"}); },
       Status::unknown_purpose, "/purposes/1/depends_on/0: must name a purpose of this policy (\"routeing\" is not one)",
       true},
      {"capability of an unknown purpose", [](json& p) { p["capabilities"]["chat.send"] = json::array({"chats"}); },
       Status::unknown_purpose, "/capabilities/chat.send/0: must name a purpose of this policy (\"chats\" is not one)",
       true},
      {"required purpose depending on an optional one",
       [](json& p) { purpose_of(p, "routing")["depends_on"] = json::array({"chat"}); }, Status::policy_invalid,
       "/purposes/0/depends_on/0: a required purpose may only depend on required purposes", true},
      {"dependency cycle", [](json& p) { purpose_of(p, "voice")["depends_on"] = json::array({"routing", "recording"}); },
       Status::dependency_cycle, "/purposes/6/depends_on_any/0: dependencies form a cycle: voice -> recording -> voice", true},
      {"self dependency", [](json& p) { purpose_of(p, "chat")["depends_on"] = json::array({"chat"}); },
       Status::dependency_cycle, "/purposes/1/depends_on/0: dependencies form a cycle: chat -> chat", true},
  };
  return cases;
}

TEST(ConsentPolicy, DefaultPolicyIsValidAndCoversTheIssueList) {
  auto policy = parse_policy(testing::default_policy_text());
  ASSERT_TRUE(policy.ok()) << policy.error().detail;
  const Policy& p = policy.value();
  EXPECT_EQ(p.minor_age, 14);
  for (const char* id : {"routing", "chat", "pii_reveal", "voice", "video", "screen_share", "recording", "transcription",
                         "attachments", "location", "face_verification", "analytics", "personalization",
                         "model_training"}) {
    EXPECT_NE(p.find(id), nullptr) << id;
  }
  // Only routing is required; face verification is sensitive; transcription goes abroad.
  for (const Purpose& purpose : p.purposes) EXPECT_EQ(purpose.required, purpose.id == "routing") << purpose.id;
  EXPECT_TRUE(p.find("face_verification")->sensitive);
  EXPECT_TRUE(p.find("transcription")->cross_border.has_value());
  EXPECT_EQ(p.find("chat")->retention, "P30D");
  EXPECT_EQ(p.find("voice")->retention, "P3D");
  EXPECT_TRUE(p.find("analytics")->gpc_opt_out);
  ASSERT_NE(p.capability("call.video"), nullptr);
}

TEST(ConsentPolicy, ShippedDefaultNamesNoControllerSoEachSiteMustConfigureItsOwn) {
  // The notice must name who is responsible for the data: the shipped file has no fictional
  // company in it, and without the site's own controller and privacy-policy URL it is refused.
  const std::string shipped = testing::read_file(testing::source_path("consent/policies/default.json"));
  EXPECT_EQ(shipped.find("Example Shop"), std::string::npos);
  auto refused = parse_policy(shipped);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().status, Status::policy_invalid);
  EXPECT_NE(refused.error().detail.find("is required"), std::string::npos) << refused.error().detail;
  json site = json::parse(shipped);
  site["policy_url"] = "https://clinic.example.cn/privacy";
  site["controller"] = {{"name", "Riverside Clinic"}, {"contact", "Privacy desk"}, {"dpo", {{"name", "Wang Fang"}, {"contact", "dpo@clinic.example.cn"}}}};
  auto configured = parse_policy(site.dump());
  ASSERT_TRUE(configured.ok()) << configured.error().detail;
  EXPECT_EQ(configured.value().controller.name, "Riverside Clinic");
}

// Issue 21: no training on support data without its own opt-in; voiceprints are biometric data.
TEST(ConsentPolicy, DefaultPolicyTrainsModelsOnlyThroughASeparateOptInPurpose) {
  auto policy = parse_policy(testing::default_policy_text());
  ASSERT_TRUE(policy.ok()) << policy.error().detail;
  const Policy& p = policy.value();
  const Purpose* training = p.find("model_training");
  ASSERT_NE(training, nullptr);
  EXPECT_TRUE(training->trains_models);
  EXPECT_FALSE(training->required);
  EXPECT_EQ(training->legal_basis, "consent");
  EXPECT_TRUE(training->sensitive);
  EXPECT_TRUE(training->gpc_opt_out);
  EXPECT_TRUE(training->needs_separate_consent());
  EXPECT_FALSE(training->derives_voiceprints);
  EXPECT_FALSE(training->outputs_leave_desk);
  EXPECT_TRUE(training->third_parties.empty());
  EXPECT_FALSE(training->cross_border.has_value());
  // Kept no longer than the chat it comes from.
  EXPECT_EQ(training->retention, "P30D");
  EXPECT_LE(retention_deadline(p, "model_training", testing::kT0).value(),
            retention_deadline(p, "chat", testing::kT0).value());
  for (const Purpose& purpose : p.purposes) {
    EXPECT_EQ(purpose.trains_models, purpose.id == "model_training") << purpose.id;
    EXPECT_FALSE(purpose.derives_voiceprints) << purpose.id;
    if (purpose.outputs_leave_desk) {
      EXPECT_TRUE(std::any_of(purpose.third_parties.begin(), purpose.third_parties.end(),
                              [](const ThirdParty& tp) { return tp.role == "processor"; }))
          << purpose.id;
    }
  }
  EXPECT_TRUE(p.find("transcription")->outputs_leave_desk);
  EXPECT_TRUE(p.find("analytics")->outputs_leave_desk);
  EXPECT_TRUE(p.find("face_verification")->outputs_leave_desk);
  // Written out in the policy file, not left to the default: what voice data is not used for,
  // and where transcription and analytics outputs go.
  json doc = default_policy();
  for (const char* id : {"voice", "recording", "transcription", "model_training"}) {
    ASSERT_TRUE(purpose_of(doc, id).contains("derives_voiceprints")) << id;
    EXPECT_EQ(purpose_of(doc, id)["derives_voiceprints"], false) << id;
  }
  for (const char* id : {"transcription", "analytics"}) {
    EXPECT_EQ(purpose_of(doc, id)["outputs_leave_desk"], true) << id;
    EXPECT_EQ(purpose_of(doc, id)["trains_models"], false) << id;
  }
}

TEST(ConsentPolicy, VoiceprintsAreAllowedOnlyAsSensitiveBiometricData) {
  json policy = default_policy();
  purpose_of(policy, "face_verification")["derives_voiceprints"] = true;  // sensitive, biometric
  auto parsed = parse_policy(text_of(policy));
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_TRUE(parsed.value().find("face_verification")->derives_voiceprints);
}

TEST(ConsentPolicy, DependencyOrderPutsDependenciesFirst) {
  auto policy = parse_policy(testing::default_policy_text());
  ASSERT_TRUE(policy.ok());
  const Policy& p = policy.value();
  ASSERT_EQ(p.dependency_order.size(), p.purposes.size());
  std::vector<size_t> position(p.purposes.size());
  for (size_t k = 0; k < p.dependency_order.size(); ++k) position[p.dependency_order[k]] = k;
  for (size_t i = 0; i < p.purposes.size(); ++i) {
    for (const auto* list : {&p.purposes[i].depends_on, &p.purposes[i].depends_on_any}) {
      for (const std::string& dep : *list) EXPECT_LT(position[*p.index_of(dep)], position[i]) << p.purposes[i].id;
    }
  }
}

TEST(ConsentPolicy, EachBrokenRuleIsNamedWithItsPointer) {
  for (const InvalidCase& c : invalid_cases()) {
    json policy = default_policy();
    c.edit(policy);
    auto parsed = parse_policy(text_of(policy));
    ASSERT_FALSE(parsed.ok()) << c.name;
    EXPECT_EQ(parsed.status(), c.status) << c.name << ": " << parsed.error().detail;
    EXPECT_EQ(parsed.error().detail, c.detail) << c.name;
  }
}

TEST(ConsentPolicy, MalformedJsonIsATypedError) {
  for (const char* text : {"", "{", "{\"id\": }", "[1,2", "\xFF\xFE", "{\"id\":\"a\"} trailing"}) {
    EXPECT_EQ(parse_policy(text).status(), Status::policy_invalid_json) << text;
  }
  EXPECT_EQ(parse_policy("[]").error().detail, "(root): must be an object");
  EXPECT_EQ(parse_policy(std::string(kMaxPolicyBytes + 1, ' ')).status(), Status::too_large);
}

TEST(ConsentPolicy, TextLengthCountsCharactersNotBytes) {
  json policy = default_policy();
  std::string chinese;
  for (int i = 0; i < 200; ++i) chinese += "\xE5\xAE\xA2";  // 客: 3 bytes, 1 character
  policy["service"] = chinese;
  EXPECT_TRUE(parse_policy(text_of(policy)).ok());
  policy["service"] = chinese + "\xE5\xAE\xA2";
  EXPECT_EQ(parse_policy(text_of(policy)).error().detail, "/service: must be 1 to 200 characters");
}

TEST(ConsentPolicy, PurposeTermsAreCanonicalSoFormattingDoesNotMatter) {
  auto compact = parse_policy(default_policy().dump());
  auto pretty = parse_policy(default_policy().dump(4));
  ASSERT_TRUE(compact.ok() && pretty.ok());
  for (size_t i = 0; i < compact.value().purposes.size(); ++i) {
    EXPECT_EQ(compact.value().purposes[i].terms_canonical, pretty.value().purposes[i].terms_canonical);
  }
}

TEST(ConsentPolicy, WritingOutADefaultDoesNotChangeThePurposeTerms) {
  json explicit_defaults = default_policy();
  purpose_of(explicit_defaults, "chat")["gpc_opt_out"] = false;
  auto a = parse_policy(default_policy().dump());
  auto b = parse_policy(explicit_defaults.dump());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a.value().find("chat")->terms_canonical, b.value().find("chat")->terms_canonical);
  json changed = default_policy();
  purpose_of(changed, "chat")["gpc_opt_out"] = true;
  EXPECT_NE(parse_policy(changed.dump()).value().find("chat")->terms_canonical, a.value().find("chat")->terms_canonical);
}

// The declarations are part of each purpose's terms, defaults filled in, so the purpose hash (and
// a policy upgrade) covers them: flipping one re-asks that purpose, writing out a default does not.
TEST(ConsentPolicy, TrainingVoiceprintAndOutputFlagsArePartOfThePurposeTerms) {
  auto a = parse_policy(default_policy().dump());
  ASSERT_TRUE(a.ok());
  const std::string& chat = a.value().find("chat")->terms_canonical;
  for (const char* member : {"\"trains_models\":false", "\"derives_voiceprints\":false", "\"outputs_leave_desk\":false"}) {
    EXPECT_NE(chat.find(member), std::string::npos) << member << " in " << chat;
  }
  EXPECT_NE(a.value().find("model_training")->terms_canonical.find("\"trains_models\":true"), std::string::npos);
  EXPECT_NE(a.value().find("transcription")->terms_canonical.find("\"outputs_leave_desk\":true"), std::string::npos);

  json explicit_defaults = default_policy();
  purpose_of(explicit_defaults, "chat")["trains_models"] = false;
  purpose_of(explicit_defaults, "chat")["derives_voiceprints"] = false;
  purpose_of(explicit_defaults, "chat")["outputs_leave_desk"] = false;
  auto b = parse_policy(explicit_defaults.dump());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b.value().find("chat")->terms_canonical, chat);

  json changed = default_policy();
  purpose_of(changed, "analytics")["outputs_leave_desk"] = false;
  purpose_of(changed, "face_verification")["derives_voiceprints"] = true;
  auto c = parse_policy(changed.dump());
  ASSERT_TRUE(c.ok()) << c.error().detail;
  EXPECT_NE(c.value().find("analytics")->terms_canonical, a.value().find("analytics")->terms_canonical);
  EXPECT_NE(c.value().find("face_verification")->terms_canonical, a.value().find("face_verification")->terms_canonical);
}

// The schema file and the C++ rules agree: every case the core rejects for a schema rule, the
// JSON Schema (draft 2020-12, Python jsonschema) rejects at the same place; the valid policy passes.
TEST(ConsentPolicy, JsonSchemaFileAgreesWithTheCore) {
  if (std::system("/usr/bin/python3 -c 'import jsonschema' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "python3 jsonschema is not installed";
  }
  json cases = json::array();
  cases.push_back(default_policy());
  std::vector<const InvalidCase*> schema_cases;
  for (const InvalidCase& c : invalid_cases()) {
    if (c.core_only) continue;
    json policy = default_policy();
    c.edit(policy);
    cases.push_back(policy);
    schema_cases.push_back(&c);
  }
  const std::string dir = ::testing::TempDir();
  const std::string cases_path = dir + "consent_schema_cases.json";
  const std::string out_path = dir + "consent_schema_results.json";
  {
    std::FILE* f = std::fopen(cases_path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    const std::string text = cases.dump();
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  const std::string script =
      "import json,sys,jsonschema\n"
      "schema=json.load(open(sys.argv[1]))\n"
      "jsonschema.Draft202012Validator.check_schema(schema)\n"
      "v=jsonschema.Draft202012Validator(schema)\n"
      "out=[]\n"
      "for doc in json.load(open(sys.argv[2])):\n"
      "  out.append(['/'+'/'.join(str(x) for x in e.absolute_path) if len(e.absolute_path) else '' for e in v.iter_errors(doc)])\n"
      "json.dump(out,open(sys.argv[3],'w'))\n";
  const std::string script_path = dir + "consent_schema_check.py";
  {
    std::FILE* f = std::fopen(script_path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fwrite(script.data(), 1, script.size(), f);
    std::fclose(f);
  }
  const std::string command = "/usr/bin/python3 " + script_path + " " + testing::source_path("consent/policy.schema.json") + " " +
                              cases_path + " " + out_path;
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  const json results = testing::parse(testing::read_file(out_path));
  ASSERT_TRUE(results.is_array());
  ASSERT_EQ(results.size(), cases.size());
  EXPECT_TRUE(results[0].empty()) << "the default policy breaks the schema: " << results[0].dump();
  for (size_t k = 0; k < schema_cases.size(); ++k) {
    const json& paths = results[k + 1];
    EXPECT_FALSE(paths.empty()) << schema_cases[k]->name << ": the schema accepts what the core rejects";
    const std::string pointer = schema_cases[k]->detail.substr(0, schema_cases[k]->detail.find(": "));
    bool located = false;
    for (const auto& p : paths) {
      const std::string path = p.get<std::string>();
      // Schema errors point at the member or, for "required", at the object that lacks it.
      if (pointer == path || pointer.rfind(path + "/", 0) == 0) located = true;
    }
    EXPECT_TRUE(located) << schema_cases[k]->name << ": core says " << pointer << ", schema says " << paths.dump();
  }
}

}  // namespace
}  // namespace sealdesk::consent
