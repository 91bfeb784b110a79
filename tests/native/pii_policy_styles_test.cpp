// The consent policy sets how PII is masked (its "pii_masking" member is the masker's config).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "sdk/consent/policy.h"
#include "sdk/pii/masker.h"
#include "tests/native/consent_test_support.h"

namespace sealdesk {
namespace {

std::string read_default_policy() { return consent::testing::default_policy_text(); }

TEST(PiiPolicyStyles, DefaultPolicyMasksPhonesAndIdsPartially) {
  auto policy = consent::parse_policy(read_default_policy());
  ASSERT_TRUE(policy.ok()) << policy.error().detail;
  ASSERT_FALSE(policy.value().pii_masking.empty());
  auto masker = pii::Masker::create(policy.value().pii_masking);
  ASSERT_TRUE(masker.ok()) << masker.error().detail;
  pii::MaskResult r;
  ASSERT_EQ(masker.value().mask("手机13812345678，身份证11010519491231002X，验证码 384756", r), Status::ok);
  EXPECT_NE(r.text.find("138****5678"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("110105********002X"), std::string::npos) << r.text;
  EXPECT_EQ(r.text.find("384756"), std::string::npos) << r.text;  // codes: labelled, never shown
}

TEST(PiiPolicyStyles, MaskingSectionMustBeAnObjectOfKnownMembers) {
  auto doc = nlohmann::json::parse(read_default_policy(), nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  doc["pii_masking"] = nlohmann::json::array();
  auto bad = consent::parse_policy(doc.dump());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status(), Status::policy_invalid);
  EXPECT_EQ(bad.error().detail, "/pii_masking: must be an object");
  doc["pii_masking"] = nlohmann::json::object({{"rules", nlohmann::json::array()}});
  auto bad2 = consent::parse_policy(doc.dump());
  ASSERT_FALSE(bad2.ok());
  EXPECT_NE(bad2.error().detail.find("/pii_masking/rules"), std::string::npos) << bad2.error().detail;
}

}  // namespace
}  // namespace sealdesk
